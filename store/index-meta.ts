/**
 * Which embedder built the index. Vectors from different embedders are not comparable, and the column's dimension
 * is the embedder's, so the first embedder bound to an empty index fixes `embedding vector(D)` and is recorded in
 * `index_meta`; any other embedder afterwards gets `IndexMismatchError` ("run `sop-assistant reindex`").
 */
import type { Db } from './db.js';
import { IndexMismatchError } from './errors.js';

export interface EmbedderIdentity {
  /** e.g. `hash-v1-384`, `openai:text-embedding-3-small-1536` */
  id: string;
  dimensions: number;
}

export interface IndexBinding {
  embedder: string;
  dimensions: number;
  /** Set while `reindex` runs; an interrupted reindex leaves it, and opening then asks to run reindex again. */
  reindexingTo?: string;
}

const REINDEXING = 'reindexing';

export async function getIndexMeta(db: Db): Promise<Record<string, string>> {
  const { rows } = await db.query<{ key: string; value: string }>('SELECT key, value FROM index_meta');
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

export async function getIndexBinding(db: Db): Promise<IndexBinding | null> {
  const meta = await getIndexMeta(db);
  if (!meta.embedder) return null;
  return {
    embedder: meta.embedder,
    dimensions: Number(meta.dimensions ?? 0),
    ...(meta.reindexing_to ? { reindexingTo: meta.reindexing_to } : {}),
  };
}

async function setMeta(db: Db, entries: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(entries)) {
    await db.query(
      'INSERT INTO index_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
      [key, value],
    );
  }
}

function checkDimensions(dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 16_000) {
    throw new Error(`Embedder dimension must be an integer between 1 and 16000, got ${dimensions}`);
  }
}

/**
 * Binds the index to `embedder` if it is unbound, or checks it is the same one. Call it whenever an embedder and
 * the store meet (ingest, ask, serve). Throws `IndexMismatchError` for a different embedder or an unfinished reindex.
 */
export async function bindIndex(db: Db, embedder: EmbedderIdentity): Promise<IndexBinding> {
  checkDimensions(embedder.dimensions);
  return db.transaction(async (tx) => {
    // Serialises two processes binding an empty index at the same moment (server path).
    await tx.exec('LOCK TABLE index_meta IN EXCLUSIVE MODE');
    const current = await getIndexBinding(tx);
    if (current === null) {
      await tx.exec(`ALTER TABLE chunks ALTER COLUMN embedding TYPE vector(${embedder.dimensions})`);
      await setMeta(tx, { embedder: embedder.id, dimensions: String(embedder.dimensions) });
      return { embedder: embedder.id, dimensions: embedder.dimensions };
    }
    if (current.embedder === REINDEXING) {
      throw new IndexMismatchError(
        { embedder: `an unfinished reindex to ${current.reindexingTo ?? '?'}`, dimensions: null },
        { embedder: embedder.id, dimensions: embedder.dimensions },
        `A reindex to "${current.reindexingTo ?? '?'}" was interrupted. Run \`sop-assistant reindex\` again to finish it.`,
      );
    }
    if (current.embedder !== embedder.id || current.dimensions !== embedder.dimensions) {
      throw new IndexMismatchError(current, { embedder: embedder.id, dimensions: embedder.dimensions });
    }
    return current;
  });
}

/**
 * First step of a reindex: frees the column from its old dimension and marks the index as being rebuilt, so any
 * reader opening it meanwhile gets a clear error instead of mixed vectors. Drops the vector index (it would be
 * rebuilt row by row otherwise); returns whether one existed.
 */
export async function beginReindex(db: Db, target: EmbedderIdentity): Promise<{ hadVectorIndex: boolean }> {
  checkDimensions(target.dimensions);
  return db.transaction(async (tx) => {
    await tx.exec('LOCK TABLE index_meta IN EXCLUSIVE MODE');
    const { rows } = await tx.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'chunks' AND indexname = 'chunks_embedding_hnsw'",
    );
    const hadVectorIndex = (rows[0]?.n ?? 0) > 0;
    await tx.exec('DROP INDEX IF EXISTS chunks_embedding_hnsw');
    await tx.exec('ALTER TABLE chunks ALTER COLUMN embedding TYPE vector');
    await setMeta(tx, { embedder: REINDEXING, dimensions: '0', reindexing_to: target.id });
    return { hadVectorIndex };
  });
}

/** Last step of a reindex: every chunk now carries the target's vectors; fix the dimension and record the binding. */
export async function finishReindex(db: Db, target: EmbedderIdentity): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.exec('LOCK TABLE index_meta IN EXCLUSIVE MODE');
    await tx.exec(`ALTER TABLE chunks ALTER COLUMN embedding TYPE vector(${target.dimensions})`);
    await tx.query("DELETE FROM index_meta WHERE key = 'reindexing_to'");
    await setMeta(tx, {
      embedder: target.id,
      dimensions: String(target.dimensions),
      reindexed_at: new Date().toISOString(),
    });
  });
}
