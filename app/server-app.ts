/**
 * Wires the server for `serve`: store + embedder (composition root), the demo hospital (Odoo simulator + sync) or a
 * configured Odoo, the assistant, and the surfaces — web always, Slack when SLACK_* is set, Teams when configured (or
 * emulator mode in development). Kept apart from the CLI command so end-to-end tests start exactly what `serve --demo`
 * starts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createOdooIdentityResolver, odooGroupRolesFromAccessYaml, type IdentityResolver } from '../assistant/identity.js';
import { createAssistant } from '../assistant/index.js';
import { loadSuperUsers } from '../bot/shared/super-users.js';
import type { ResolveByEmail } from '../bot/shared/identity.js';
import { createSlackSurface } from '../bot/slack/surface.js';
import { createTeamsSurface, type TeamsSurface } from '../bot/teams/surface.js';
import { createWebSurface } from '../bot/web/surface.js';
import type { WebPerson } from '../bot/web/render.js';
import { loadAccessFile } from '../ingestion/index.js';
import { runOdooSync } from '../ingestion/sync.js';
import { startPeriodicSync, type PeriodicSync } from '../ingestion/sync-periodic.js';
import { connectOdoo } from '../odoo/client.js';
import type { Db } from '../store/index.js';
import { maxFileBytes, type Config } from './config/index.js';
import { openContext } from './context.js';
import { UsageError } from './errors.js';
import type { Logger } from './logger.js';
import { createServer, type SopServer, type Surface } from './server.js';
import { startDemoHospital, type DemoHospital } from './server-demo.js';
import { peopleFromOdooGroups, peopleFromRoles } from './server-people.js';
import { storeReadiness } from './server-readiness.js';

export interface StartOptions {
  config: Config;
  logger: Logger;
  demo: boolean;
  port: number;
  host?: string;
  /** Progress lines for the person who started the server (stdout in the CLI). */
  say?: (line: string) => void;
  /** Slack e-mail → principals; defaults to the Odoo identity once configured, else "unknown" (public only). */
  resolveByEmail?: ResolveByEmail;
}

export interface RunningServer {
  server: SopServer;
  url: string;
  /** The in-process Odoo simulator in demo mode. */
  demo?: DemoHospital;
  /** With ODOO_* set: settles when the first background sync has finished (or failed, which is logged). */
  initialSync?: Promise<unknown>;
  /** Finishes answers in flight, stops the surfaces, closes the store. */
  close(): Promise<void>;
}

/** Without Odoo there is no one to resolve an e-mail against: every chat user reads public documents only. */
const unknownEveryone: ResolveByEmail = async () => null;

/** Odoo identity → the surfaces' resolver; an e-mail Odoo does not know is "unknown" (public only). */
function fromOdoo(identity: IdentityResolver): ResolveByEmail {
  return async (email) => {
    const who = await identity.resolveAskerByEmail(email);
    return who.known ? { principals: who.principals, roles: who.roles, ...(who.displayName ? { displayName: who.displayName } : {}) } : null;
  };
}

/** The demo keeps its own embedded database so it never mixes with a real index. */
export function demoConfig(config: Config, explicitDataDir: boolean): Config {
  return explicitDataDir || config.DATABASE_URL ? config : { ...config, SOP_DATA_DIR: join(config.SOP_DATA_DIR, 'demo') };
}

