/**
 * pino, always to stderr: stdout belongs to command output (`--json`, `ask` answers), so logs never mix into it.
 * Pretty, human lines when stderr is a terminal; one JSON object per line otherwise (containers, CI, log shippers).
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Defaults to "stderr is a TTY". */
  pretty?: boolean;
  name?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const usePretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const base = { level: options.level ?? 'info', name: options.name ?? 'sop-assistant' };
  if (usePretty) {
    // A synchronous stream (not a worker transport) so the last lines are never lost when the CLI exits.
    return pino(base, pretty({ destination: 2, sync: true, colorize: true, ignore: 'pid,hostname,name' }));
  }
  return pino(base, pino.destination({ fd: 2, sync: true }));
}

/** A logger that drops everything; for tests and library callers that do not care. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
