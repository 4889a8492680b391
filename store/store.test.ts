/**
 * One suite, two databases: embedded PGlite in-process, and `pg` over the real Postgres wire protocol against PGlite
 * served by pglite-socket — the server path, tested without a Postgres install.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPglite } from './pglite.js';
import { loadMigrations, migrate } from './migrate.js';
import {
  IndexMismatchError,
  beginReindex,
  bindIndex,
  countIndex,
  finishReindex,
  getIndexBinding,
  hasVectorIndex,
  listChunks,
  listChunksForEmbedding,
  listDocuments,
  markDocumentFailed,
  openStore,
  rebuildVectorIndex,
  removeDocument,
  updateChunkEmbeddings,
  updateDocumentAcl,
  upsertDocumentWithChunks,
  type ChunkInput,
  type Store,
} from './index.js';

interface Backend {
  name: string;
  open(): Promise<{ store: Store; cleanup(): Promise<void> }>;
}

const embedded: Backend = {
  name: 'PGlite in-process',
  async open() {
    const dir = await mkdtemp(join(tmpdir(), 'sop-store-'));
    const store = await openStore({ dataDir: dir });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

const overSocket: Backend = {
  name: 'pg over the wire (pglite-socket)',
  async open() {
    const instance = await createPglite('memory://');
    const server = new PGLiteSocketServer({ db: instance, port: 0, host: '127.0.0.1' });
    await server.start();
    const store = await openStore({
      dataDir: 'unused',
      databaseUrl: `postgres://postgres:postgres@${server.getServerConn()}/postgres`,
      // pglite-socket serves one backend; one pooled connection keeps transactions isolated.
      maxConnections: 1,
    });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await server.stop();
        await instance.close();
      },
    };
  },
};

const D = 8;
function unit(seed: number, dims = D): number[] {
  const v = Array.from({ length: dims }, (_, i) => Math.sin(seed * 31 + i * 7) + 0.01);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}
function chunks(n: number, prefix: string, dims = D): ChunkInput[] {
  return Array.from({ length: n }, (_, i) => ({
    ordinal: i,
    headingPath: ['Receipts', `Step ${i}`],
    text: `${prefix} chunk ${i}: receive the partial delivery against the purchase order`,
    embedding: unit(i, dims),
  }));
}
const doc = (externalId: string, checksum = 'c1', acl = ['role:ward-supply-coordinator']) => ({
  source: 'folder',
  externalId,
  path: externalId,
  title: 'Receipts',
  mimetype: 'text/markdown',
  checksum,
  version: checksum,
  acl,
});

describe.each([embedded, overSocket])('store on $name', (backend) => {
  let store: Store;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
  });
  afterAll(async () => {
    await cleanup();
  });

  it('records migrations once and re-running them applies nothing', async () => {
    const { rows } = await store.db.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY 1',
    );
    expect(rows.map((r) => r.version)).toEqual((await loadMigrations()).map((m) => m.version));
    expect(rows[0]?.version).toBe(1);
    expect(await migrate(store.db, { advisoryLock: store.kind === 'pg' })).toEqual([]);
  });

  it('binds the index to the first embedder and rejects another one with a reindex hint', async () => {
    expect(await getIndexBinding(store.db)).toBeNull();
    await bindIndex(store.db, { id: 'test-8', dimensions: D });
    await bindIndex(store.db, { id: 'test-8', dimensions: D });
    expect(await getIndexBinding(store.db)).toEqual({ embedder: 'test-8', dimensions: D });
    const attempt = bindIndex(store.db, { id: 'other-16', dimensions: 16 });
    await expect(attempt).rejects.toBeInstanceOf(IndexMismatchError);
    await expect(bindIndex(store.db, { id: 'other-16', dimensions: 16 })).rejects.toThrow(
      /sop-assistant reindex/,
    );
  });

  it('inserts a document with its chunks, copies the ACL and generates the tsvector', async () => {
    const result = await upsertDocumentWithChunks(store.db, doc('Inventory/receipts.md'), chunks(3, 'v1'));
    expect(result.created).toBe(true);
    const [stored] = await listDocuments(store.db);
    expect(stored).toMatchObject({
      externalId: 'Inventory/receipts.md',
      checksum: 'c1',
      status: 'indexed',
      chunkCount: 3,
      acl: ['role:ward-supply-coordinator'],
    });
    expect(stored?.indexedAt).toBeInstanceOf(Date);
    const list = await listChunks(store.db, result.documentId);
    expect(list.map((c) => c.acl)).toEqual(Array(3).fill(['role:ward-supply-coordinator']));
    expect(list[1]?.headingPath).toEqual(['Receipts', 'Step 1']);
    const fts = await store.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM chunks WHERE tsv @@ plainto_tsquery('english', 'receiving deliveries')",
    );
    expect(fts.rows[0]?.n).toBe(3);
    const { rows } = await store.db.query<{ embedding: number[]; id: number }>(
      'SELECT id, embedding FROM chunks ORDER BY ordinal LIMIT 1',
    );
    expect(typeof rows[0]?.id).toBe('number');
    expect(rows[0]?.embedding).toHaveLength(D);
    expect(rows[0]?.embedding[0]).toBeCloseTo(unit(0)[0] ?? 0, 5);
  });

  it('filters by ACL overlap with the GIN-indexed array', async () => {
    const allowed = await store.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM chunks WHERE acl && $1',
      [['role:ward-supply-coordinator', 'public']],
    );
    const denied = await store.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM chunks WHERE acl && $1',
      [['role:hr-administrator']],
    );
    expect(allowed.rows[0]?.n).toBe(3);
    expect(denied.rows[0]?.n).toBe(0);
  });

  it('replaces all chunks on a new version, with multi-row batches beyond one statement', async () => {
    const result = await upsertDocumentWithChunks(
      store.db,
      doc('Inventory/receipts.md', 'c2'),
      chunks(1203, 'v2'),
    );
    expect(result.created).toBe(false);
    const list = await listChunks(store.db, result.documentId);
    expect(list).toHaveLength(1203);
    expect(list.every((c) => c.text.startsWith('v2'))).toBe(true);
    expect((await countIndex(store.db)).chunks).toBe(1203);
  });

  it('leaves the previous version intact when a write fails halfway', async () => {
    const bad = chunks(700, 'v3');
    // The second 500-row batch carries a vector of the wrong dimension: the database rejects it mid-document.
    bad[650] = { ...bad[650]!, embedding: unit(1, D + 1) };
    await expect(
      upsertDocumentWithChunks(store.db, doc('Inventory/receipts.md', 'c3'), bad),
    ).rejects.toThrow();
    const [stored] = await listDocuments(store.db);
    expect(stored).toMatchObject({ checksum: 'c2', chunkCount: 1203, status: 'indexed' });
    const list = await listChunks(store.db, stored!.id);
    expect(list.every((c) => c.text.startsWith('v2'))).toBe(true);
  });

  it('updates the ACL of a document and its chunks without touching the vectors', async () => {
    const before = await store.db.query<{ embedding: number[] }>(
      'SELECT embedding FROM chunks ORDER BY id LIMIT 1',
    );
    expect(await updateDocumentAcl(store.db, 'folder', 'Inventory/receipts.md', ['role:super-user'])).toBe(
      true,
    );
    const after = await store.db.query<{ embedding: number[]; acl: string[] }>(
      'SELECT embedding, acl FROM chunks ORDER BY id LIMIT 1',
    );
    expect(after.rows[0]?.acl).toEqual(['role:super-user']);
    expect(after.rows[0]?.embedding).toEqual(before.rows[0]?.embedding);
    const [stored] = await listDocuments(store.db);
    expect(stored?.acl).toEqual(['role:super-user']);
    expect(await updateDocumentAcl(store.db, 'folder', 'missing.md', [])).toBe(false);
  });

  it('marks failures: a new document is failed, an indexed one keeps its version', async () => {
    await markDocumentFailed(
      store.db,
      { source: 'folder', externalId: 'Inventory/receipts.md', path: 'x' },
      'corrupt',
    );
    await markDocumentFailed(
      store.db,
      { source: 'folder', externalId: 'broken.pdf', path: 'broken.pdf' },
      'corrupt',
    );
    const docs = await listDocuments(store.db);
    expect(docs.find((d) => d.externalId === 'Inventory/receipts.md')).toMatchObject({
      status: 'indexed',
      lastError: 'corrupt',
      checksum: 'c2',
      chunkCount: 1203,
    });
    expect(docs.find((d) => d.externalId === 'broken.pdf')).toMatchObject({
      status: 'failed',
      chunkCount: 0,
    });
    expect(await countIndex(store.db)).toEqual({
      documents: 2,
      indexedDocuments: 1,
      failedDocuments: 1,
      chunks: 1203,
    });
    // A later successful index clears the error.
    await upsertDocumentWithChunks(store.db, doc('broken.pdf', 'c9'), chunks(2, 'fixed'));
    expect((await listDocuments(store.db)).find((d) => d.externalId === 'broken.pdf')).toMatchObject({
      status: 'indexed',
      lastError: null,
    });
  });

  it('removes a document with its chunks', async () => {
    expect(await removeDocument(store.db, 'folder', 'broken.pdf')).toBe(true);
    expect(await removeDocument(store.db, 'folder', 'broken.pdf')).toBe(false);
    expect(await countIndex(store.db)).toMatchObject({ documents: 1, chunks: 1203 });
  });

  it('serialises concurrent document writes (one transaction each)', async () => {
    const ids = ['c/1.md', 'c/2.md', 'c/3.md', 'c/4.md'];
    await Promise.all(ids.map((id, i) => upsertDocumentWithChunks(store.db, doc(id), chunks(3 + i, id))));
    const docs = (await listDocuments(store.db)).filter((d) => d.externalId.startsWith('c/'));
    expect(docs.map((d) => [d.externalId, d.chunkCount])).toEqual(ids.map((id, i) => [id, 3 + i]));
    await Promise.all(ids.map((id) => removeDocument(store.db, 'folder', id)));
  });

  it('builds an HNSW index and answers nearest-neighbour queries through it', async () => {
    await rebuildVectorIndex(store.db);
    expect(await hasVectorIndex(store.db)).toBe(true);
    const { rows } = await store.db.query<{ ordinal: number }>(
      'SELECT ordinal FROM chunks ORDER BY embedding <=> $1::vector LIMIT 1',
      [`[${unit(5).join(',')}]`],
    );
    expect(rows[0]?.ordinal).toBe(5);
  });

  it('re-embeds stored chunks with another dimension (reindex) and rebinds the index', async () => {
    const target = { id: 'other-16', dimensions: 16 };
    const { hadVectorIndex } = await beginReindex(store.db, target);
    expect(hadVectorIndex).toBe(true);
    await expect(bindIndex(store.db, { id: 'test-8', dimensions: D })).rejects.toThrow(/interrupted/);
    let after = 0;
    for (;;) {
      const batch = await listChunksForEmbedding(store.db, after, 400);
      if (batch.length === 0) break;
      await updateChunkEmbeddings(
        store.db,
        batch.map((c) => ({ id: c.id, embedding: unit(c.id, 16) })),
      );
      after = batch[batch.length - 1]!.id;
    }
    await finishReindex(store.db, target);
    expect(await getIndexBinding(store.db)).toEqual({ embedder: 'other-16', dimensions: 16 });
    await bindIndex(store.db, target);
    const { rows } = await store.db.query<{ embedding: number[] }>('SELECT embedding FROM chunks LIMIT 1');
    expect(rows[0]?.embedding).toHaveLength(16);
    expect(await hasVectorIndex(store.db)).toBe(false);
  });
});

describe('embedded store on disk', () => {
  it('keeps data across reopen and refuses a second opener of the same directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sop-store-'));
    try {
      const first = await openStore({ dataDir: dir });
      await expect(openStore({ dataDir: dir })).rejects.toThrow(/already open/);
      await bindIndex(first.db, { id: 'test-8', dimensions: D });
      await upsertDocumentWithChunks(first.db, doc('a.md'), chunks(2, 'a'));
      await first.close();
      const second = await openStore({ dataDir: dir });
      expect((await countIndex(second.db)).chunks).toBe(2);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
