/**
 * Bolt and the Slack Web API log through their own small Logger interface; this routes those lines into our pino
 * logger so one log stream (and one LOG_LEVEL) covers everything.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

const toPino: Record<LogLevel, 'debug' | 'info' | 'warn' | 'error'> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

export function boltLogger(parent: Logger): BoltLogger {
  let log = parent.child({ component: 'slack' });
  let level: LogLevel = LogLevel.WARN;
  const line = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => log.debug(line(msg)),
    info: (...msg: unknown[]) => log.info(line(msg)),
    warn: (...msg: unknown[]) => log.warn(line(msg)),
    error: (...msg: unknown[]) => log.error(line(msg)),
    setLevel(l: LogLevel) {
      level = l;
      // Bolt sets its own default level; never let it make our logger chattier than configured.
      if (parent.levelVal > parent.levels.values[toPino[l]]!) return;
      log.level = toPino[l];
    },
    getLevel: () => level,
    setName(name: string) {
      log = parent.child({ component: name });
    },
  };
}
