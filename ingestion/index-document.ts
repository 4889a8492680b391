/**
 * Indexing one document, shared by the folder pipeline and the Odoo sync: parse → chunk → embed → one transaction.
 * The callers own what differs (how they decide a document changed, checkpoints, progress); this is the part that
 * must behave the same whichever source the bytes came from.
 */
import { dropInjectedSentences } from './guard.js';
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import { upsertDocumentWithChunks } from '../store/index.js';
import { chunkMarkdown, type Chunk } from './chunking/index.js';
import { ParseError } from './errors.js';
import { parseDocument, type ParsedDocument } from './parsers/index.js';
import type { IngestDocument, IngestReport } from './pipeline-types.js';

/** The part of `SopEmbeddings` (LangChain `Embeddings` + identity) ingestion needs. */
export interface DocumentEmbedder {
  readonly id: string;
  readonly dimensions: number;
  embedDocuments(texts: string[]): Promise<number[][]>;
}

/** Parser size limit when the caller sets none (MAX_FILE_MB's default). */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

/** ACLs are sets: order does not make a change worth writing. */
export function sameAcl(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sortedB = [...b].sort();
  return [...a].sort().every((v, i) => v === sortedB[i]);
}

export function emptyReport(): IngestReport {
  return {
    added: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
    failed: 0,
    failures: [],
    documents: 0,
    chunks: 0,
    seconds: 0,
    aclUpdated: 0,
    noAccess: 0,
    failureMessages: [],
    pagesParsed: 0,
    chunksWritten: 0,
    stageSeconds: { parse: 0, chunk: 0, embed: 0, write: 0 },
  };
}

export type Stage = keyof IngestReport['stageSeconds'];
export type StageTimer = <T>(stage: Stage, fn: () => Promise<T> | T) => Promise<T>;

/** Adds the wall time of each stage to the report, so runs can print where the time went. */
export function stageTimer(report: Pick<IngestReport, 'stageSeconds'>): StageTimer {
  return async (stage, fn) => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      report.stageSeconds[stage] += (performance.now() - t0) / 1000;
    }
  };
}

/**
 * What gets embedded for a chunk: its heading path (title › section › subsection) then its text, so a passage
 * under "Receipts › Partial deliveries" carries that context even when its own sentences do not repeat it.
 * `reindex` embeds stored chunks with the same function.
 */
export function embeddingText(chunk: Pick<Chunk, 'headingPath' | 'text'>): string {
  const heading = chunk.headingPath.filter((h) => h.trim() !== '').join(' › ');
  return heading && !chunk.text.startsWith(heading) ? `${heading}\n\n${chunk.text}` : chunk.text;
}

export interface IndexDocumentInput {
  db: Db;
  embedder: DocumentEmbedder;
  sourceName: string;
  item: IngestDocument;
  /** Name the parsers see (type from the extension) and the title of last resort. */
  filename: string;
  checksum: string;
  maxBytes: number;
  timed: StageTimer;
  parse?: typeof parseDocument;
  chunk?: typeof chunkMarkdown;
  logger: Logger;
}

/** Throws (`ParseError` or other) without touching the stored version, so a failed re-parse keeps the old one. */
export async function indexDocument(
  input: IndexDocumentInput,
): Promise<{ created: boolean; pages: number; chunks: number }> {
  const { db, embedder, item, filename, timed, parse = parseDocument, chunk = chunkMarkdown } = input;
  const bytes = item.bytes;
  const parsed: ParsedDocument = bytes
    ? await timed('parse', () =>
        parse(
          { bytes, filename, ...(item.mimetype ? { mimetype: item.mimetype } : {}) },
          { maxBytes: input.maxBytes },
        ),
      )
    : {
        title: item.title ?? filename,
        markdown: item.text ?? '',
        mimetype: item.mimetype ?? 'text/markdown',
      };
  const title = item.title ?? parsed.title;
  const { markdown, dropped } = dropInjectedSentences(parsed.markdown);
  if (dropped.length > 0) {
    // Worth a trainer's look: somebody planted text aimed at the assistant in an SOP.
    input.logger.warn(
      { file: filename, sentences: dropped.length },
      `${filename}: left ${dropped.length} sentence(s) that read like instructions to the assistant out of the index`,
    );
  }
  const chunks = await timed('chunk', () => chunk({ title, markdown }));
  if (chunks.length === 0) throw new ParseError('empty', `${filename}: no text to index`, { filename });
  const vectors = await timed('embed', () => embedder.embedDocuments(chunks.map(embeddingText)));
  if (vectors.length !== chunks.length) {
    throw new Error(`the embedder returned ${vectors.length} vectors for ${chunks.length} chunks`);
  }
  const { created } = await timed('write', () =>
    upsertDocumentWithChunks(
      db,
      {
        source: input.sourceName,
        externalId: item.externalId,
        path: item.path,
        title,
        mimetype: parsed.mimetype,
        checksum: input.checksum,
        version: item.version,
        url: item.url ?? null,
        acl: item.acl,
        pages: parsed.pages ?? null,
      },
      chunks.map((c, i) => ({
        ordinal: c.ordinal,
        headingPath: c.headingPath,
        text: c.text,
        embedding: vectors[i]!,
      })),
    ),
  );
  return { created, pages: parsed.pages ?? 1, chunks: chunks.length };
}
