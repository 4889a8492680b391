/**
 * Quality gates from `evals/thresholds.yml`: per dataset, each metric has a `min` or `max`. A run fails when any is
 * missed. Forbidden citations are gated at 0 here in code, whatever the file says or omits: leaking a document a role
 * may not read is never an acceptable regression.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { METRIC_LABELS, type Metrics } from './metrics.js';

const metricKeys = Object.keys(METRIC_LABELS) as [keyof Metrics, ...(keyof Metrics)[]];

const boundSchema = z
  .strictObject({
    min: z.number().optional(),
    max: z.number().optional(),
    // The product's quality bar when the gate is temporarily set below it: shown in every report, never gated.
    goal: z.number().optional(),
  })
  .refine((b) => b.min !== undefined || b.max !== undefined, 'give min or max');

const datasetThresholdsSchema = z
  .partialRecord(z.enum(metricKeys), boundSchema)
  .refine((t) => t.forbidden_citations === undefined || t.forbidden_citations.max === 0, {
    message: 'forbidden_citations can only be gated at max: 0',
  });

// Loose at the top so the file can hold YAML anchors (shared bars) beside `datasets`.
export const thresholdsFileSchema = z.looseObject({
  datasets: z.record(z.string().min(1), datasetThresholdsSchema),
});

export type Bound = z.infer<typeof boundSchema>;
export type DatasetThresholds = Partial<Record<keyof Metrics, Bound>>;

export interface ThresholdCheck {
  metric: keyof Metrics;
  bound: Bound;
  value: number | null;
  /** `n/a`: the run has no cases for this metric, so it cannot be judged (and does not fail the gate). */
  status: 'pass' | 'fail' | 'n/a';
  /** With a `goal`: whether the value reaches it (null without a goal or a value). */
  meetsGoal: boolean | null;
}

export class ThresholdsFileError extends Error {
  override readonly name = 'ThresholdsFileError';
}

export function parseThresholds(text: string, file = 'thresholds.yml'): Record<string, DatasetThresholds> {
  let data: unknown;
  try {
    data = parseYaml(text, { merge: true });
  } catch (err) {
    throw new ThresholdsFileError(`${file}: not valid YAML (${(err as Error).message})`);
  }
  const parsed = thresholdsFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ThresholdsFileError(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data.datasets as Record<string, DatasetThresholds>;
}

export async function loadThresholds(file: string): Promise<Record<string, DatasetThresholds>> {
  return parseThresholds(await readFile(file, 'utf8'), file);
}

/** The thresholds a run is judged by: the dataset's own, plus the non-negotiable forbidden-citation gate. */
export function effectiveThresholds(own: DatasetThresholds | undefined): DatasetThresholds {
  return { ...own, forbidden_citations: { max: 0 } };
}

export function checkThresholds(metrics: Metrics, thresholds: DatasetThresholds): ThresholdCheck[] {
  const checks: ThresholdCheck[] = [];
  for (const metric of metricKeys) {
    const bound = thresholds[metric];
    if (!bound) continue;
    const value = metrics[metric];
    let status: ThresholdCheck['status'] = 'pass';
    if (value === null) status = 'n/a';
    else if (
      (bound.min !== undefined && value < bound.min) ||
      (bound.max !== undefined && value > bound.max)
    ) {
      status = 'fail';
    }
    let meetsGoal: boolean | null = null;
    if (bound.goal !== undefined && value !== null) {
      meetsGoal =
        bound.max !== undefined && bound.min === undefined ? value <= bound.goal : value >= bound.goal;
    }
    checks.push({ metric, bound, value, status, meetsGoal });
  }
  return checks;
}

export function describeBound(bound: Bound): string {
  const parts: string[] = [];
  if (bound.min !== undefined) parts.push(`≥ ${bound.min}`);
  if (bound.max !== undefined) parts.push(bound.max === 0 ? '= 0' : `≤ ${bound.max}`);
  if (bound.goal !== undefined)
    parts.push(`goal ${bound.max !== undefined && bound.min === undefined ? '≤' : '≥'} ${bound.goal}`);
  return parts.join(', ');
}

/** Checks that pass the gate but sit below the product's goal (a temporarily lowered threshold). */
export function belowGoal(checks: readonly ThresholdCheck[]): ThresholdCheck[] {
  return checks.filter((c) => c.meetsGoal === false);
}
