/** The ingestion module's public face: sources, access policy, the pipeline and reindex. */
export { runIngest, type IngestOptions } from './pipeline.js';
export { embeddingText, type DocumentEmbedder } from './index-document.js';
export { runReindex, type ReindexOptions, type ReindexReport } from './pipeline-reindex.js';
export {
  toSummaryJson,
  type IngestDocument,
  type IngestProgress,
  type IngestReport,
  type IngestSummary,
  type SourceProblem,
} from './pipeline-types.js';
export { FolderSource, listDocumentFiles, sha256, type FolderSourceOptions } from './sources/folder.js';
export {
  AccessFileError,
  accessPolicy,
  loadAccessFile,
  parseAccessFile,
  type AccessPolicy,
} from './access.js';
export { ParseError, type ParseFailureReason } from './errors.js';
export type { Source, SourceDocument } from './types.js';
