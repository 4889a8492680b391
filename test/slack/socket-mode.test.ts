/**
 * Socket Mode (SLACK_APP_TOKEN): the real Bolt SocketModeReceiver connects out to a fake Socket Mode endpoint instead
 * of receiving /slack/events; the same listeners answer, acks go back over the socket, and retries are deduplicated.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SopServer } from '../../app/server.js';
import { createServerMetrics } from '../../app/server-metrics.js';
import { createSlackSurface } from '../../bot/slack/surface.js';
import { openStore, type Store } from '../../store/index.js';
import { FakeAssistant } from './fake-assistant.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { FakeSocketMode } from './fake-socket-mode.js';
import { nextTs, rolesResolver } from './harness.js';
import { waitFor } from './signing.js';

describe('Slack over Socket Mode', () => {
  const fake = new FakeSlackApi();
  const socket = new FakeSocketMode();
  const assistant = new FakeAssistant();
  let server: SopServer;
  let store: Store;
  let url: string;

  beforeAll(async () => {
    const apiUrl = await fake.start();
    const wsUrl = await socket.start();
    fake.answers.set('apps.connections.open', () => ({ ok: true, url: wsUrl }));
    fake.addUser({ id: 'UWENDY', email: 'wendy@hospital.example' });
    fake.channelMembers.set('CWARD', ['UWENDY', 'U0BOT']);
    const logger = pino({ level: 'silent' });
    store = await openStore({ dataDir: 'memory://' });
    server = createServer({
      assistant,
      logger,
      metrics: createServerMetrics({ defaultMetrics: false }),
      readiness: async () => ({ ready: true, checks: {} }),
      surfaces: [
        createSlackSurface({
          botToken: 'xoxb-test',
          signingSecret: '',
          appToken: 'xapp-test',
          apiUrl: `${apiUrl}/api/`,
          botId: 'B0BOT',
          botUserId: 'U0BOT',
          resolveByEmail: rolesResolver({ 'wendy@hospital.example': ['ward-supply-coordinator'] }),
          retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 10 },
          db: store.db,
          logger,
        }),
      ],
    });
    url = (await server.listen(0, '127.0.0.1')).url;
    await socket.whenConnected();
  });

  afterAll(async () => {
    await server.close();
    await socket.stop();
    await fake.stop();
    await store.close();
  });

  it('opens the connection with the app token and serves no HTTP endpoint for Slack', async () => {
    const open = fake.callsOf('apps.connections.open')[0];
    expect(open?.authorization).toBe('Bearer xapp-test');
    expect((await fetch(`${url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('acks an app_mention over the socket, answers once in the thread, and ignores the retry', async () => {
    const ts = nextTs();
    const payload = {
      token: 'x', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: 'EvSock1', event_time: 1767225600,
      authorizations: [{ team_id: 'T1', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
      event: { type: 'app_mention', user: 'UWENDY', text: '<@U0BOT> partial delivery?', ts, channel: 'CWARD', event_ts: ts },
    };
    const first = socket.push('events_api', payload);
    await waitFor(() => socket.acks.find((a) => a['envelope_id'] === first), 'socket ack');
    const update = await waitFor(() => fake.callsOf('chat.update')[0], 'answer');
    expect(fake.callsOf('chat.postMessage')[0]?.args['thread_ts']).toBe(ts);
    expect(JSON.stringify(update.args['blocks'])).toContain('Inventory/receipts.md');

    const retry = socket.push('events_api', payload, 1);
    await waitFor(() => socket.acks.find((a) => a['envelope_id'] === retry), 'retry ack');
    // A later command proves the retry was processed before it; still one answer in the first thread.
    const cmd = socket.push('slash_commands', {
      token: 'x', team_id: 'T1', team_domain: 'acme', channel_id: 'CWARD', channel_name: 'ward', user_id: 'UWENDY', user_name: 'wendy',
      command: '/sop', text: 'help', api_app_id: 'A1', is_enterprise_install: 'false', trigger_id: '1.2.3', response_url: `${fake.url}/response/s1`,
    });
    const ack = await waitFor(() => socket.acks.find((a) => a['envelope_id'] === cmd), 'command ack');
    expect(JSON.stringify(ack['payload'])).toContain('/sop how do I receive a partial delivery');
    expect(fake.callsOf('chat.postMessage').filter((c) => c.args['thread_ts'] === ts)).toHaveLength(1);
    expect(assistant.asks).toHaveLength(1);
  });
});
