import type { Embeddings } from '@langchain/core/embeddings';
import { z } from 'zod';

/**
 * An embedder the whole product shares: ingestion embeds chunks with it and retrieval embeds queries with the same
 * one. `id` names the method and its dimension (`hash-v1-512`, `wink-sif-100`, `hash+wink-612`,
 * `openai:text-embedding-3-small-1536`); the index records it, so vectors from two different embedders never mix.
 * Every vector is L2-normalised, so cosine similarity is a dot product.
 */
export interface SopEmbeddings extends Embeddings {
  readonly id: string;
  readonly dimensions: number;
}

/**
 * The part of the app config the embedders read. Keys are the environment variable names, as in `app/config`, so
 * the whole `Config` can be passed as is.
 */
export const EmbedderConfigSchema = z.object({
  EMBEDDINGS_PROVIDER: z.enum(['local', 'openai']).default('local'),
  LOCAL_EMBEDDER: z.enum(['hash', 'wink', 'hash+wink']).default('hash'),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_API_KEY: z.string().optional(),
  EMBEDDINGS_MODEL: z.string().min(1).default('text-embedding-3-small'),
  /** Width of the `hash` vectors (alone or in `hash+wink`); default 512. */
  HASH_DIMENSIONS: z.number().int().min(64).max(2000).optional(),
});
export type EmbedderConfig = z.input<typeof EmbedderConfigSchema>;

/** Dot product; for unit vectors, the cosine similarity. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * (b[i] ?? 0);
  return s;
}