function slackSurface(
  config: Config,
  opts: StartOptions,
  resolveByEmail: ResolveByEmail,
  superUsers: Awaited<ReturnType<typeof loadSuperUsers>>,
  db: Db,
): Surface | null {
  if (!config.SLACK_BOT_TOKEN) return null;
  if (!config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) {
    throw new UsageError('SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) is missing');
  }
  return createSlackSurface({
    botToken: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET ?? '',
    ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
    ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
    privateChannels: (config.SLACK_PRIVATE_CHANNELS ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
    resolveByEmail: opts.resolveByEmail ?? resolveByEmail,
    superUsers,
    db,
    logger: opts.logger,
  });
}

/**
 * Teams is mounted when it has credentials, and in development without them (emulator mode, for the Bot Framework
 * Emulator). In production an empty MICROSOFT_APP_ID with other MICROSOFT_* set is a ConfigError (the surface refuses
 * emulator mode there); with no MICROSOFT_* at all, Teams is simply not served.
 */
function teamsSurface(
  config: Config,
  opts: StartOptions,
  resolveByEmail: ResolveByEmail,
  superUsers: Awaited<ReturnType<typeof loadSuperUsers>>,
  db: Db,
): TeamsSurface | null {
  const production = config.NODE_ENV === 'production';
  const configured = Boolean(config.MICROSOFT_APP_ID || config.MICROSOFT_APP_PASSWORD || config.MICROSOFT_APP_TENANT_ID);
  if (production && !configured) return null;
  return createTeamsSurface({
    appId: config.MICROSOFT_APP_ID,
    appPassword: config.MICROSOFT_APP_PASSWORD,
    appType: config.MICROSOFT_APP_TYPE,
    tenantId: config.MICROSOFT_APP_TENANT_ID,
    production,
    resolveByEmail: opts.resolveByEmail ?? resolveByEmail,
    superUsers,
    db,
    logger: opts.logger,
  });
}

export async function startSopServer(opts: StartOptions): Promise<RunningServer> {
  const { config, logger } = opts;
  const say = opts.say ?? (() => undefined);
  const ctx = await openContext(config, { logger });
  let demo: DemoHospital | undefined;
  let periodic: PeriodicSync | undefined;
  let firstSync: Promise<unknown> | undefined;
  try {
    let people: WebPerson[] = peopleFromRoles([]);
    let resolveByEmail: ResolveByEmail = unknownEveryone;
    const accessRoles = config.ACCESS_FILE ? (await loadAccessFile(config.ACCESS_FILE)).roles : [];
    if (opts.demo) {
      say('Demo mode: starting the Odoo simulator with the St. Aldhelm’s demo hospital and syncing its Documents…');
      demo = await startDemoHospital({ store: ctx.store, embedder: ctx.embedder, logger, maxBytes: maxFileBytes(config) });
      say(`  ${demo.summary}`);
      people = demo.people;
      resolveByEmail = fromOdoo(demo.identity);
    } else if (config.ODOO_URL && config.ODOO_DB && config.ODOO_USER && config.ODOO_API_KEY) {
      const client = await connectOdoo({
        url: config.ODOO_URL,
        db: config.ODOO_DB,
        login: config.ODOO_USER,
        apiKey: config.ODOO_API_KEY,
        protocol: config.ODOO_PROTOCOL,
        logger,
      });
      const groupRoles = config.ACCESS_FILE ? odooGroupRolesFromAccessYaml(await readFile(config.ACCESS_FILE, 'utf8')) : {};
      const identity = createOdooIdentityResolver({ client, groupRoles, logger });
      resolveByEmail = fromOdoo(identity);
      people = Object.keys(groupRoles).length ? await peopleFromOdooGroups(client, identity, groupRoles) : peopleFromRoles(accessRoles);
      // Sync in the background: the server answers from the existing index meanwhile (/readyz tells when it has one).
      const sync = ({ reconcile }: { reconcile: boolean }) =>
        runOdooSync({ store: ctx.store, embedder: ctx.embedder, client, logger, reconcile, maxBytes: maxFileBytes(config) });
      if (config.SYNC_INTERVAL_MINUTES > 0) {
        periodic = startPeriodicSync({ intervalMs: config.SYNC_INTERVAL_MINUTES * 60_000, logger, sync });
        firstSync = periodic.runNow();
        say(`Syncing Odoo Documents from ${config.ODOO_URL} now and every ${config.SYNC_INTERVAL_MINUTES} min.`);
      } else {
        say(`Syncing Odoo Documents from ${config.ODOO_URL} in the background (once; set SYNC_INTERVAL_MINUTES to repeat).`);
        firstSync = sync({ reconcile: true }).then(
          (r) => logger.info({ documents: r.documents, added: r.added, updated: r.updated, failed: r.failed }, 'Odoo sync finished'),
          (err: unknown) => logger.error({ err }, 'Odoo sync failed'),
        );
      }
    } else {
      people = peopleFromRoles(accessRoles);
    }

    const assistant = createAssistant({
      db: ctx.store.db,
      embedder: ctx.embedder,
      logger,
      ...(config.ANSWER_MIN_CONFIDENCE !== undefined ? { minConfidence: config.ANSWER_MIN_CONFIDENCE } : {}),
    });
    const superUsers = await loadSuperUsers(config.SUPER_USERS_FILE);
    const surfaces: Surface[] = [createWebSurface({ people, logger })];
    // Channel modes and the Teams answer log live in the same store as the index, so they survive a restart.
    const slack = slackSurface(config, opts, resolveByEmail, superUsers, ctx.store.db);
    if (slack) surfaces.push(slack);
    const teams = teamsSurface(config, opts, resolveByEmail, superUsers, ctx.store.db);
    if (teams) surfaces.push(teams);

    const server = createServer({ assistant, surfaces, logger, readiness: storeReadiness(ctx.store.db) });
    const { url } = await server.listen(opts.port, opts.host);
    say('SOP Assistant is running.');
    say(`  Web chat:  ${url}/`);
    if (slack) say(config.SLACK_APP_TOKEN ? '  Slack:     connected with Socket Mode' : `  Slack:     ${url}/slack/events`);
    if (teams) say(`  Teams:     ${url}/api/messages${teams.emulatorMode ? ' (emulator mode: no authentication)' : ''}`);
    say(`  Health:    ${url}/healthz · ${url}/readyz · ${url}/metrics`);
    const running: RunningServer = {
      server,
      url,
      async close() {
        try {
          await server.close();
          await periodic?.stop();
          await firstSync?.catch(() => undefined); // its failure was logged
          await demo?.stop();
        } finally {
          await ctx.close();
        }
      },
    };
    if (demo) running.demo = demo;
    if (firstSync) running.initialSync = firstSync;
    return running;
  } catch (error) {
    await periodic?.stop();
    await demo?.stop();
    await ctx.close();
    throw error;
  }
}
