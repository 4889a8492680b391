/** Embedders by name for the tuning script, the quality tests and the bench: the real ones, by configuration. */
import { createEmbedder } from '../../ingestion/embedders/index.js';
import type { SopEmbeddings } from '../../ingestion/embedders/index.js';
import { TEST_CACHE_DIR } from '../../ingestion/embedders/test-cache.js';
import { createProvisionalEmbedder } from './provisional-embedder.js';

export type TestEmbedder = Pick<SopEmbeddings, 'id' | 'dimensions' | 'embedQuery' | 'embedDocuments'>;

export async function makeEmbedder(name: string): Promise<TestEmbedder> {
  if (name === 'provisional') return createProvisionalEmbedder();
  if (name !== 'hash' && name !== 'wink' && name !== 'hash+wink') throw new Error(`unknown embedder ${name}`);
  return createEmbedder(
    { EMBEDDINGS_PROVIDER: 'local', LOCAL_EMBEDDER: name, EMBEDDINGS_MODEL: 'text-embedding-3-small' },
    { dataDir: TEST_CACHE_DIR, cacheDir: TEST_CACHE_DIR },
  );
}
