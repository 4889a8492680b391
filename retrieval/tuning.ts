/**
 * Retrieval tuning (fusion method, arm depth, rerank weights, the confidence model and threshold) is data, kept in
 * `data/retrieval.yml` and validated here, so a measurement can change it without touching code.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { CONFIDENCE_FEATURES } from './confidence.js';
import type { ConfidenceModel } from './confidence.js';
import type { RerankWeights } from './rerank.js';

const featureWeights = z.object(
  Object.fromEntries(CONFIDENCE_FEATURES.map((f) => [f, z.number()])) as Record<
    (typeof CONFIDENCE_FEATURES)[number],
    z.ZodNumber
  >,
);

export const tuningSchema = z.object({
  fusion: z.enum(['rrf', 'weighted']),
  rrfK: z.number().positive(),
  vectorWeight: z.number().min(0).max(1),
  armLimit: z.number().int().min(5).max(500),
  candidates: z.number().int().min(1).max(200),
  exactScanMaxChunks: z.number().int().min(0),
  /** HNSW mode: index tuples the vector arm's iterative scan may visit before it stops (pgvector's default 20 000). */
  hnswMaxScanTuples: z.number().int().min(1000).default(20000),
  pruneDfRatio: z.number().gt(0).max(1),
  ftsRowBudget: z.number().int().positive(),
  rerank: z.object({
    fused: z.number(),
    coverage: z.number(),
    headingCoverage: z.number(),
    vector: z.number(),
    steps: z.number(),
    title: z.number().optional(),
    document: z.number().min(0).optional(),
  }),
  confidence: z.object({ bias: z.number(), weights: featureWeights }),
  threshold: z.number().min(0).max(1),
  /** Citations in a reply (best first) and how close to the best passage a further one must score. */
  maxCitations: z.number().int().min(1).max(10),
  citationRelativeScore: z.number().min(0).max(1),
});

export type RetrievalTuning = z.infer<typeof tuningSchema> & {
  rerank: RerankWeights;
  confidence: ConfidenceModel;
};

export class TuningFileError extends Error {
  override readonly name = 'TuningFileError';
}

export function parseTuning(data: unknown, file = 'retrieval tuning'): RetrievalTuning {
  const r = tuningSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new TuningFileError(`${file}: ${i?.path.join('.') || '(root)'}: ${i?.message ?? 'invalid'}`);
  }
  return r.data;
}

export function loadTuning(file: string): RetrievalTuning {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TuningFileError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseTuning(data, file);
}
