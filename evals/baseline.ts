/**
 * The committed baseline (`evals/baseline/<dataset>.json`): the metrics and the failing case ids of an accepted run.
 * Comparing against it makes a regression visible in review — which numbers moved, which cases newly fail — even when
 * every threshold still passes.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { METRIC_LABELS, type Metrics } from './metrics.js';

const metricsSchema = z.object(
  Object.fromEntries(Object.keys(METRIC_LABELS).map((k) => [k, z.number().nullable()])) as Record<
    keyof Metrics,
    z.ZodNullable<z.ZodNumber>
  >,
);

export const baselineSchema = z.object({
  dataset: z.string(),
  /** Embedder id the baseline was measured with; numbers from another embedder are not comparable. */
  embedder: z.string().optional(),
  metrics: metricsSchema.partial(),
  failing_cases: z.array(z.string()),
});

export type Baseline = z.infer<typeof baselineSchema>;

export class BaselineError extends Error {
  override readonly name = 'BaselineError';
}

export async function readBaseline(file: string): Promise<Baseline | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const parsed = baselineSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new BaselineError(`${file}: not a baseline (${parsed.error.issues[0]?.message})`);
  return parsed.data;
}

export async function writeBaseline(file: string, baseline: Baseline): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  // Latency depends on the machine, so it is kept out of the committed file to avoid noise in review diffs.
  const { latency_p50_ms: _p50, latency_p95_ms: _p95, ...rest } = baseline.metrics;
  // Four decimals are plenty for review and keep float noise out of the diff.
  const metrics = Object.fromEntries(
    Object.entries(rest).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 1e4) / 1e4 : v]),
  );
  const stable: Baseline = { ...baseline, metrics, failing_cases: [...baseline.failing_cases].sort() };
  await writeFile(file, `${JSON.stringify(stable, null, 2)}\n`);
}

/** Which way is better for each metric; counts are informational. */
const LOWER_IS_BETTER = new Set<keyof Metrics>([
  'false_refusals',
  'forbidden_citations',
  'latency_p50_ms',
  'latency_p95_ms',
]);
const INFORMATIONAL = new Set<keyof Metrics>(['cases', 'answerable', 'unanswerable', 'forbidden']);

export interface MetricChange {
  metric: keyof Metrics;
  baseline: number | null;
  current: number | null;
  delta: number | null;
  verdict: 'better' | 'worse' | 'same' | 'n/a';
}

export interface BaselineComparison {
  changes: MetricChange[];
  /** Cases that pass in the baseline and fail now. */
  newlyFailing: string[];
  /** Cases that failed in the baseline and pass now. */
  nowPassing: string[];
  embedderChanged: boolean;
}

/** Baselines keep four decimals, so smaller differences are rounding, not change. */
const EPSILON = 5e-5;

export function compareWithBaseline(
  baseline: Baseline,
  current: Metrics,
  failingNow: readonly string[],
  embedder?: string,
): BaselineComparison {
  const changes = (Object.keys(METRIC_LABELS) as (keyof Metrics)[]).map((metric): MetricChange => {
    const before = baseline.metrics[metric] ?? null;
    const now = current[metric];
    if (before === null || now === null)
      return { metric, baseline: before, current: now, delta: null, verdict: 'n/a' };
    const delta = now - before;
    let verdict: MetricChange['verdict'] = 'same';
    if (Math.abs(delta) > EPSILON && !INFORMATIONAL.has(metric)) {
      const improved = LOWER_IS_BETTER.has(metric) ? delta < 0 : delta > 0;
      verdict = improved ? 'better' : 'worse';
    }
    return { metric, baseline: before, current: now, delta, verdict };
  });
  const before = new Set(baseline.failing_cases);
  const now = new Set(failingNow);
  return {
    changes,
    newlyFailing: [...now].filter((id) => !before.has(id)).sort(),
    nowPassing: [...before].filter((id) => !now.has(id)).sort(),
    embedderChanged: Boolean(baseline.embedder && embedder && baseline.embedder !== embedder),
  };
}
