/**
 * Builds the real server with the real Slack surface (Bolt + ExpressReceiver + signature verification) against a
 * fake Slack Web API, for the Slack end-to-end tests and the bench.
 */
import { pino } from 'pino';
import { createServer, type SopServer } from '../../app/server.js';
import { createServerMetrics } from '../../app/server-metrics.js';
import type { AssistantPort } from '../../bot/shared/assistant-port.js';
import type { SuperUser } from '../../bot/shared/super-users.js';
import type { ResolveByEmail } from '../../bot/slack/identity.js';
import { createSlackSurface } from '../../bot/slack/surface.js';
import { openStore, type Db } from '../../store/index.js';
import { FakeSlackApi } from './fake-slack-api.js';

export const SIGNING_SECRET = 'test-signing-secret';

export interface SlackHarness {
  fake: FakeSlackApi;
  server: SopServer;
  eventsUrl: string;
  baseUrl: string;
  close(): Promise<void>;
}

/** Demo people by e-mail → roles; principals are `role:<r>`, like the access model. */
export function rolesResolver(people: Record<string, string[]>): ResolveByEmail {
  return async (email) => {
    const roles = people[email];
    return roles ? { roles, principals: roles.map((r) => `role:${r}`) } : null;
  };
}

export async function startSlackHarness(opts: {
  assistant: AssistantPort;
  resolveByEmail: ResolveByEmail;
  superUsers?: SuperUser[];
  privateChannels?: string[];
  /** The store channel modes are kept in; pass one to survive a "restart" (a new harness on the same store). */
  db?: Db;
}): Promise<SlackHarness> {
  // Without a store of the caller's, each harness gets its own throw-away one.
  const own = opts.db ? undefined : await openStore({ dataDir: 'memory://' });
  const db = opts.db ?? own!.db;
  const fake = new FakeSlackApi();
  const apiUrl = await fake.start();
  const logger = pino({ level: 'silent' });
  const server = createServer({
    assistant: opts.assistant,
    logger,
    metrics: createServerMetrics({ defaultMetrics: false }),
    readiness: async () => ({ ready: true, checks: {} }),
    surfaces: [
      createSlackSurface({
        botToken: 'xoxb-test',
        signingSecret: SIGNING_SECRET,
        apiUrl: `${apiUrl}/api/`,
        botId: 'B0BOT',
        botUserId: 'U0BOT',
        resolveByEmail: opts.resolveByEmail,
        superUsers: opts.superUsers ?? [],
        privateChannels: opts.privateChannels ?? [],
        db,
        retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 },
        logger,
      }),
    ],
  });
  const { url } = await server.listen(0, '127.0.0.1');
  return {
    fake,
    server,
    baseUrl: url,
    eventsUrl: `${url}/slack/events`,
    async close() {
      await server.close();
      await fake.stop();
      await own?.close();
    },
  };
}

let eventCounter = 0;

/** An Events API envelope as Slack sends it. */
export function envelope(event: Record<string, unknown>, eventId = `Ev${++eventCounter}`): string {
  return JSON.stringify({
    token: 'x',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T1', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
    event,
  });
}

let tsCounter = 0;
export function nextTs(): string {
  tsCounter += 1;
  return `1767225600.${String(tsCounter).padStart(6, '0')}`;
}
