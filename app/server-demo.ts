/**
 * Demo mode (`serve --demo`, and `npm start` when no Odoo is configured): start the Odoo simulator in-process with the
 * St. Aldhelm's demo hospital, sync its Documents into the store the same way a real Odoo is synced, and resolve
 * people through its users — so a fresh clone shows the whole product (Odoo ACLs, identity, citations with Odoo
 * links) with no configuration at all.
 */
import { createOdooIdentityResolver, type IdentityResolver } from '../assistant/identity.js';
import type { WebPerson } from '../bot/web/render.js';
import type { SopEmbeddings } from '../ingestion/embedders/index.js';
import { runOdooSync } from '../ingestion/sync.js';
import { connectOdoo, type OdooClient } from '../odoo/client.js';
import { startSimulator, type RunningSimulator } from '../odoo/simulator/index.js';
import type { Store } from '../store/index.js';
import type { Logger } from './logger.js';

export interface DemoHospital {
  simulator: RunningSimulator;
  client: OdooClient;
  identity: IdentityResolver;
  people: WebPerson[];
  summary: string;
  stop(): Promise<void>;
}

export async function startDemoHospital(opts: { store: Store; embedder: SopEmbeddings; logger: Logger; maxBytes: number }): Promise<DemoHospital> {
  const simulator = await startSimulator({ host: '127.0.0.1', logger: opts.logger.child({ component: 'odoo-simulator' }) });
  try {
    const info = simulator.info();
    const client = await connectOdoo({ url: simulator.url, db: simulator.db, login: info.admin.login, apiKey: info.admin.api_key, logger: opts.logger });
    const report = await runOdooSync({ store: opts.store, embedder: opts.embedder, client, logger: opts.logger, maxBytes: opts.maxBytes });
    const identity = createOdooIdentityResolver({ client, groupRoles: simulator.seed.groupRoles, logger: opts.logger });
    // Each demo person is resolved exactly as a Slack or Teams user with that e-mail would be.
    const people: WebPerson[] = [];
    for (const user of simulator.seed.users) {
      const who = await identity.resolveAskerByEmail(user.email);
      const title = who.roles.length ? undefined : 'supplier portal user';
      people.push({ id: user.login, name: user.name, roles: who.roles, principals: who.principals, ...(title ? { title } : {}) });
    }
    people.push({ id: 'visitor', name: 'Visitor without an Odoo account', roles: [], principals: ['public'] });
    const summary =
      `Odoo simulator ${simulator.version} at ${simulator.url} (db ${simulator.db}) synced: ${report.documents} documents, ` +
      `${report.chunks} chunks (${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ` +
      `${report.failed} failed) in ${report.seconds.toFixed(1)} s`;
    return { simulator, client, identity, people, summary, stop: () => simulator.stop() };
  } catch (error) {
    await simulator.stop();
    throw error;
  }
}
