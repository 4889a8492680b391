import { describe, expect, it } from 'vitest';
import { silentLogger } from '../app/logger.js';
import type { IngestReport } from './pipeline-types.js';
import { startPeriodicSync } from './sync-periodic.js';

const report = { added: 0, updated: 0, unchanged: 0, removed: 0, failed: 0, documents: 1 } as IngestReport;

describe('startPeriodicSync', () => {
  it('never runs two syncs at once, reconciles every N runs and survives a failed run', async () => {
    const calls: boolean[] = [];
    let release: () => void = () => undefined;
    let fail = false;
    const periodic = startPeriodicSync({
      intervalMs: 3_600_000,
      logger: silentLogger(),
      reconcileEvery: 2,
      runImmediately: false,
      sync: async ({ reconcile }) => {
        calls.push(reconcile);
        await new Promise<void>((r) => (release = r));
        if (fail) throw new Error('Odoo is down');
        return report;
      },
    });
    const a = periodic.runNow();
    const b = periodic.runNow();
    release();
    expect(await a).toBe(report);
    expect(await b).toBe(report);
    expect(calls).toEqual([true]);

    fail = true;
    const c = periodic.runNow();
    release();
    expect(await c).toBeUndefined();
    fail = false;
    const d = periodic.runNow();
    release();
    expect(await d).toBe(report);
    expect(calls).toEqual([true, false, true]);
    await periodic.stop();
  });
});
