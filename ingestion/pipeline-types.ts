/**
 * What the ingest pipeline accepts and reports. A source may hand over a document it could not read (permissions,
 * over the size limit) with a `problem` instead of bytes, so the run reports it per file like a parse failure.
 */
import type { SourceDocument } from './types.js';
import type { ParseFailureReason } from './errors.js';

export interface SourceProblem {
  reason: ParseFailureReason;
  message: string;
}

export type IngestDocument = SourceDocument & { problem?: SourceProblem };

/** The summary object of DESIGN.md (`ingest --json` prints exactly these keys). */
export interface IngestSummary {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  failed: number;
  failures: { file: string; reason: string }[];
  /** Documents indexed for this source after the run. */
  documents: number;
  /** Chunks indexed for this source after the run. */
  chunks: number;
  seconds: number;
}

/** Extra facts of a run that are not part of the JSON contract. */
export interface IngestReport extends IngestSummary {
  /** Unchanged documents whose ACL changed and was updated without re-embedding. */
  aclUpdated: number;
  /** Indexed documents that no role may read (empty ACL). */
  noAccess: number;
  /** Human messages for each failure, same order as `failures`. */
  failureMessages: string[];
  /** Pages parsed this run (PDF page counts; 1 for other formats) — for throughput figures. */
  pagesParsed: number;
  /** Chunks embedded and written this run. */
  chunksWritten: number;
  /** Seconds spent per stage this run (for the benchmark and debug logs). */
  stageSeconds: { parse: number; chunk: number; embed: number; write: number };
  /** True when this run built the HNSW index (`vectorIndexMinChunks`). */
  vectorIndexBuilt?: boolean;
}

export interface IngestProgress {
  /** Documents seen so far. */
  done: number;
  /** Total when the source knows it up front. */
  total?: number;
  file: string;
  outcome: 'added' | 'updated' | 'unchanged' | 'failed';
}

/** Only the fields of DESIGN.md's summary, in its order. */
export function toSummaryJson(report: IngestSummary): IngestSummary {
  const { added, updated, unchanged, removed, failed, failures, documents, chunks, seconds } = report;
  return { added, updated, unchanged, removed, failed, failures, documents, chunks, seconds };
}
