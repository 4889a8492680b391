/**
 * The ingest pipeline: source → parse → chunk → embed → one transaction per document. Incremental by content
 * checksum: unchanged documents are not re-parsed (only their ACL is brought up to date, without re-embedding),
 * documents gone from the source are removed, and a document that fails is reported (file + reason) and skipped —
 * its previous indexed version, if any, stays searchable. Vanished documents are only removed after the source was
 * read to the end, so a source that breaks halfway never empties the index.
 */
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import {
  bindIndex,
  clearDocumentError,
  countIndex,
  analyzeChunks,
  hasVectorIndex,
  listDocuments,
  markDocumentFailed,
  rebuildVectorIndex,
  removeDocument,
  updateDocumentAcl,
  type StoredDocument,
} from '../store/index.js';
import { chunkMarkdown } from './chunking/index.js';
import { ParseError } from './errors.js';
import { parseDocument } from './parsers/index.js';
import type { IngestDocument, IngestProgress, IngestReport } from './pipeline-types.js';
import { sha256 } from './sources/folder.js';
import {
  DEFAULT_MAX_BYTES,
  emptyReport,
  indexDocument,
  sameAcl,
  stageTimer,
  type DocumentEmbedder,
} from './index-document.js';
import type { Source } from './types.js';

export interface IngestOptions {
  store: { db: Db };
  embedder: DocumentEmbedder;
  source: Source;
  logger: Logger;
  onProgress?: (progress: IngestProgress) => void;
  /** Total documents, when the caller knows it (progress bars). */
  total?: number;
  /** Per-file limit handed to the parsers (MAX_FILE_MB). */
  maxBytes?: number;
  /**
   * Build the HNSW index after the load when the index has at least this many chunks and none exists yet (building
   * once after a bulk load is far cheaper than growing it row by row). Unset = never; retrieval decides the size at
   * which the index pays off (`rebuildVectorIndex` in store/).
   */
  vectorIndexMinChunks?: number;
  /** Replaceable for tests; default: the real parsers and chunker. */
  parse?: typeof parseDocument;
  chunk?: typeof chunkMarkdown;
}

function describeFailure(error: unknown): { reason: string; message: string } {
  if (error instanceof ParseError) return { reason: error.reason, message: error.message };
  return { reason: 'error', message: error instanceof Error ? error.message : String(error) };
}

export async function runIngest(options: IngestOptions): Promise<IngestReport> {
  const started = performance.now();
  const { store, embedder, source, logger } = options;
  const db = store.db;
  const parse = options.parse ?? parseDocument;
  const chunk = options.chunk ?? chunkMarkdown;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;

  await bindIndex(db, { id: embedder.id, dimensions: embedder.dimensions });
  const previous = new Map<string, StoredDocument>(
    (await listDocuments(db, { source: source.name })).map((d) => [d.externalId, d]),
  );

  const report: IngestReport = { ...emptyReport(), vectorIndexBuilt: false };
  const timed = stageTimer(report);
  const seen = new Set<string>();
  let done = 0;
  const progress = (file: string, outcome: IngestProgress['outcome']) => {
    done += 1;
    options.onProgress?.({
      done,
      file,
      outcome,
      ...(options.total === undefined ? {} : { total: options.total }),
    });
  };

  for await (const item of source.documents() as AsyncIterable<IngestDocument>) {
    seen.add(item.externalId);
    const prev = previous.get(item.externalId);
    const indexedBefore = prev?.status === 'indexed';

    const fail = async (reason: string, message: string) => {
      report.failed += 1;
      report.failures.push({ file: item.path, reason });
      report.failureMessages.push(message);
      logger.warn({ file: item.path, reason }, message);
      // Access may have been revoked while the new version is broken: the kept version follows the new ACL.
      if (indexedBefore && !sameAcl(prev.acl, item.acl)) {
        await updateDocumentAcl(db, source.name, item.externalId, item.acl);
      }
      await markDocumentFailed(
        db,
        {
          source: source.name,
          externalId: item.externalId,
          path: item.path,
          acl: item.acl,
          title: item.title ?? '',
        },
        `${reason}: ${message}`,
      );
      progress(item.path, 'failed');
    };

    if (item.problem) {
      await fail(item.problem.reason, item.problem.message);
      continue;
    }
    // A source may skip fetching content it knows is unchanged (same version as stored, e.g. Odoo's write_date):
    // such a metadata-only document keeps its indexed version and only has its ACL brought up to date.
    const metadataOnly = item.bytes === undefined && item.text === undefined;
    if (metadataOnly && !(indexedBefore && prev.version === item.version)) {
      await fail('unreadable', `${item.path}: the source gave neither bytes nor text`);
      continue;
    }
    const checksum = metadataOnly ? (prev?.checksum ?? '') : sha256(item.bytes ?? item.text ?? '');

    if (indexedBefore && prev.checksum === checksum) {
      if (!sameAcl(prev.acl, item.acl)) {
        await updateDocumentAcl(db, source.name, item.externalId, item.acl);
        report.aclUpdated += 1;
        logger.debug({ file: item.path, acl: item.acl }, 'access changed; ACL updated without re-embedding');
      }
      if (prev.lastError) await clearDocumentError(db, source.name, item.externalId);
      report.unchanged += 1;
      progress(item.path, 'unchanged');
      continue;
    }

    try {
      const { created, pages, chunks } = await indexDocument({
        db,
        embedder,
        sourceName: source.name,
        item,
        filename: item.path,
        checksum,
        maxBytes,
        timed,
        logger,
        parse,
        chunk,
      });
      const outcome = created || !prev ? 'added' : 'updated';
      report[outcome] += 1;
      report.pagesParsed += pages;
      report.chunksWritten += chunks;
      logger.debug({ file: item.path, chunks, outcome }, 'indexed');
      progress(item.path, outcome);
    } catch (error) {
      const { reason, message } = describeFailure(error);
      if (!(error instanceof ParseError)) logger.debug({ err: error, file: item.path }, 'indexing failed');
      await fail(reason, message.startsWith(item.path) ? message : `${item.path}: ${message}`);
    }
  }

  for (const [externalId, doc] of previous) {
    if (seen.has(externalId)) continue;
    if (await removeDocument(db, source.name, externalId)) {
      // Only documents that were searchable count as removed; a vanished never-indexed failure just goes away.
      if (doc.status === 'indexed') report.removed += 1;
      logger.debug({ file: doc.path }, 'removed (gone from the source)');
    }
  }

  if (options.vectorIndexMinChunks !== undefined) {
    const all = await countIndex(db);
    if (all.chunks >= options.vectorIndexMinChunks && !(await hasVectorIndex(db))) {
      logger.info({ chunks: all.chunks }, 'building the HNSW vector index');
      await rebuildVectorIndex(db);
      report.vectorIndexBuilt = true;
    }
  }
  // rebuildVectorIndex analyzes; otherwise refresh statistics whenever rows changed (no autovacuum in PGlite), so the
  // planner knows how selective each role's ACL and each lexeme is.
  const changed = report.chunksWritten > 0 || report.removed > 0 || report.aclUpdated > 0;
  if (changed && !report.vectorIndexBuilt) await analyzeChunks(db);

  const counts = await countIndex(db, { source: source.name });
  report.documents = counts.indexedDocuments;
  report.chunks = counts.chunks;
  report.noAccess = (await listDocuments(db, { source: source.name })).filter(
    (d) => d.status === 'indexed' && d.acl.length === 0,
  ).length;
  report.seconds = Math.round((performance.now() - started) / 10) / 100;
  return report;
}
