import { describe, expect, it } from 'vitest';
import { accessOracleFromYaml } from './access.js';
import { evalCaseSchema, type EvalCase } from './dataset.js';
import {
  computeMetrics,
  hitAtK,
  includesAny,
  ndcgAtK,
  percentile,
  rankedSources,
  reciprocalRankAtK,
  scoreCase,
  type CaseOutcome,
} from './metrics.js';

const access = accessOracleFromYaml(`
roles:
  clerk: ["Finance/**", "Documents/**"]
  nurse: ["Inventory/**", "Documents/**"]
  super-user: ["**"]
`);

function kase(partial: Partial<EvalCase> & Pick<EvalCase, 'id' | 'expect'>): EvalCase {
  return evalCaseSchema.parse({ question: 'q?', role: 'clerk', ...partial });
}

function outcome(c: EvalCase, sources: string[], extra: Partial<CaseOutcome> = {}): CaseOutcome {
  return {
    case: c,
    answered: true,
    citations: sources.map((source) => ({ source })),
    confidence: 0.8,
    answerText: '',
    latencyMs: 10,
    ...extra,
  };
}

describe('ranking primitives', () => {
  const rel = new Set(['b.md']);
  it('dedupes sources keeping best rank', () => {
    expect(rankedSources([{ source: 'a' }, { source: 'b' }, { source: 'a' }, { source: 'c' }])).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
  it('hit@k and reciprocal rank', () => {
    expect(hitAtK(['a.md', 'b.md'], rel, 1)).toBe(false);
    expect(hitAtK(['a.md', 'b.md'], rel, 5)).toBe(true);
    expect(reciprocalRankAtK(['a.md', 'x.md', 'b.md'], rel, 10)).toBeCloseTo(1 / 3);
    expect(reciprocalRankAtK(['a.md', 'x.md', 'b.md'], rel, 2)).toBe(0);
  });
  it('nDCG@10 with binary relevance', () => {
    // One relevant doc at rank 2: DCG = 1/log2(3) = 0.6309; ideal = 1.
    expect(ndcgAtK(['a.md', 'b.md'], rel, 10)).toBeCloseTo(0.63093, 4);
    // Two relevant docs at ranks 1 and 3: DCG = 1 + 0.5 = 1.5; ideal = 1 + 0.63093 = 1.63093.
    expect(ndcgAtK(['b.md', 'x', 'c.md'], new Set(['b.md', 'c.md']), 10)).toBeCloseTo(1.5 / 1.63093, 4);
    expect(ndcgAtK([], rel, 10)).toBe(0);
  });
  it('nearest-rank percentiles', () => {
    const values = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(100);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
  it('must-include ignores case, emphasis and spacing', () => {
    expect(includesAny('Click **Validate**  to  post the receipt', ['validate to post'])).toBe(true);
    expect(includesAny('Click Validate', ['three-way match', 'approve'])).toBe(false);
  });
});

describe('scoreCase', () => {
  it('answerable, hit at rank 2, one of three citations relevant', () => {
    const c = kase({
      id: 'a1',
      expect: 'answer',
      expected_sources: ['Finance/bills.md'],
      must_include_any: ['bill'],
    });
    const s = scoreCase(
      outcome(c, ['Finance/pay.md', 'Finance/bills.md', 'Finance/pay.md'], { answerText: 'Create the Bill' }),
      access,
    );
    expect(s).toMatchObject({
      hit1: false,
      hit5: true,
      reciprocalRank: 0.5,
      mustInclude: true,
      forbidden: [],
    });
    expect(s.citationPrecision).toBeCloseTo(1 / 3);
    expect(s.failures).toEqual(['wrong-first-source']);
  });

  it('a refused answerable case is a false refusal and ranks nothing', () => {
    const c = kase({ id: 'a2', expect: 'answer', expected_sources: ['Finance/bills.md'] });
    const s = scoreCase(outcome(c, ['Finance/bills.md'], { answered: false }), access);
    expect(s).toMatchObject({
      hit1: false,
      hit5: false,
      reciprocalRank: 0,
      ndcg10: 0,
      citationPrecision: null,
    });
    expect(s.failures).toEqual(['false-refusal']);
  });

  it('flags citations the role cannot read and sources the case forbids, even in refusals', () => {
    const c = kase({ id: 'f1', expect: 'refuse', forbidden_sources: ['Documents/secret.md'] });
    const s = scoreCase(
      outcome(c, ['Inventory/stock.md'], {
        answered: false,
        considered: ['Documents/secret.md', 'Finance/ok.md'],
      }),
      access,
    );
    expect(s.kind).toBe('forbidden');
    expect(s.refused).toBe(true);
    expect(s.forbidden).toEqual([
      { source: 'Inventory/stock.md', where: 'citation', reason: 'role-cannot-read' },
      { source: 'Documents/secret.md', where: 'considered', reason: 'listed-forbidden' },
    ]);
    expect(s.failures).toEqual(['forbidden-citation']);
  });

  it('flags a closest SOP a refusal points to when the role cannot read it or the case forbids it', () => {
    const c = kase({ id: 'f2', expect: 'refuse', forbidden_sources: ['Documents/secret.md'] });
    const s = scoreCase(
      outcome(c, [], {
        answered: false,
        related: [
          { source: 'Finance/ok.md' },
          { source: 'Inventory/stock.md' },
          { source: 'Documents/secret.md' },
        ],
      }),
      access,
    );
    expect(s.refused).toBe(true);
    expect(s.forbidden).toEqual([
      { source: 'Inventory/stock.md', where: 'related', reason: 'role-cannot-read' },
      { source: 'Documents/secret.md', where: 'related', reason: 'listed-forbidden' },
    ]);
    expect(s.failures).toEqual(['forbidden-citation']);
    const clean = scoreCase(
      outcome(c, [], { answered: false, related: [{ source: 'Finance/ok.md' }] }),
      access,
    );
    expect(clean.forbidden).toEqual([]);
  });

  it('an answered unanswerable case fails', () => {
    const c = kase({ id: 'u1', expect: 'refuse' });
    const s = scoreCase(outcome(c, ['Finance/pay.md']), access);
    expect(s).toMatchObject({ kind: 'unanswerable', refused: false, failures: ['answered-unanswerable'] });
  });
});

describe('computeMetrics', () => {
  it('summarises a hand-computed run', () => {
    const answerable = [
      // rank 1 hit
      outcome(
        kase({ id: 'a', expect: 'answer', expected_sources: ['Finance/a.md'], must_include_any: ['x'] }),
        ['Finance/a.md'],
        { answerText: 'x', latencyMs: 5 },
      ),
      // rank 3 hit
      outcome(
        kase({ id: 'b', expect: 'answer', expected_sources: ['Finance/b.md'], must_include_any: ['y'] }),
        ['Finance/a.md', 'Finance/c.md', 'Finance/b.md'],
        { answerText: 'nothing', latencyMs: 15 },
      ),
      // refused
      outcome(kase({ id: 'c', expect: 'answer', expected_sources: ['Finance/c.md'] }), [], {
        answered: false,
        latencyMs: 25,
      }),
      // rank 1 hit
      outcome(kase({ id: 'd', expect: 'answer', expected_sources: ['Finance/d.md'] }), ['Finance/d.md'], {
        latencyMs: 35,
      }),
    ];
    const refusals = [
      outcome(kase({ id: 'u1', expect: 'refuse' }), [], { answered: false, latencyMs: 45 }),
      outcome(kase({ id: 'u2', expect: 'refuse' }), ['Finance/a.md'], { latencyMs: 55 }),
      outcome(kase({ id: 'f1', expect: 'refuse', forbidden_sources: ['Inventory/x.md'] }), [], {
        answered: false,
        latencyMs: 65,
      }),
      // answered with a citation the clerk cannot read: a leak
      outcome(
        kase({ id: 'f2', expect: 'refuse', forbidden_sources: ['Inventory/x.md'] }),
        ['Inventory/x.md'],
        {
          latencyMs: 75,
        },
      ),
    ];
    const { metrics } = computeMetrics([...answerable, ...refusals], access);
    expect(metrics).toMatchObject({
      cases: 8,
      answerable: 4,
      unanswerable: 2,
      forbidden: 2,
      passed: 4, // a, d, u1, f1
      hit_at_1: 0.5,
      hit_at_5: 0.75,
      refusal: 0.5,
      refusal_unanswerable: 0.5,
      refusal_forbidden: 0.5,
      false_refusals: 0.25,
      must_include: 0.5,
      forbidden_citations: 1,
      latency_p50_ms: 35,
      latency_p95_ms: 75,
    });
    // MRR: (1 + 1/3 + 0 + 1) / 4
    expect(metrics.mrr_at_10).toBeCloseTo((2 + 1 / 3) / 4);
    // nDCG: (1 + 1/log2(4) + 0 + 1) / 4 = (2.5) / 4
    expect(metrics.ndcg_at_10).toBeCloseTo(2.5 / 4);
    // citation precision over answered answerable: a 1, b 1/3, d 1 → 7/9
    expect(metrics.citation_precision).toBeCloseTo(7 / 9);
  });

  it('scores retrieval on its own for ranking_*: a refused question counts with what it would have cited', () => {
    const answered = outcome(kase({ id: 'a', expect: 'answer', expected_sources: ['Finance/a.md'] }), [
      'Finance/z.md',
      'Finance/a.md',
    ]);
    const refusedRankedSecond = outcome(
      kase({ id: 'b', expect: 'answer', expected_sources: ['Finance/b.md'] }),
      [],
      {
        answered: false,
        ungatedCitations: [
          { source: 'Finance/x.md' },
          { source: 'Finance/x.md' },
          { source: 'Finance/b.md' },
        ],
      },
    );
    const refusedNothing = outcome(
      kase({ id: 'c', expect: 'answer', expected_sources: ['Finance/c.md'] }),
      [],
      {
        answered: false,
      },
    );
    const { metrics } = computeMetrics([answered, refusedRankedSecond, refusedNothing], access);
    // The end-to-end figures score both refusals 0; the ranking ones only the one with nothing ranked.
    expect(metrics).toMatchObject({ hit_at_1: 0, hit_at_5: 1 / 3, false_refusals: 2 / 3 });
    expect(metrics).toMatchObject({ ranking_hit_at_1: 0, ranking_hit_at_5: 2 / 3 });
    expect(metrics.mrr_at_10).toBeCloseTo(0.5 / 3);
    expect(metrics.ranking_mrr_at_10).toBeCloseTo((0.5 + 0.5) / 3);
  });

  it('counts a page as reached when it is cited in the first five, or listed among the closest SOPs of a refusal', () => {
    const cited = outcome(kase({ id: 'a', expect: 'answer', expected_sources: ['Finance/a.md'] }), [
      'Finance/z.md',
      'Finance/a.md',
    ]);
    const listed = outcome(kase({ id: 'b', expect: 'answer', expected_sources: ['Finance/b.md'] }), [], {
      answered: false,
      related: [{ source: 'Finance/x.md' }, { source: 'Finance/b.md' }],
    });
    const notListed = outcome(kase({ id: 'c', expect: 'answer', expected_sources: ['Finance/c.md'] }), [], {
      answered: false,
      related: [{ source: 'Finance/x.md' }],
      // What it would have cited does not count: the person never saw it.
      ungatedCitations: [{ source: 'Finance/c.md' }],
    });
    const { metrics, scores } = computeMetrics([cited, listed, notListed], access);
    expect(scores.map((s) => s.reached)).toEqual([true, true, false]);
    expect(metrics.page_reached).toBeCloseTo(2 / 3);
    expect(metrics.hit_at_5).toBeCloseTo(1 / 3);
  });

  it('reports n/a rather than zero when a kind has no cases', () => {
    const { metrics } = computeMetrics(
      [outcome(kase({ id: 'a', expect: 'answer', expected_sources: ['Finance/a.md'] }), ['Finance/a.md'])],
      access,
    );
    expect(metrics.refusal).toBeNull();
    expect(metrics.must_include).toBeNull();
    expect(metrics.hit_at_1).toBe(1);
  });
});
