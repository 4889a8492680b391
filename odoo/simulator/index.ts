/**
 * The Odoo simulator's public face: `startSimulator({ port, version, seed })` starts a local Odoo (17, 18 or 19
 * shapes) speaking JSON-RPC, XML-RPC and JSON-2, seeded with the demo hospital, for tests and the demo mode.
 */
import type { Logger } from 'pino';
import { defineModels } from './models.js';
import type { SimVersion } from './models.js';
import { Orm } from './orm.js';
import type { SimState } from './rpc.js';
import { seedBase, seedDemoHospital } from './seed.js';
import type { SeedOptions, SeedResult, SeedUser } from './seed.js';
import { listen } from './server.js';
import type { FaultPlan, ProtocolSwitches } from './server.js';

export type { SimVersion } from './models.js';
export type { SeedUser, SeedResult } from './seed.js';
export type { FaultPlan, ProtocolSwitches } from './server.js';
export { documentPermission } from './models.js';
export { roleGroupXmlid } from './seed.js';

export interface StartSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  version?: SimVersion;
  /** `demo-hospital` (default), `empty` (base groups and an admin only), or demo-hospital options. */
  seed?: 'demo-hospital' | 'empty' | SeedOptions;
  db?: string;
  logger?: Logger;
  /** Turn protocols off, as some deployments do. */
  protocols?: ProtocolSwitches;
}

/** The `odoo-simulator --json` first line (DESIGN.md). */
export interface SimulatorInfo {
  url: string;
  db: string;
  version: string;
  admin: { login: string; password: string; api_key: string };
  users: { login: string; email: string; password: string; api_key: string; roles: string[] }[];
}

export interface RunningSimulator {
  url: string;
  db: string;
  version: SimVersion;
  state: SimState;
  seed: SeedResult;
  /** Fault injection; mutate fields to arm faults for the next requests. */
  faults: FaultPlan;
  /** HTTP requests served so far. */
  requests(): number;
  /** Most requests handled at the same time so far. */
  maxInFlight(): number;
  /** Makes an API key expire now (it then fails everywhere, as an expired key does). */
  expireKey(key: string): void;
  info(): SimulatorInfo;
  stop(): Promise<void>;
}

export async function startSimulator(opts: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const version = opts.version ?? 18;
  const orm = new Orm();
  defineModels(orm, version, typeof opts.seed === 'object' ? (opts.seed.helpdesk ?? 'enterprise') : 'enterprise');
  const state: SimState = { orm, db: opts.db ?? 'st-aldhelms', version, passwords: new Map(), apiKeys: new Map() };
  let seed: SeedResult;
  if (opts.seed === 'empty') {
    seedBase(state);
    const { createUser } = await import('./seed.js');
    const admin = createUser(state, {
      name: 'Administrator', login: 'admin', email: 'admin@example.com', groups: ['base.group_system'], password: 'admin', apiKey: 'a'.repeat(40),
    });
    seed = { admin, users: [], groupRoles: {}, documentPaths: new Map() };
  } else {
    seed = await seedDemoHospital(state, typeof opts.seed === 'object' ? opts.seed : {});
  }
  const server = await listen(state, { ...(opts.port === undefined ? {} : { port: opts.port }), ...(opts.host ? { host: opts.host } : {}), ...(opts.logger ? { logger: opts.logger } : {}), ...(opts.protocols ? { protocols: opts.protocols } : {}) });
  const strip = (u: SeedUser) => ({ login: u.login, email: u.email, password: u.password, api_key: u.api_key, roles: u.roles });
  return {
    url: server.url,
    db: state.db,
    version,
    state,
    seed,
    faults: server.faults,
    requests: () => server.requests,
    maxInFlight: () => server.maxInFlight,
    expireKey(key) {
      const k = state.apiKeys.get(key);
      if (k) k.expiration = new Date(orm.now().getTime() - 1000).toISOString();
    },
    info: () => ({
      url: server.url,
      db: state.db,
      version: `${version}.0`,
      admin: { login: seed.admin.login, password: seed.admin.password, api_key: seed.admin.api_key },
      users: seed.users.map(strip),
    }),
    stop: () => server.close(),
  };
}
