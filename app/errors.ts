/**
 * Turns the typed errors of every module into what a person at a terminal needs: one friendly line and an exit
 * code. Matching is by `name` so the CLI does not have to import every module's error class.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  config: 2,
  nothingIndexed: 3,
  indexMismatch: 4,
  odooAccess: 5,
  parse: 6,
} as const;

/** The command line itself is wrong (missing folder, bad flag value). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The run finished but the index holds no document at all. */
export class NothingIndexedError extends Error {
  override readonly name = 'NothingIndexedError';
}

const exitCodes: Record<string, number> = {
  ConfigError: ExitCode.config,
  UsageError: ExitCode.config,
  AccessFileError: ExitCode.config,
  StoreBusyError: ExitCode.failure,
  CommanderError: ExitCode.config,
  NothingIndexedError: ExitCode.nothingIndexed,
  IndexMismatchError: ExitCode.indexMismatch,
  OdooAccessError: ExitCode.odooAccess,
  ParseError: ExitCode.parse,
};

export interface FriendlyError {
  message: string;
  exitCode: number;
  /** Unexpected errors keep their stack for the debug log. */
  expected: boolean;
}

export function describeError(error: unknown): FriendlyError {
  if (error instanceof Error) {
    const exitCode = exitCodes[error.name];
    if (exitCode !== undefined) return { message: error.message, exitCode, expected: true };
    return { message: error.message || String(error), exitCode: ExitCode.failure, expected: false };
  }
  return { message: String(error), exitCode: ExitCode.failure, expected: false };
}
