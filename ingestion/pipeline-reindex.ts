/**
 * `reindex`: re-embed every stored chunk with the configured embedder, without re-reading or re-parsing any source.
 * The column is first freed from the old dimension and the index marked "reindexing" (readers get a clear error
 * meanwhile; an interrupted run is finished by running it again), then chunks are re-embedded in id order, batch by
 * batch, and finally the new dimension and embedder are recorded. A vector index that existed is rebuilt.
 */
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import {
  beginReindex,
  countIndex,
  finishReindex,
  getIndexBinding,
  listChunksForEmbedding,
  rebuildVectorIndex,
  updateChunkEmbeddings,
} from '../store/index.js';
import { embeddingText, type DocumentEmbedder } from './index-document.js';

export interface ReindexOptions {
  store: { db: Db };
  embedder: DocumentEmbedder;
  logger: Logger;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ReindexReport {
  from: string | null;
  to: string;
  dimensions: number;
  chunks: number;
  seconds: number;
  vectorIndexRebuilt: boolean;
}

export async function runReindex(options: ReindexOptions): Promise<ReindexReport> {
  const started = performance.now();
  const { store, embedder, logger } = options;
  const db = store.db;
  const batchSize = options.batchSize ?? 256;
  const target = { id: embedder.id, dimensions: embedder.dimensions };
  const before = await getIndexBinding(db);
  const total = (await countIndex(db)).chunks;
  logger.info(
    { from: before?.reindexingTo ?? before?.embedder ?? null, to: target.id, chunks: total },
    'reindexing',
  );

  const { hadVectorIndex } = await beginReindex(db, target);
  let done = 0;
  let afterId = 0;
  for (;;) {
    const batch = await listChunksForEmbedding(db, afterId, batchSize);
    if (batch.length === 0) break;
    const vectors = await embedder.embedDocuments(batch.map(embeddingText));
    await updateChunkEmbeddings(
      db,
      batch.map((c, i) => ({ id: c.id, embedding: vectors[i]! })),
    );
    afterId = batch[batch.length - 1]!.id;
    done += batch.length;
    options.onProgress?.(done, total);
  }
  await finishReindex(db, target);
  if (hadVectorIndex) await rebuildVectorIndex(db);
  return {
    from: before?.embedder === 'reindexing' ? null : (before?.embedder ?? null),
    to: target.id,
    dimensions: target.dimensions,
    chunks: done,
    seconds: Math.round((performance.now() - started) / 10) / 100,
    vectorIndexRebuilt: hadVectorIndex,
  };
}
