import { describe, expect, it } from 'vitest';
import type { Reply } from '../assistant/reply.js';
import { accessOracleFromYaml } from './access.js';
import { parseDataset } from './dataset.js';
import { evaluate, baselineFromRun, datasetWarnings, type AskFn } from './runner.js';
import { renderMarkdown, renderTerminal } from './report.js';

const access = accessOracleFromYaml('roles:\n  clerk: ["Finance/**"]\n  nurse: ["Inventory/**"]\n');

const cases = parseDataset(
  [
    {
      id: 'a1',
      question: 'how to pay a bill',
      role: 'clerk',
      expect: 'answer',
      expected_sources: ['Finance/pay.md'],
      must_include_any: ['register payment'],
    },
    {
      id: 'a2',
      question: 'match PO and bill?',
      role: 'clerk',
      expect: 'answer',
      expected_sources: ['Finance/match.md'],
    },
    { id: 'u1', question: 'cafeteria hours', role: 'nurse', expect: 'refuse' },
    {
      id: 'f1',
      question: 'how do I pay a bill',
      role: 'nurse',
      expect: 'refuse',
      forbidden_sources: ['Finance/pay.md'],
    },
  ]
    .map((c) => JSON.stringify(c))
    .join('\n'),
);

function reply(question: string, answered: boolean, sources: string[], lead = ''): Reply {
  return {
    question,
    answered,
    lead,
    body: answered ? 'Open the bill and click Register Payment.' : '',
    steps: [],
    citations: sources.map((source) => ({ source, title: source, section: 'Steps', url: null })),
    related: [],
    confidence: answered ? 0.8 : 0.1,
    actions: [],
    scope: { kind: 'personal' },
    auditId: 'x',
    latencyMs: 1,
  };
}

const answers: Record<string, Reply> = {
  'how to pay a bill': reply('how to pay a bill', true, ['Finance/pay.md'], 'From Paying bills › Steps'),
  'match PO and bill?': reply('match PO and bill?', true, ['Finance/pay.md', 'Finance/match.md']),
  'cafeteria hours': reply('cafeteria hours', false, []),
  'how do I pay a bill': reply('how do I pay a bill', false, []),
};

const ask: AskFn = async (question) => ({ reply: answers[question]! });

