/**
 * Document and chunk repositories. A document and its chunks are always written in one transaction, so a failure
 * halfway (bad vector, crash, lost connection) leaves the previous version whole and searchable.
 */
import type { Db } from './db.js';
import { toVectorLiteral } from './vector.js';

export interface DocumentInput {
  /** `folder`, `odoo`, … — ids are unique per source. */
  source: string;
  externalId: string;
  /** Citation source: folder-relative path or `odoo:documents.document/<id>`. */
  path: string;
  title: string;
  mimetype?: string | null;
  /** sha256 of the content that was indexed. */
  checksum: string;
  version?: string | null;
  url?: string | null;
  acl: string[];
  pages?: number | null;
}

export interface ChunkInput {
  ordinal: number;
  /** [document title, section, subsection] */
  headingPath: string[];
  text: string;
  embedding: ArrayLike<number>;
}

export interface StoredDocument {
  id: number;
  source: string;
  externalId: string;
  path: string;
  title: string;
  mimetype: string | null;
  checksum: string | null;
  version: string | null;
  url: string | null;
  acl: string[];
  status: 'indexed' | 'failed';
  lastError: string | null;
  pages: number | null;
  indexedAt: Date | null;
  chunkCount: number;
}

/** Rows per multi-row INSERT: 4 parameters a row keeps it far below Postgres' 65 535-parameter limit. */
const CHUNK_BATCH = 500;

/**
 * Replaces a document and all its chunks in one transaction (insert or update by `(source, externalId)`); chunks
 * get the document's ACL. Returns the document id and whether it was new.
 */
export async function upsertDocumentWithChunks(
  db: Db,
  doc: DocumentInput,
  chunks: readonly ChunkInput[],
): Promise<{ documentId: number; created: boolean }> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number; created: boolean }>(
      `INSERT INTO documents (source, external_id, path, title, mimetype, checksum, version, url, acl, status,
                              last_error, pages, indexed_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'indexed', NULL, $10, now(), now())
       ON CONFLICT (source, external_id) DO UPDATE SET
         path = EXCLUDED.path, title = EXCLUDED.title, mimetype = EXCLUDED.mimetype, checksum = EXCLUDED.checksum,
         version = EXCLUDED.version, url = EXCLUDED.url, acl = EXCLUDED.acl, status = 'indexed', last_error = NULL,
         pages = EXCLUDED.pages, indexed_at = now(), updated_at = now()
       RETURNING id, (xmax = 0) AS created`,
      [
        doc.source,
        doc.externalId,
        doc.path,
        doc.title,
        doc.mimetype ?? null,
        doc.checksum,
        doc.version ?? null,
        doc.url ?? null,
        doc.acl,
        doc.pages ?? null,
      ],
    );
    const row = rows[0];
    if (!row) throw new Error(`Upsert of ${doc.source}:${doc.externalId} returned no row`);
    const documentId = Number(row.id);
    await tx.query('DELETE FROM chunks WHERE document_id = $1', [documentId]);
    await insertChunks(tx, documentId, doc.acl, chunks);
    return { documentId, created: row.created };
  });
}

async function insertChunks(
  db: Db,
  documentId: number,
  acl: string[],
  chunks: readonly ChunkInput[],
): Promise<void> {
  for (let start = 0; start < chunks.length; start += CHUNK_BATCH) {
    const batch = chunks.slice(start, start + CHUNK_BATCH);
    const params: unknown[] = [documentId, acl];
    const values = batch.map((chunk) => {
      const p = params.length;
      params.push(chunk.ordinal, chunk.headingPath, chunk.text, toVectorLiteral(chunk.embedding));
      return `($1, $${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}::vector, $2)`;
    });
    await db.query(
      `INSERT INTO chunks (document_id, ordinal, heading_path, text, embedding, acl) VALUES ${values.join(', ')}`,
      params,
    );
  }
}

/** Records that a document could not be (re-)indexed. An indexed previous version stays indexed and searchable. */
export async function markDocumentFailed(
  db: Db,
  doc: Pick<DocumentInput, 'source' | 'externalId' | 'path'> &
    Partial<Pick<DocumentInput, 'title' | 'mimetype' | 'acl'>>,
  error: string,
): Promise<void> {
  await db.query(
    `INSERT INTO documents (source, external_id, path, title, mimetype, acl, status, last_error, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'failed', $7, now())
     ON CONFLICT (source, external_id) DO UPDATE SET last_error = EXCLUDED.last_error, updated_at = now()`,
    [doc.source, doc.externalId, doc.path, doc.title ?? '', doc.mimetype ?? null, doc.acl ?? [], error],
  );
}

/** Forgets a recorded failure (the source is back to the indexed version). */
export async function clearDocumentError(db: Db, source: string, externalId: string): Promise<void> {
  await db.query(
    'UPDATE documents SET last_error = NULL, updated_at = now() WHERE source = $1 AND external_id = $2 AND last_error IS NOT NULL',
    [source, externalId],
  );
}

/** Changes who may read a document (and its chunks) without touching text or vectors. */
export async function updateDocumentAcl(
  db: Db,
  source: string,
  externalId: string,
  acl: string[],
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number }>(
      'UPDATE documents SET acl = $3, updated_at = now() WHERE source = $1 AND external_id = $2 RETURNING id',
      [source, externalId, acl],
    );
    const id = rows[0]?.id;
    if (id === undefined) return false;
    await tx.query('UPDATE chunks SET acl = $2 WHERE document_id = $1', [id, acl]);
    return true;
  });
}

