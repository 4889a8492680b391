import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithBaseline, readBaseline, writeBaseline, type Baseline } from './baseline.js';
import type { Metrics } from './metrics.js';

const metrics: Metrics = {
  cases: 4,
  answerable: 2,
  unanswerable: 1,
  forbidden: 1,
  passed: 3,
  hit_at_1: 0.5,
  hit_at_5: 1,
  mrr_at_10: 0.75,
  ranking_hit_at_1: 0.6,
  ranking_hit_at_5: 0.85,
  ranking_mrr_at_10: 0.78,
  page_reached: 0.9,
  ndcg_at_10: 0.8,
  citation_precision: 0.5,
  refusal: 1,
  refusal_unanswerable: 1,
  refusal_forbidden: 1,
  false_refusals: 0,
  must_include: null,
  forbidden_citations: 0,
  latency_p50_ms: 4,
  latency_p95_ms: 8,
};

describe('baseline', () => {
  it('round-trips without machine-dependent latency and with sorted ids', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'sop-baseline-')), 'b', 'demo.json');
    await writeBaseline(file, {
      dataset: 'demo',
      embedder: 'hash-v1-384',
      metrics: { ...metrics, ndcg_at_10: 2 / 3 },
      failing_cases: ['z', 'a'],
    });
    const back = await readBaseline(file);
    expect(back?.failing_cases).toEqual(['a', 'z']);
    expect(back?.metrics.latency_p95_ms).toBeUndefined();
    expect(back?.metrics.hit_at_1).toBe(0.5);
    expect(back?.metrics.mrr_at_10).toBe(0.75);
    expect(back?.metrics.ndcg_at_10).toBe(0.6667);
    expect(await readFile(file, 'utf8')).toMatch(/\n$/);
    expect(await readBaseline(join(file, '..', 'missing.json'))).toBeNull();
  });

  it('reports direction of change and which cases moved', () => {
    const baseline: Baseline = { dataset: 'demo', embedder: 'a', metrics, failing_cases: ['x', 'y'] };
    const current: Metrics = {
      ...metrics,
      hit_at_1: 0.25,
      false_refusals: 0.5,
      refusal: 1,
      forbidden_citations: 0,
    };
    const cmp = compareWithBaseline(baseline, current, ['y', 'w'], 'b');
    const byMetric = Object.fromEntries(cmp.changes.map((c) => [c.metric, c]));
    expect(byMetric.hit_at_1).toMatchObject({ delta: -0.25, verdict: 'worse' });
    expect(byMetric.false_refusals).toMatchObject({ delta: 0.5, verdict: 'worse' });
    expect(byMetric.refusal).toMatchObject({ delta: 0, verdict: 'same' });
    expect(byMetric.must_include?.verdict).toBe('n/a');
    expect(cmp.newlyFailing).toEqual(['w']);
    expect(cmp.nowPassing).toEqual(['x']);
    expect(cmp.embedderChanged).toBe(true);
  });
});
