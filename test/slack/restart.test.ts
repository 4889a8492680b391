/**
 * A restart keeps what people set in Slack: `/sop private on|off` is stored, so after the server and its store are
 * closed and opened again from disk, a second server (new surface, new fake Slack) answers each channel the way it was
 * last set — and channels nobody has set still follow SLACK_PRIVATE_CHANNELS. (Slack's 👍/👎 carry the audit id in the
 * button value, so they need nothing kept.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../store/index.js';
import { FakeAssistant } from './fake-assistant.js';
import { SIGNING_SECRET, envelope, nextTs, rolesResolver, startSlackHarness, type SlackHarness } from './harness.js';
import { form, postSlack, waitFor } from './signing.js';

const PEOPLE = { 'wendy@hospital.example': ['ward-supply-coordinator'], 'paul@hospital.example': ['pharmacy-support'] };
/** SLACK_PRIVATE_CHANNELS in both lifetimes. */
const CONFIGURED_PRIVATE = ['CCONFIG', 'CQUIET'];

/** One "server lifetime": the store opened from the data dir and the Slack surface on it. */
async function boot(dataDir: string): Promise<{ store: Store; h: SlackHarness; assistant: FakeAssistant }> {
  const store = await openStore({ dataDir });
  const assistant = new FakeAssistant();
  const h = await startSlackHarness({ assistant, resolveByEmail: rolesResolver(PEOPLE), privateChannels: CONFIGURED_PRIVATE, db: store.db });
  h.fake.addUser({ id: 'UWENDY', email: 'wendy@hospital.example', name: 'Wendy' }).addUser({ id: 'UPAUL', email: 'paul@hospital.example', name: 'Paul' });
  for (const channel of ['CTEAM', 'CCONFIG', 'CQUIET']) h.fake.channelMembers.set(channel, ['UWENDY', 'UPAUL', 'U0BOT']);
  return { store, h, assistant };
}

async function setMode(h: SlackHarness, channel: string, text: 'private on' | 'private off'): Promise<string> {
  const body = form({
    token: 'x', team_id: 'T1', team_domain: 'acme', channel_id: channel, channel_name: channel.toLowerCase(), user_id: 'UWENDY', user_name: 'wendy',
    command: '/sop', text, api_app_id: 'A1', is_enterprise_install: 'false', trigger_id: '1.2.3', response_url: `${h.fake.url}/response/${channel}`,
  });
  const res = await postSlack(h.eventsUrl, SIGNING_SECRET, body, 'form');
  expect(res.status).toBe(200);
  return ((await res.json()) as { text: string }).text;
}

async function mention(h: SlackHarness, channel: string): Promise<string> {
  const ts = nextTs();
  const text = '<@U0BOT> how do I receive a partial delivery?';
  await postSlack(h.eventsUrl, SIGNING_SECRET, envelope({ type: 'app_mention', user: 'UWENDY', text, ts, channel, event_ts: ts }), 'json');
  return ts;
}

describe('Slack across a restart (store on disk)', () => {
  let dataDir: string;
  let current: { store: Store; h: SlackHarness; assistant: FakeAssistant } | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sop-slack-restart-'));
  });
  afterAll(async () => {
    await current?.h.close();
    await current?.store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers each channel as it was last set, and by configuration where nobody set it', async () => {
    current = await boot(dataDir);
    expect(await setMode(current.h, 'CTEAM', 'private on')).toContain('privately');
    expect(await setMode(current.h, 'CCONFIG', 'private off')).toContain('openly');

    // Restart: everything in memory is gone; only the data directory remains.
    await current.h.close();
    await current.store.close();
    current = undefined;
    current = await boot(dataDir);
    const { h, assistant } = current;

    // Switched on before the restart: an ephemeral answer to the asker, from her own access.
    const teamTs = await mention(h, 'CTEAM');
    const eph = await waitFor(() => h.fake.callsOf('chat.postEphemeral').find((c) => c.args['channel'] === 'CTEAM'), 'private answer in CTEAM');
    expect(eph.args).toMatchObject({ user: 'UWENDY', thread_ts: teamTs });
    expect(assistant.asks.at(-1)?.asker.principals).toEqual(['role:ward-supply-coordinator']);
    expect(JSON.stringify(eph.args['blocks'])).toContain('Inventory/receipts.md');

    // Configured private but switched off before the restart: answered in the channel, from what every member may read.
    const configTs = await mention(h, 'CCONFIG');
    const update = await waitFor(() => h.fake.callsOf('chat.update').find((c) => c.args['channel'] === 'CCONFIG'), 'shared answer in CCONFIG');
    expect(h.fake.callsOf('chat.postMessage').find((c) => c.args['channel'] === 'CCONFIG')?.args['thread_ts']).toBe(configTs);
    expect(assistant.asks.at(-1)?.asker.principals).toEqual([]);
    expect(JSON.stringify(update.args['blocks'])).toContain('every member of this channel');

    // Configured private and never touched: still private.
    await mention(h, 'CQUIET');
    await waitFor(() => h.fake.callsOf('chat.postEphemeral').find((c) => c.args['channel'] === 'CQUIET'), 'private answer in CQUIET');
    expect(h.fake.callsOf('chat.postMessage').filter((c) => c.args['channel'] !== 'CCONFIG')).toHaveLength(0);
    expect(h.fake.callsOf('conversations.members').map((c) => c.args['channel'])).toEqual(['CCONFIG']);
  });
});