/** Deletes a document and its chunks. */
export async function removeDocument(db: Db, source: string, externalId: string): Promise<boolean> {
  const result = await db.query<{ id: number }>(
    'DELETE FROM documents WHERE source = $1 AND external_id = $2 RETURNING id',
    [source, externalId],
  );
  return result.rows.length > 0;
}

interface DocumentRow {
  id: number;
  source: string;
  external_id: string;
  path: string;
  title: string;
  mimetype: string | null;
  checksum: string | null;
  version: string | null;
  url: string | null;
  acl: string[];
  status: 'indexed' | 'failed';
  last_error: string | null;
  pages: number | null;
  indexed_at: Date | null;
  chunk_count: number;
}

/** All documents (of one source, if given), ordered by path, with their checksums and chunk counts. */
export async function listDocuments(db: Db, options: { source?: string } = {}): Promise<StoredDocument[]> {
  const { rows } = await db.query<DocumentRow>(
    `SELECT d.id, d.source, d.external_id, d.path, d.title, d.mimetype, d.checksum, d.version, d.url, d.acl,
            d.status, d.last_error, d.pages, d.indexed_at,
            (SELECT count(*)::int FROM chunks c WHERE c.document_id = d.id) AS chunk_count
       FROM documents d
      WHERE $1::text IS NULL OR d.source = $1
      ORDER BY d.path, d.id`,
    [options.source ?? null],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    source: r.source,
    externalId: r.external_id,
    path: r.path,
    title: r.title,
    mimetype: r.mimetype,
    checksum: r.checksum,
    version: r.version,
    url: r.url,
    acl: r.acl,
    status: r.status,
    lastError: r.last_error,
    pages: r.pages,
    indexedAt: r.indexed_at,
    chunkCount: Number(r.chunk_count),
  }));
}

export interface StoredChunk {
  id: number;
  documentId: number;
  ordinal: number;
  headingPath: string[];
  text: string;
  acl: string[];
}

/** A document's chunks in order (tests, `report`, debugging). */
export async function listChunks(db: Db, documentId: number): Promise<StoredChunk[]> {
  const { rows } = await db.query<{
    id: number;
    document_id: number;
    ordinal: number;
    heading_path: string[];
    text: string;
    acl: string[];
  }>(
    'SELECT id, document_id, ordinal, heading_path, text, acl FROM chunks WHERE document_id = $1 ORDER BY ordinal',
    [documentId],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    documentId: Number(r.document_id),
    ordinal: r.ordinal,
    headingPath: r.heading_path,
    text: r.text,
    acl: r.acl,
  }));
}

export interface IndexCounts {
  documents: number;
  indexedDocuments: number;
  failedDocuments: number;
  chunks: number;
}

export async function countIndex(db: Db, options: { source?: string } = {}): Promise<IndexCounts> {
  const { rows } = await db.query<{ documents: number; indexed: number; failed: number; chunks: number }>(
    `SELECT (SELECT count(*)::int FROM documents WHERE $1::text IS NULL OR source = $1) AS documents,
            (SELECT count(*)::int FROM documents WHERE status = 'indexed' AND ($1::text IS NULL OR source = $1)) AS indexed,
            (SELECT count(*)::int FROM documents WHERE status = 'failed' AND ($1::text IS NULL OR source = $1)) AS failed,
            (SELECT count(*)::int FROM chunks c JOIN documents d ON d.id = c.document_id
              WHERE $1::text IS NULL OR d.source = $1) AS chunks`,
    [options.source ?? null],
  );
  const r = rows[0];
  return {
    documents: r?.documents ?? 0,
    indexedDocuments: r?.indexed ?? 0,
    failedDocuments: r?.failed ?? 0,
    chunks: r?.chunks ?? 0,
  };
}

/** Chunks in id order after `afterId`, for re-embedding without re-parsing (`reindex`). */
export async function listChunksForEmbedding(
  db: Db,
  afterId: number,
  limit: number,
): Promise<{ id: number; headingPath: string[]; text: string }[]> {
  const { rows } = await db.query<{ id: number; heading_path: string[]; text: string }>(
    'SELECT id, heading_path, text FROM chunks WHERE id > $1 ORDER BY id LIMIT $2',
    [afterId, limit],
  );
  return rows.map((r) => ({ id: Number(r.id), headingPath: r.heading_path, text: r.text }));
}

/** Sets many chunks' vectors in one statement. */
export async function updateChunkEmbeddings(
  db: Db,
  updates: readonly { id: number; embedding: ArrayLike<number> }[],
): Promise<void> {
  for (let start = 0; start < updates.length; start += CHUNK_BATCH) {
    const batch = updates.slice(start, start + CHUNK_BATCH);
    const params: unknown[] = [];
    const values = batch.map((u) => {
      params.push(u.id, toVectorLiteral(u.embedding));
      return `($${params.length - 1}::bigint, $${params.length}::vector)`;
    });
    await db.query(
      `UPDATE chunks AS c SET embedding = v.embedding FROM (VALUES ${values.join(', ')}) AS v(id, embedding)
        WHERE c.id = v.id`,
      params,
    );
  }
}
