/**
 * `serve` with ODOO_* set (not demo): connects to that Odoo (here the simulator in another "process" role), syncs its
 * Documents in the background while serving, and answers the web chat's Odoo-group personas with Odoo's ACLs.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config/index.js';
import { odooGroupRolesFromAccessYaml } from '../../assistant/identity.js';
import { silentLogger } from '../../app/logger.js';
import { startSopServer, type RunningServer } from '../../app/server-app.js';
import { startSimulator, type RunningSimulator } from '../../odoo/simulator/index.js';
import { waitFor } from '../slack/signing.js';
import { libraryPath } from '../slack/sources.js';

describe('serve against a configured Odoo', () => {
  let sim: RunningSimulator;
  let running: RunningServer;
  let dir: string;

  beforeAll(async () => {
    sim = await startSimulator({ host: '127.0.0.1' });
    dir = await mkdtemp(join(tmpdir(), 'sop-serve-odoo-'));
    // The shipped demo access.yml, whose odoo_groups must name the groups the simulator really creates.
    const accessFile = fileURLToPath(new URL('../../data/demo-hospital/access.yml', import.meta.url));
    expect(odooGroupRolesFromAccessYaml(await readFile(accessFile, 'utf8'))).toEqual(sim.seed.groupRoles);
    const info = sim.info();
    const config = loadConfig({
      SOP_DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'silent',
      ODOO_URL: sim.url,
      ODOO_DB: sim.db,
      ODOO_USER: info.admin.login,
      ODOO_API_KEY: info.admin.api_key,
      ACCESS_FILE: accessFile,
    });
    running = await startSopServer({ config, logger: silentLogger(), demo: false, port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await running?.close();
    await sim?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const ask = async (personId: string, question: string) => {
    const res = await fetch(`${running.url}/api/chat/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ personId, question }) });
    expect(res.status).toBe(200);
    return (await res.json()) as { answered: boolean; citations: { source: string }[]; related: { source: string }[] };
  };

  it('becomes ready once the background sync has filled the index, then answers with Odoo access', async () => {
    // Served from the start; ready as soon as the sync has indexed something; complete when the first sync settles.
    await waitFor(async () => (await fetch(`${running.url}/readyz`)).status === 200, 'readiness', 90_000);
    await running.initialSync;
    const answer = await ask('ward-supply-coordinator', 'how do i order gloves and aprons from central stores for my ward in odoo?');
    expect(answer.answered).toBe(true);
    expect(libraryPath(answer.citations[0]!.source, sim.seed.documentPaths)).toBe('Inventory/ward-requisitions.md');
    const forbidden = await ask('ward-supply-coordinator', 'the vaccine fridge on our ward alarmed, what do we do with the vaccines');
    expect(forbidden.answered).toBe(false);
    expect(forbidden.citations.map((c) => libraryPath(c.source, sim.seed.documentPaths)).filter((p) => p.startsWith('Pharmacy/'))).toEqual([]);
    // The refusal points to the closest SOPs the coordinator can read — never to the pharmacy one that answers it.
    const related = forbidden.related.map((c) => libraryPath(c.source, sim.seed.documentPaths));
    expect(related.length).toBeGreaterThan(0);
    expect(related.filter((p) => p.startsWith('Pharmacy/'))).toEqual([]);
  });
});
