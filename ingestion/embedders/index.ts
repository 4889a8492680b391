/**
 * Public face of the embedders: `createEmbedder(config, { dataDir })` picks one by configuration —
 * `EMBEDDINGS_PROVIDER=local` with `LOCAL_EMBEDDER=hash|wink|hash+wink`, or `EMBEDDINGS_PROVIDER=openai`.
 * Ingestion and retrieval must use the same one; the index records its `id` and `dimensions`.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { HashWinkEmbeddings } from './combined.js';
import { HashEmbeddings } from './hash.js';
import { OpenAICompatibleEmbeddings } from './openai.js';
import { EmbedderConfigSchema, type EmbedderConfig, type SopEmbeddings } from './types.js';
import { WinkEmbeddings } from './wink.js';
import { loadWinkVectors } from './wink-vectors.js';

export type { EmbedderConfig, SopEmbeddings } from './types.js';
export { EmbedderError } from './openai.js';

const OptionsSchema = z.object({
  dataDir: z.string().min(1),
  /** Where the word-vector cache lives; default `<dataDir>/cache`. Tests share one across runs. */
  cacheDir: z.string().min(1).optional(),
});
export type CreateEmbedderOptions = z.infer<typeof OptionsSchema>;

export async function createEmbedder(
  config: EmbedderConfig,
  options: CreateEmbedderOptions,
): Promise<SopEmbeddings> {
  const c = EmbedderConfigSchema.parse({
    EMBEDDINGS_PROVIDER: config.EMBEDDINGS_PROVIDER,
    LOCAL_EMBEDDER: config.LOCAL_EMBEDDER,
    OPENAI_BASE_URL: config.OPENAI_BASE_URL || undefined,
    OPENAI_API_KEY: config.OPENAI_API_KEY || undefined,
    EMBEDDINGS_MODEL: config.EMBEDDINGS_MODEL,
    HASH_DIMENSIONS: config.HASH_DIMENSIONS,
  });
  const { dataDir, cacheDir } = OptionsSchema.parse(options);
  if (c.EMBEDDINGS_PROVIDER === 'openai') {
    return OpenAICompatibleEmbeddings.create({
      model: c.EMBEDDINGS_MODEL,
      baseURL: c.OPENAI_BASE_URL,
      apiKey: c.OPENAI_API_KEY,
    });
  }
  const hash = new HashEmbeddings(c.HASH_DIMENSIONS === undefined ? {} : { dimensions: c.HASH_DIMENSIONS });
  if (c.LOCAL_EMBEDDER === 'hash') return hash;
  const wink = new WinkEmbeddings(await loadWinkVectors(cacheDir ?? join(dataDir, 'cache')));
  if (c.LOCAL_EMBEDDER === 'wink') return wink;
  return new HashWinkEmbeddings(hash, wink);
}
