import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config/index.js';
import { openContext } from './context.js';
import { silentLogger } from './logger.js';
import { getIndexBinding } from '../store/index.js';

describe('openContext', { timeout: 120_000 }, () => {
  it('binds the index to the configured embedder and refuses another one until reindex', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sop-ctx-'));
    const logger = silentLogger();
    try {
      const hash = await openContext(loadConfig({ SOP_DATA_DIR: dataDir, LOCAL_EMBEDDER: 'hash' }), {
        logger,
      });
      const binding = await getIndexBinding(hash.store.db);
      expect(binding).toEqual({ embedder: hash.embedder.id, dimensions: hash.embedder.dimensions });
      await hash.close();

      // Another embedder (OpenAI, never called here) is refused with the reindex hint…
      const other = loadConfig({
        SOP_DATA_DIR: dataDir,
        EMBEDDINGS_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-test',
      });
      await expect(openContext(other, { logger })).rejects.toMatchObject({ name: 'IndexMismatchError' });
      // …while commands that need no embedder still open the store.
      const bare = await openContext(other, { logger, embedder: 'none' });
      expect(() => bare.embedder).toThrow(/without an embedder/);
      await bare.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
