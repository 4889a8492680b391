/** The store's public face: open it, bind it to an embedder, and the named repositories. */
export type { Db, QueryResult } from './db.js';
export { openStore, type Store, type StoreOptions } from './open.js';
export { IndexMismatchError, StoreBusyError } from './errors.js';
export {
  bindIndex,
  beginReindex,
  finishReindex,
  getIndexBinding,
  getIndexMeta,
  type EmbedderIdentity,
  type IndexBinding,
} from './index-meta.js';
export {
  clearDocumentError,
  countIndex,
  listChunks,
  listChunksForEmbedding,
  listDocuments,
  markDocumentFailed,
  removeDocument,
  updateChunkEmbeddings,
  updateDocumentAcl,
  upsertDocumentWithChunks,
  type ChunkInput,
  type DocumentInput,
  type IndexCounts,
  type StoredChunk,
  type StoredDocument,
} from './documents.js';
export {
  analyzeChunks,
  dropVectorIndex,
  hasVectorIndex,
  rebuildVectorIndex,
  type VectorOpclass,
} from './vector-index.js';
export { toVectorLiteral } from './vector.js';
export {
  POSTED_ANSWER_KEEP_DAYS,
  findPostedAnswer,
  getChannelMode,
  rememberPostedAnswer,
  setChannelMode,
  type PostedAnswer,
  type PostedAnswerKey,
  type StateSurface,
  type StoredChannelMode,
} from './surface-state.js';
