import { describe, expect, it } from 'vitest';
import { AccessFileError, parseAccessFile } from './access.js';

const policy = parseAccessFile(`
roles:
  ward-supply-coordinator: ["Inventory/**", "Documents/**"]
  hr-administrator: ["HR/*.pdf"]
  super-user: ["**"]
`);

describe('access policy', () => {
  it('gives a document every role whose globs match its path', () => {
    expect(policy.aclFor('Inventory/receipts/partial.md')).toEqual([
      'role:super-user',
      'role:ward-supply-coordinator',
    ]);
    expect(policy.aclFor('HR/leave.pdf')).toEqual(['role:hr-administrator', 'role:super-user']);
    expect(policy.aclFor('HR/sub/leave.pdf')).toEqual(['role:super-user']);
  });

  it('denies by default when no role matches', () => {
    const narrow = parseAccessFile('roles:\n  trainer: ["Training/**"]\n');
    expect(narrow.aclFor('Finance/bills.md')).toEqual([]);
  });

  it('rejects malformed files naming the problem', () => {
    expect(() => parseAccessFile('roles: [a, b]')).toThrow(AccessFileError);
    expect(() => parseAccessFile('roles:\n  trainer: []\n')).toThrow(/trainer.*at least one glob/);
    expect(() => parseAccessFile('roles: {\n')).toThrow(/not valid YAML/);
  });
});
