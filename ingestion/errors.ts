/** Why a document could not be turned into Markdown; the pipeline reports it per file and skips the file. */
export type ParseFailureReason =
  'corrupt' | 'encrypted' | 'empty' | 'oversized' | 'unknown-type' | 'unreadable';

/**
 * A document that cannot be parsed. `reason` is the machine-readable category (used in the ingest summary's
 * `failures[].reason`), `message` tells a person what is wrong with which file and what to do about it.
 */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  readonly reason: ParseFailureReason;
  readonly filename: string | undefined;

  constructor(
    reason: ParseFailureReason,
    message: string,
    options: { filename?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.filename = options.filename;
  }
}
