/**
 * The index was built by one embedder and is being opened with another. Vectors of different embedders are not
 * comparable (and usually differ in dimension), so the fix is to re-embed the stored chunks.
 */
export class IndexMismatchError extends Error {
  override readonly name = 'IndexMismatchError';
  constructor(
    readonly indexed: { embedder: string; dimensions: number | null },
    readonly configured: { embedder: string; dimensions: number },
    message?: string,
  ) {
    super(
      message ??
        `The index was built with the embedder "${indexed.embedder}"` +
          (indexed.dimensions ? ` (${indexed.dimensions} dimensions)` : '') +
          `, but the configuration selects "${configured.embedder}" (${configured.dimensions} dimensions). ` +
          'Run `sop-assistant reindex` to re-embed the stored chunks with the configured embedder, ' +
          'or change EMBEDDINGS_PROVIDER / LOCAL_EMBEDDER back.',
    );
  }
}

/** Another process holds the embedded database; PGlite allows one process per data directory. */
export class StoreBusyError extends Error {
  override readonly name = 'StoreBusyError';
}
