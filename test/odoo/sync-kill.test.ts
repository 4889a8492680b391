/**
 * A `sync` process killed outright (SIGKILL, mid-download) loses and duplicates nothing: the next `sync` resumes
 * from the checkpoint and fetches only what the killed run had not finished.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDocuments, openStore } from '../../store/index.js';
import { startSimulator, type RunningSimulator } from '../../odoo/simulator/index.js';

const main = fileURLToPath(new URL('../../app/main.ts', import.meta.url));

describe('sync killed mid-run', { timeout: 300_000 }, () => {
  let sim: RunningSimulator;
  let dataDir: string;
  beforeAll(async () => {
    sim = await startSimulator({ version: 18, seed: { secrets: 'fixed', tickets: false } });
    dataDir = await mkdtemp(join(tmpdir(), 'sop-sync-kill-'));
  });
  afterAll(async () => {
    await sim?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const env = () => ({
    ...process.env,
    LOG_LEVEL: 'warn',
    SOP_DATA_DIR: dataDir,
    ODOO_URL: sim.url,
    ODOO_DB: sim.db,
    ODOO_USER: sim.seed.admin.login,
    ODOO_API_KEY: sim.seed.admin.api_key,
  });
  // One process (tsx as an import hook), so SIGKILL hits the process doing the work.
  const sync = () => spawn(process.execPath, ['--import', 'tsx', main, 'sync', '--json'], { env: env() });

  it('resumes from the checkpoint after SIGKILL', async () => {
    // Let five downloads through, then leave the sixth unanswered and kill the process while it waits.
    Object.assign(sim.faults, { match: '"datas"', passFirst: 5, hangNext: 1 });
    const child = sync();
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    while (sim.faults.hangNext) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    Object.assign(sim.faults, { match: undefined, passFirst: 0, hangNext: 0 });

    const second = sync();
    let out = '';
    second.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(code).toBe(0);
    const summary = JSON.parse(out) as { added: number; documents: number; failed: number };
    const total = [...sim.state.orm.table('documents.document').values()].filter((d) => d['type'] !== 'folder').length;
    expect(summary.failed).toBe(0);
    expect(summary.documents).toBe(total);
    // The five finished before the kill are not fetched again.
    expect(summary.added).toBe(total - 5);

    const store = await openStore({ dataDir });
    try {
      const docs = await listDocuments(store.db, { source: 'odoo' });
      expect(new Set(docs.map((d) => d.externalId)).size).toBe(total);
    } finally {
      await store.close();
    }
  });
});
