/**
 * Incremental sync from Odoo Documents into the store.
 *
 * 1. Changes: documents with write_date at or after the checkpoint, in (write_date, id) order. For each one: archived,
 *    folder or request → leaves the index; same content version as indexed → only the ACL is brought up to date;
 *    otherwise its bytes are read (one record at a time), parsed, chunked, embedded and written in one transaction.
 *    The checkpoint moves after every document, so an interrupted sync resumes where it stopped; re-seeing a document
 *    costs nothing because its version is already stored (de-duplication by content version).
 * 2. Reconcile (periodic): the full list of live ids and ACLs. Deleted documents leave no write_date, and access
 *    changes on a 17 workspace or an 18/19 parent folder do not touch the document's write_date; the diff catches both.
 */
import type { Logger } from 'pino';
import type { OdooClient } from '../odoo/client.js';
import {
  bindIndex,
  countIndex,
  listDocuments,
  markDocumentFailed,
  removeDocument,
  updateDocumentAcl,
  type StoredDocument,
} from '../store/index.js';
import type { Db } from '../store/db.js';
import { ParseError } from './errors.js';
import {
  DEFAULT_MAX_BYTES,
  emptyReport,
  indexDocument,
  sameAcl,
  stageTimer,
  type DocumentEmbedder,
} from './index-document.js';
import type { IngestDocument, IngestProgress, IngestReport } from './pipeline-types.js';
import { sha256 } from './sources/folder.js';
import {
  documentVersion,
  isIndexable,
  OdooDocumentsSource,
  ODOO_SOURCE_NAME,
} from './sources/odoo-documents.js';
import type { OdooDocumentMeta } from './sources/odoo-documents.js';
import { loadCheckpoint, saveCheckpoint } from './sync-checkpoint.js';

export interface OdooSyncOptions {
  store: { db: Db };
  embedder: DocumentEmbedder;
  client: OdooClient;
  logger: Logger;
  /** Run the full id/ACL diff after the changes (default true). */
  reconcile?: boolean;
  maxBytes?: number;
  pageSize?: number;
  onProgress?: (progress: IngestProgress) => void;
  now?: () => Date;
}

export async function runOdooSync(opts: OdooSyncOptions): Promise<IngestReport> {
  const started = performance.now();
  const { store, embedder, client, logger } = opts;
  const db = store.db;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const source = new OdooDocumentsSource({
    client,
    ...(opts.pageSize ? { pageSize: opts.pageSize } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const name = source.name;
  await bindIndex(db, { id: embedder.id, dimensions: embedder.dimensions });

  const report = emptyReport();
  const stored = new Map<string, StoredDocument>(
    (await listDocuments(db, { source: name })).map((d) => [d.externalId, d]),
  );
  let done = 0;
  const progress = (file: string, outcome: IngestProgress['outcome']) => {
    done += 1;
    opts.onProgress?.({ done, file, outcome });
  };

  const timed = stageTimer(report);

  const index = async (meta: OdooDocumentMeta): Promise<void> => {
    const prev = stored.get(String(meta.id));
    const item: IngestDocument = await source.fetch(meta);
    const fail = async (reason: string, message: string) => {
      report.failed += 1;
      report.failures.push({ file: item.path, reason });
      report.failureMessages.push(message);
      logger.warn({ file: item.path, reason }, message);
      if (prev?.status === 'indexed' && !sameAcl(prev.acl, item.acl))
        await updateDocumentAcl(db, name, item.externalId, item.acl);
      await markDocumentFailed(
        db,
        {
          source: name,
          externalId: item.externalId,
          path: item.path,
          acl: item.acl,
          title: item.title ?? meta.name,
        },
        `${reason}: ${message}`,
      );
      progress(item.path, 'failed');
    };
    if (item.problem) return fail(item.problem.reason, item.problem.message);
    try {
      const { created, pages, chunks } = await indexDocument({
        db,
        embedder,
        sourceName: name,
        item,
        filename: meta.name,
        checksum: sha256(item.bytes ?? item.text ?? ''),
        maxBytes,
        timed,
        logger,
      });
      const outcome = created || !prev ? 'added' : 'updated';
      report[outcome] += 1;
      report.pagesParsed += pages;
      report.chunksWritten += chunks;
      stored.set(item.externalId, {
        ...(prev ?? ({} as StoredDocument)),
        externalId: item.externalId,
        status: 'indexed',
        version: item.version,
        acl: item.acl,
      });
      progress(item.path, outcome);
    } catch (error) {
      const reason = error instanceof ParseError ? error.reason : 'error';
      const message = error instanceof Error ? error.message : String(error);
      await fail(reason, `${item.path} (${meta.name}): ${message}`);
    }
  };

  /** Brings one document's index entry in line with Odoo; returns without touching Odoo's bytes when it can. */
  const apply = async (meta: OdooDocumentMeta): Promise<void> => {
    const key = String(meta.id);
    const prev = stored.get(key);
    if (!isIndexable(meta)) {
      if (prev && (await removeDocument(db, name, key))) {
        if (prev.status === 'indexed') report.removed += 1;
        stored.delete(key);
        logger.debug({ id: meta.id }, 'removed (archived, folder or no content)');
      }
      return;
    }
    if (prev?.status === 'indexed' && prev.version === documentVersion(meta)) {
      if (!sameAcl(prev.acl, meta.acl)) {
        await updateDocumentAcl(db, name, key, meta.acl);
        stored.set(key, { ...prev, acl: meta.acl });
        report.aclUpdated += 1;
      }
      progress(prev.path, 'unchanged');
      return;
    }
    await index(meta);
  };

  const cursor = await loadCheckpoint(db, name);
  const run = await source.beginRun();
  logger.debug({ cursor }, 'odoo sync: changes since checkpoint');
  for await (const page of source.changedSince(cursor.writeDate, cursor.lastId, run)) {
    for (const meta of page) {
      await apply(meta);
      await saveCheckpoint(db, name, { writeDate: meta.writeDate, lastId: meta.id });
    }
  }

  if (opts.reconcile !== false) {
    const live = await source.listLive(run);
    const liveIds = new Set(live.map((m) => String(m.id)));
    for (const [key, doc] of [...stored]) {
      if (liveIds.has(key)) continue;
      if (await removeDocument(db, name, key)) {
        if (doc.status === 'indexed') report.removed += 1;
        stored.delete(key);
        logger.debug({ id: key }, 'removed (deleted in Odoo or no longer visible)');
      }
    }
    for (const meta of live) {
      const prev = stored.get(String(meta.id));
      if (!prev) await index(meta);
      else if (!sameAcl(prev.acl, meta.acl)) {
        await updateDocumentAcl(db, name, String(meta.id), meta.acl);
        stored.set(String(meta.id), { ...prev, acl: meta.acl });
        report.aclUpdated += 1;
      }
    }
  }

  const counts = await countIndex(db, { source: name });
  report.documents = counts.indexedDocuments;
  report.chunks = counts.chunks;
  // Unchanged = indexed and untouched by this run (most of them were never even listed: they are behind the checkpoint).
  report.unchanged = Math.max(0, counts.indexedDocuments - report.added - report.updated);
  report.noAccess = [...stored.values()].filter((d) => d.status === 'indexed' && d.acl.length === 0).length;
  report.seconds = Math.round((performance.now() - started) / 10) / 100;
  return report;
}

export { ODOO_SOURCE_NAME };
