/**
 * The periodic Odoo sync inside `serve`: one run every interval, never two at once, the full reconcile (deletions,
 * folder access changes) every `reconcileEvery` runs. A failed run is logged and the next one resumes from the
 * checkpoint.
 */
import type { Logger } from 'pino';
import type { IngestReport } from './pipeline-types.js';

export interface PeriodicSyncOptions {
  intervalMs: number;
  logger: Logger;
  /** One sync run (e.g. `runOdooSync` with a connected client). */
  sync: (opts: { reconcile: boolean }) => Promise<IngestReport>;
  /** Full id/ACL diff every N runs (default 6; the first run always reconciles). */
  reconcileEvery?: number;
  /** Run once right away (default true). */
  runImmediately?: boolean;
}

export interface PeriodicSync {
  /** Runs now (or waits for the run in progress) and returns its report; undefined when it failed. */
  runNow(): Promise<IngestReport | undefined>;
  stop(): Promise<void>;
}

export function startPeriodicSync(opts: PeriodicSyncOptions): PeriodicSync {
  const every = Math.max(1, opts.reconcileEvery ?? 6);
  let runs = 0;
  let current: Promise<IngestReport | undefined> | undefined;
  let stopped = false;

  const runOnce = (): Promise<IngestReport | undefined> => {
    if (current) return current;
    const reconcile = runs % every === 0;
    runs += 1;
    current = opts
      .sync({ reconcile })
      .then((report) => {
        opts.logger.info(
          { added: report.added, updated: report.updated, removed: report.removed, failed: report.failed, documents: report.documents, reconcile },
          'odoo sync finished',
        );
        return report;
      })
      .catch((err: unknown) => {
        opts.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'odoo sync failed; the next run resumes from the checkpoint');
        return undefined;
      })
      .finally(() => {
        current = undefined;
      });
    return current;
  };

  const timer = setInterval(() => {
    if (!stopped) void runOnce();
  }, opts.intervalMs);
  timer.unref();
  if (opts.runImmediately !== false) void runOnce();

  return {
    runNow: runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
