/**
 * Builds the real server with the real Teams surface (botbuilder CloudAdapter on /api/messages) and a fake Bot
 * Framework connector, plus builders for the activities Teams POSTs. Emulator mode (no app id) unless a test sets
 * credentials; the activities' `serviceUrl` points at the fake, so every reply the bot makes lands there.
 */
import { pino } from 'pino';
import { createServer, type SopServer } from '../../app/server.js';
import { createServerMetrics } from '../../app/server-metrics.js';
import type { AssistantPort } from '../../bot/shared/assistant-port.js';
import type { ResolveByEmail } from '../../bot/shared/identity.js';
import type { SuperUser } from '../../bot/shared/super-users.js';
import { createTeamsSurface, type TeamsCredentials, type TeamsSurface } from '../../bot/teams/surface.js';
import { openStore, type Db } from '../../store/index.js';
import { FakeConnector } from './fake-connector.js';

export const BOT = { id: '28:bot-app-id', name: 'SOP Assistant' };
export const TENANT = 'tid-1';

export interface TeamsHarness {
  connector: FakeConnector;
  server: SopServer;
  surface: TeamsSurface;
  messagesUrl: string;
  baseUrl: string;
  /** POSTs an activity to /api/messages as the Teams channel would (no Authorization header: emulator mode). */
  post(activity: Record<string, unknown>, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function startTeamsHarness(opts: {
  assistant: AssistantPort;
  resolveByEmail: ResolveByEmail;
  superUsers?: SuperUser[];
  credentials?: TeamsCredentials;
  /** The store channel modes and posted answers are kept in; pass one to survive a "restart" (a new harness on it). */
  db?: Db;
}): Promise<TeamsHarness> {
  // Without a store of the caller's, each harness gets its own throw-away one.
  const own = opts.db ? undefined : await openStore({ dataDir: 'memory://' });
  const db = opts.db ?? own!.db;
  const connector = new FakeConnector();
  await connector.start();
  const logger = pino({ level: 'silent' });
  const surface = createTeamsSurface({
    production: false,
    resolveByEmail: opts.resolveByEmail,
    superUsers: opts.superUsers ?? [],
    db,
    logger,
    ...(opts.credentials ?? {}),
  });
  const server = createServer({
    assistant: opts.assistant,
    logger,
    metrics: createServerMetrics({ defaultMetrics: false }),
    readiness: async () => ({ ready: true, checks: {} }),
    surfaces: [surface],
  });
  const { url } = await server.listen(0, '127.0.0.1');
  const messagesUrl = `${url}/api/messages`;
  return {
    connector,
    server,
    surface,
    baseUrl: url,
    messagesUrl,
    post: (activity, headers = {}) =>
      fetch(messagesUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) }),
    async close() {
      await server.close();
      await connector.stop();
      await own?.close();
    },
  };
}

let counter = 0;
export const nextActivityId = (): string => `17672256${String(++counter).padStart(5, '0')}`;

export interface Person {
  id: string;
  name: string;
  aadObjectId: string;
}

function base(serviceUrl: string, from: Person, id: string): Record<string, unknown> {
  return {
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from,
    recipient: BOT,
    locale: 'en-US',
  };
}

/** A message in the bot's 1:1 chat with `from`. */
export function personalMessage(serviceUrl: string, from: Person, text: string, id = nextActivityId()): Record<string, unknown> {
  return {
    ...base(serviceUrl, from, id),
    type: 'message',
    textFormat: 'plain',
    text,
    conversation: { conversationType: 'personal', tenantId: TENANT, id: `a:1${from.id}` },
    channelData: { tenant: { id: TENANT } },
    entities: [{ type: 'clientInfo', locale: 'en-US', platform: 'Web' }],
  };
}

/** A channel message that @mentions the bot (a new thread: the conversation id carries the root message id). */
export function channelMention(
  serviceUrl: string,
  from: Person,
  question: string,
  opts: { team: string; channel: string; id?: string },
): Record<string, unknown> {
  const id = opts.id ?? nextActivityId();
  const at = `<at>${BOT.name}</at>`;
  return {
    ...base(serviceUrl, from, id),
    type: 'message',
    textFormat: 'plain',
    text: `${at} ${question}`,
    conversation: { isGroup: true, conversationType: 'channel', tenantId: TENANT, id: `${opts.channel};messageid=${id}` },
    entities: [
      { type: 'mention', text: at, mentioned: BOT },
      { type: 'clientInfo', locale: 'en-US', platform: 'Web' },
    ],
    channelData: { tenant: { id: TENANT }, team: { id: opts.team }, channel: { id: opts.channel } },
  };
}

/** An Action.Submit click: a message with no text and the card's data (merged with its inputs) as `value`. */
export function cardSubmit(serviceUrl: string, from: Person, conversationId: string, replyToId: string, value: Record<string, unknown>): Record<string, unknown> {
  return {
    ...base(serviceUrl, from, nextActivityId()),
    type: 'message',
    replyToId,
    value,
    conversation: { conversationType: 'personal', tenantId: TENANT, id: conversationId },
    channelData: { tenant: { id: TENANT } },
  };
}

/** Teams' own thumbs up/down on a bot message (channelData.feedbackLoopEnabled). */
export function feedbackInvoke(serviceUrl: string, from: Person, conversationId: string, replyToId: string, reaction: 'like' | 'dislike', feedbackText?: string): Record<string, unknown> {
  return {
    ...base(serviceUrl, from, nextActivityId()),
    type: 'invoke',
    name: 'message/submitAction',
    replyToId,
    value: { actionName: 'feedback', actionValue: { reaction, feedback: JSON.stringify(feedbackText ? { feedbackText } : {}) } },
    conversation: { conversationType: 'personal', tenantId: TENANT, id: conversationId },
    channelData: { tenant: { id: TENANT } },
  };
}
