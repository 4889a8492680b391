/**
 * The composition root: the one place that knows every concrete part. Commands and the server ask for a context
 * and get the store (embedded or server, migrated), the embedder (bound to the index: a different embedder than the
 * one that built it is an `IndexMismatchError` telling the user to run `reindex`) and the logger. Later parts
 * (assistant, Odoo client) are wired here too, never inside the modules that use them.
 */
import { createEmbedder, type SopEmbeddings } from '../ingestion/embedders/index.js';
import { bindIndex, openStore, type Store } from '../store/index.js';
import type { Config } from './config/index.js';
import type { Logger } from './logger.js';

export interface ContextOptions {
  logger: Logger;
  /**
   * `bound` (default): create the embedder and check/bind the index to it; `unbound`: create it without the check
   * (`reindex`, which is how a mismatch gets fixed); `none`: no embedder (commands that only read metadata).
   */
  embedder?: 'bound' | 'unbound' | 'none';
}

export interface AppContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly dataDir: string;
  readonly store: Store;
  /** Throws when the context was opened with `embedder: 'none'`. */
  readonly embedder: SopEmbeddings;
  close(): Promise<void>;
}

export async function openContext(config: Config, options: ContextOptions): Promise<AppContext> {
  const { logger } = options;
  const mode = options.embedder ?? 'bound';
  const dataDir = config.SOP_DATA_DIR;
  const store = await openStore({
    dataDir,
    ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
    ...(config.PGLITE_SHARED_BUFFERS_MB ? { sharedBuffersMb: config.PGLITE_SHARED_BUFFERS_MB } : {}),
  });
  logger.debug({ store: store.kind, location: store.location }, 'store open');
  try {
    let embedder: SopEmbeddings | undefined;
    if (mode !== 'none') {
      embedder = await createEmbedder(config, { dataDir });
      if (mode === 'bound') await bindIndex(store.db, { id: embedder.id, dimensions: embedder.dimensions });
      logger.debug({ embedder: embedder.id }, 'embedder ready');
    }
    return {
      config,
      logger,
      dataDir,
      store,
      get embedder(): SopEmbeddings {
        if (!embedder) throw new Error('This command opened the context without an embedder');
        return embedder;
      },
      close: () => store.close(),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
