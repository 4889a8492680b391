import { describe, expect, it } from 'vitest';
import { accessSignals, buildTermAccess, phraseUnreadable } from './term-access.js';

// Three documents: HR pay (HR only), time off (HR and everyone internal), receiving (stores only).
const access = buildTermAccess([
  { acl: ['role:hr'], lexemes: ['payslip', 'comput', 'salari'] },
  { acl: ['role:hr', 'internal'], lexemes: ['time', 'leav', 'approv', 'employe'] },
  { acl: ['role:stores'], lexemes: ['receiv', 'deliveri', 'employe'] },
]);
const weights = (...ls: string[]) => new Map(ls.map((l) => [l, 1]));

describe('accessSignals', () => {
  it('knows which question words the asker can read anywhere', () => {
    const s = accessSignals(access, weights('payslip', 'employe', 'unknownword'), [['internal']]);
    expect([...s.readable].sort()).toEqual(['employe']);
  });

  it('flags a question only an unreadable document covers', () => {
    const forbidden = accessSignals(access, weights('payslip', 'comput', 'employe'), [['internal']]);
    expect(forbidden.elsewhereGap).toBeCloseTo(2 / 3 - 1 / 3);
    const allowed = accessSignals(access, weights('payslip', 'comput', 'employe'), [['role:hr']]);
    expect(allowed.elsewhereGap).toBe(0);
  });

  it('applies the shared-channel rule: readable only when every member may read', () => {
    const s = accessSignals(access, weights('payslip'), [['role:hr'], ['internal']]);
    expect(s.readable.size).toBe(0);
    expect(s.elsewhereGap).toBe(1);
  });

  it('remembers readability per principal sets, whatever their order, without mixing askers', () => {
    const q = weights('payslip', 'leav');
    const hr = accessSignals(access, q, [['role:hr', 'internal']]);
    expect(accessSignals(access, q, [['internal', 'role:hr']])).toEqual(hr);
    expect([...accessSignals(access, q, [['internal']]).readable]).toEqual(['leav']);
    expect([...hr.readable].sort()).toEqual(['leav', 'payslip']);
  });

  it('gives nothing to an asker with no principals', () => {
    const s = accessSignals(access, weights('leav'), []);
    expect(s.readable.size).toBe(0);
  });
});

describe('phraseUnreadable', () => {
  const hr = ['role:hr'];
  const both = ['role:hr', 'role:stores'];
  it('is the share of library phrases only unreadable documents use; unknown phrases do not count', () => {
    // "print checks" only in an HR document, "check batch" also where stores may read, the third never used.
    expect(phraseUnreadable([[hr], [hr, both], []], [['role:stores']])).toBeCloseTo(1 / 2);
    expect(phraseUnreadable([[hr], [hr, both], []], [['role:hr']])).toBe(0);
    expect(phraseUnreadable([[], []], [['role:stores']])).toBe(0);
  });

  it('applies the shared-channel rule', () => {
    expect(phraseUnreadable([[both]], [['role:hr'], ['role:stores']])).toBe(0);
    expect(phraseUnreadable([[hr]], [['role:hr'], ['role:stores']])).toBe(1);
  });
});
