import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  belowGoal,
  checkThresholds,
  describeBound,
  effectiveThresholds,
  parseThresholds,
  ThresholdsFileError,
} from './thresholds.js';
import type { Metrics } from './metrics.js';

const metrics: Metrics = {
  cases: 10,
  answerable: 6,
  unanswerable: 4,
  forbidden: 0,
  passed: 8,
  hit_at_1: 0.9,
  hit_at_5: 0.95,
  mrr_at_10: 0.92,
  ranking_hit_at_1: 0.9,
  ranking_hit_at_5: 0.98,
  ranking_mrr_at_10: 0.93,
  page_reached: 0.97,
  ndcg_at_10: 0.93,
  citation_precision: 0.7,
  refusal: 1,
  refusal_unanswerable: 1,
  refusal_forbidden: null,
  false_refusals: 0.1,
  must_include: null,
  forbidden_citations: 0,
  latency_p50_ms: 3,
  latency_p95_ms: 9,
};

describe('thresholds', () => {
  it('reads the committed file with shared bars for every dataset', async () => {
    const file = new URL('./thresholds.yml', import.meta.url);
    const all = parseThresholds(await readFile(file, 'utf8'));
    expect(Object.keys(all).sort()).toEqual([
      'demo-hospital',
      'odoo-docs',
      'odoo-docs-blind',
      'odoo-docs-paraphrased',
    ]);
    expect(all['odoo-docs']?.ranking_hit_at_1).toEqual({ min: 0.85 });
    expect(all['demo-hospital']?.forbidden_citations).toEqual({ max: 0 });
    // A gate below the DESIGN bar must carry the bar as its goal, so no report can hide it.
    const bars: Record<string, { min?: number; max?: number }> = {
      hit_at_1: { min: 0.85 },
      hit_at_5: { min: 0.97 },
      mrr_at_10: { min: 0.9 },
      ranking_hit_at_1: { min: 0.85 },
      ranking_hit_at_5: { min: 0.97 },
      ranking_mrr_at_10: { min: 0.9 },
      refusal: { min: 0.9 },
      refusal_unanswerable: { min: 0.9 },
      refusal_forbidden: { min: 0.9 },
      false_refusals: { max: 0.05 },
    };
    for (const dataset of Object.values(all)) {
      for (const [metric, bar] of Object.entries(bars)) {
        const bound = dataset[metric as keyof typeof dataset];
        expect(bound, metric).toBeDefined();
        const lowered =
          (bar.min !== undefined && bound!.min! < bar.min) ||
          (bar.max !== undefined && bound!.max! > bar.max);
        if (lowered) expect(bound!.goal, metric).toBe(bar.min ?? bar.max);
      }
    }
  });

  it('passes, fails and skips metrics against their bounds', () => {
    const checks = checkThresholds(metrics, {
      hit_at_1: { min: 0.85 },
      hit_at_5: { min: 0.97 },
      false_refusals: { max: 0.05 },
      refusal_forbidden: { min: 0.9 },
    });
    expect(checks.map((c) => [c.metric, c.status])).toEqual([
      ['hit_at_1', 'pass'],
      ['hit_at_5', 'fail'],
      ['refusal_forbidden', 'n/a'],
      ['false_refusals', 'fail'],
    ]);
  });

  it('always gates forbidden citations at zero, even for a dataset with no thresholds', () => {
    const checks = checkThresholds({ ...metrics, forbidden_citations: 1 }, effectiveThresholds(undefined));
    expect(checks).toEqual([
      { metric: 'forbidden_citations', bound: { max: 0 }, value: 1, status: 'fail', meetsGoal: null },
    ]);
  });

  it('keeps a goal beside a temporarily lowered threshold and says when it is not reached', () => {
    const checks = checkThresholds(metrics, {
      hit_at_1: { min: 0.8, goal: 0.85 },
      hit_at_5: { min: 0.9, goal: 0.97 },
      false_refusals: { max: 0.2, goal: 0.05 },
    });
    expect(checks.map((c) => [c.metric, c.status, c.meetsGoal])).toEqual([
      ['hit_at_1', 'pass', true],
      ['hit_at_5', 'pass', false],
      ['false_refusals', 'pass', false],
    ]);
    expect(belowGoal(checks).map((c) => c.metric)).toEqual(['hit_at_5', 'false_refusals']);
    expect(describeBound({ max: 0.2, goal: 0.05 })).toBe('≤ 0.2, goal ≤ 0.05');
  });

  it('rejects unknown metrics and a tolerated leak', () => {
    expect(() => parseThresholds('datasets:\n  x:\n    hit_at_3: { min: 1 }\n')).toThrow(ThresholdsFileError);
    expect(() => parseThresholds('datasets:\n  x:\n    forbidden_citations: { max: 2 }\n')).toThrow(/max: 0/);
    expect(() => parseThresholds('datasets:\n  x:\n    hit_at_1: {}\n')).toThrow(/min or max/);
  });
});