describe('evaluate', () => {
  it('scores each case, checks thresholds and lists the failing case with what came back', async () => {
    const run = await evaluate({
      dataset: 'mini',
      cases,
      ask,
      access,
      thresholds: { hit_at_1: { min: 0.85 }, hit_at_5: { min: 0.97 } },
      now: () => new Date('2026-12-04T10:00:00Z'),
    });
    expect(run.metrics).toMatchObject({
      cases: 4,
      hit_at_1: 0.5,
      hit_at_5: 1,
      refusal: 1,
      forbidden_citations: 0,
    });
    expect(run.passed).toBe(false);
    expect(run.checks.find((c) => c.metric === 'hit_at_1')?.status).toBe('fail');
    const failing = run.cases.filter((c) => c.failures.length);
    expect(failing.map((c) => [c.id, c.failures, c.expectedRank])).toEqual([
      ['a2', ['wrong-first-source'], 2],
    ]);

    const md = renderMarkdown(run);
    expect(md).toContain('**Result: FAILED**');
    expect(md).toContain('hit@1 is 0.500, needs ≥ 0.85');
    expect(md).toMatch(/#### `a2` — match PO and bill\?/);
    expect(md).toContain('1. `Finance/pay.md` › Steps');
    expect(md).toContain('The right SOP came at position 2');
    expect(md).toContain('| clerk | 2 | 1 | 0 | 0 | 1 |');
    expect(md).toContain('| nurse | 2 | 2 | 0 | 0 | 0 |');
    const term = renderTerminal(run);
    expect(term).toMatch(/✗ a2 \[wrong-first-source\] \(clerk\) match PO and bill\?/);
    expect(term).toMatch(/GATE FAILED: hit@1 0\.500/);
  });

  it('fails the gate on one leaked citation even with no thresholds, and treats a crash as a failing case', async () => {
    const leaky: AskFn = async (question, role) => {
      if (question === 'cafeteria hours') throw new Error('boom');
      const base = await ask(question, role);
      if (question === 'how do I pay a bill') return { reply: reply(question, false, ['Finance/pay.md']) };
      return base;
    };
    const run = await evaluate({ dataset: 'mini', cases, ask: leaky, access });
    expect(run.metrics.forbidden_citations).toBe(1);
    expect(run.passed).toBe(false);
    const f1 = run.cases.find((c) => c.id === 'f1')!;
    expect(f1.forbidden).toEqual([
      { source: 'Finance/pay.md', where: 'citation', reason: 'role-cannot-read' },
    ]);
    const u1 = run.cases.find((c) => c.id === 'u1')!;
    expect(u1).toMatchObject({ answered: false, error: 'Error: boom', failures: ['error'] });
    const md = renderMarkdown(run);
    expect(md).toContain('### Cited a document the role may not read (leak) (1)');
    expect(md).toContain('`Finance/pay.md` › Steps **← may not read**');
  });

  it('fails the gate when a refusal points to a closest SOP the role may not read', async () => {
    const leaky: AskFn = async (question, role) => {
      const base = await ask(question, role);
      if (question !== 'how do I pay a bill') return base;
      const related = [{ source: 'Finance/pay.md', title: 'Paying bills', section: 'Steps', url: null }];
      return { reply: { ...reply(question, false, []), related } };
    };
    const run = await evaluate({ dataset: 'mini', cases, ask: leaky, access });
    expect(run.metrics.forbidden_citations).toBe(1);
    expect(run.passed).toBe(false);
    expect(run.cases.find((c) => c.id === 'f1')!.forbidden).toEqual([
      { source: 'Finance/pay.md', where: 'related', reason: 'role-cannot-read' },
    ]);
    expect(renderMarkdown(run)).toContain('Pointed to `Finance/pay.md` as a closest SOP, which this role may not read');
  });

  it('passes a lowered threshold but says the goal is not reached', async () => {
    const run = await evaluate({
      dataset: 'mini',
      cases,
      ask,
      access,
      thresholds: { hit_at_1: { min: 0.5, goal: 0.85 } },
    });
    expect(run.passed).toBe(true);
    expect(renderMarkdown(run)).toContain("**Below the product's quality goal**");
    expect(renderMarkdown(run)).toContain('hit@1 0.500 (goal ≥ 0.85)');
    expect(renderTerminal(run)).toMatch(/hit@1 .*≥ 0\.5, goal ≥ 0\.85 .*ok, below goal/);
  });

  it('shows the change against a baseline', async () => {
    const first = await evaluate({ dataset: 'mini', cases, ask, access });
    const baseline = baselineFromRun(first);
    expect(baseline.failing_cases).toEqual(['a2']);
    const better: AskFn = async (q, r) =>
      q === 'match PO and bill?' ? { reply: reply(q, true, ['Finance/match.md']) } : ask(q, r);
    const run = await evaluate({ dataset: 'mini', cases, ask: better, access, baseline });
    expect(run.comparison?.nowPassing).toEqual(['a2']);
    expect(run.comparison?.changes.find((c) => c.metric === 'hit_at_1')).toMatchObject({
      delta: 0.5,
      verdict: 'better',
    });
    expect(renderMarkdown(run)).toContain(
      '- Better: cases passed (+1 ▲), hit@1 (+0.500 ▲), MRR@10 (+0.250 ▲)',
    );
  });
});

describe('datasetWarnings', () => {
  it('flags unknown roles, missing sources and expectations access.yml contradicts', () => {
    const bad = parseDataset(
      [
        { id: 'w1', question: 'q', role: 'clerk', expect: 'answer', expected_sources: ['Finance/typo.md'] },
        { id: 'w2', question: 'q', role: 'nurse', expect: 'answer', expected_sources: ['Finance/pay.md'] },
        { id: 'w3', question: 'q', role: 'clerk', expect: 'refuse', forbidden_sources: ['Finance/pay.md'] },
        { id: 'w4', question: 'q', role: 'janitor', expect: 'refuse' },
      ]
        .map((c) => JSON.stringify(c))
        .join('\n'),
    );
    expect(datasetWarnings(bad, access, ['Finance/pay.md', 'Finance/match.md'])).toEqual([
      'w1: expected source "Finance/typo.md" is not in the corpus',
      'w2: expected source "Finance/pay.md" is not readable by nurse',
      'w3: forbidden source "Finance/pay.md" is readable by clerk',
      'w4: role "janitor" is not in access.yml',
    ]);
    expect(datasetWarnings(cases, access, ['Finance/pay.md', 'Finance/match.md'])).toEqual([]);
  });
});
