/**
 * What every command shares: the `--data-dir` option, and turning the environment plus command-line overrides into
 * one validated `Config` and a logger.
 */
import { Option, type Command } from 'commander';
import { loadConfig, type Config } from '../config/index.js';
import { createLogger, type Logger } from '../logger.js';

export interface CommonOptions {
  dataDir?: string;
}

/** Adds `--data-dir DIR` (overrides SOP_DATA_DIR) to a command; call it on every command. */
export function withDataDir(command: Command): Command {
  return command.addOption(
    new Option('--data-dir <dir>', 'where the embedded database and caches live (env SOP_DATA_DIR)'),
  );
}

export function commandConfig(options: CommonOptions, env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(options.dataDir ? { ...env, SOP_DATA_DIR: options.dataDir } : env);
}

export function commandLogger(config: Config): Logger {
  // JSON in production even on a terminal (log collectors attach TTYs too); pretty for people otherwise.
  return createLogger({
    level: config.LOG_LEVEL,
    pretty: Boolean(process.stderr.isTTY) && config.NODE_ENV !== 'production',
  });
}
