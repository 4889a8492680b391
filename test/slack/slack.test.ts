import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAssistant } from './fake-assistant.js';
import type { RecordedCall } from './fake-slack-api.js';
import { SIGNING_SECRET, envelope, nextTs, rolesResolver, startSlackHarness, type SlackHarness } from './harness.js';
import { form, interactive, postSlack, waitFor } from './signing.js';

type Block = { type: string; text?: { text: string }; elements?: { text?: string; value?: string; action_id?: string }[] };

const blocksOf = (call: RecordedCall) => (call.args['blocks'] ?? []) as Block[];
const allText = (call: RecordedCall) =>
  blocksOf(call)
    .flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text ?? '')])
    .join('\n');
const sourcesLine = (call: RecordedCall) => allText(call).split('\n').find((l) => l.startsWith('*Sources:*')) ?? '';

const PEOPLE = {
  'wendy@hospital.example': ['ward-supply-coordinator'],
  'paul@hospital.example': ['pharmacy-support'],
};

describe('Slack surface (real Bolt, signed requests, fake Web API)', () => {
  let h: SlackHarness;
  let assistant: FakeAssistant;

  beforeAll(async () => {
    assistant = new FakeAssistant();
    h = await startSlackHarness({
      assistant,
      resolveByEmail: rolesResolver(PEOPLE),
      superUsers: [{ name: 'Sam', roles: ['*'], slack: 'U0SUPER' }],
      privateChannels: ['CPRIV'],
    });
    h.fake
      .addUser({ id: 'UWENDY', email: 'wendy@hospital.example', name: 'Wendy' })
      .addUser({ id: 'UPAUL', email: 'paul@hospital.example', name: 'Paul' })
      .addUser({ id: 'UGUEST', name: 'Guest' })
      .addUser({ id: 'U0OTHERBOT', isBot: true });
    h.fake.channelMembers.set('CWARD', ['UWENDY', 'U0BOT']);
    h.fake.channelMembers.set('CMIXED', ['UWENDY', 'UPAUL', 'U0BOT', 'U0OTHERBOT']);
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    h.fake.calls.length = 0;
    h.fake.responses.length = 0;
  });

  const updatesFor = (channel: string) => h.fake.callsOf('chat.update').filter((c) => c.args['channel'] === channel);

  it('answers url_verification and rejects bad or stale signatures with 401', async () => {
    const body = JSON.stringify({ token: 'x', challenge: 'abc123', type: 'url_verification' });
    const ok = await postSlack(h.eventsUrl, SIGNING_SECRET, body, 'json');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ challenge: 'abc123' });

    const bad = await postSlack(h.eventsUrl, 'wrong-secret', body, 'json');
    expect(bad.status).toBe(401);

    const stale = await postSlack(h.eventsUrl, SIGNING_SECRET, body, 'json', {}, Math.floor(Date.now() / 1000) - 301);
    expect(stale.status).toBe(401);

    const unsigned = await fetch(h.eventsUrl, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(401);
  });

  it('answers a mention with one threaded Block Kit answer with citations, and answers a retry only once', async () => {
    const ts = nextTs();
    const body = envelope({ type: 'app_mention', user: 'UWENDY', text: '<@U0BOT> how do I receive a partial delivery?', ts, channel: 'CWARD', event_ts: ts }, 'EvMention1');
    const res = await postSlack(h.eventsUrl, SIGNING_SECRET, body, 'json');
    expect(res.status).toBe(200);

    const update = await waitFor(() => updatesFor('CWARD')[0], 'the answer');
    const placeholder = h.fake.callsOf('chat.postMessage')[0]!;
    expect(placeholder.args['thread_ts']).toBe(ts);
    expect(placeholder.authorization).toBe('Bearer xoxb-test');
    expect(update.args['ts']).toBeDefined();
    expect(sourcesLine(update)).toContain('<https://odoo.example/docs/Inventory/receipts.md|[1] Receiving deliveries>');
    expect(allText(update)).toContain('Validate and create a backorder');
    expect(assistant.asks.at(-1)?.question).toBe('how do I receive a partial delivery?');

    // Slack retries the same event_id; then a new event shows the retry was processed (and ignored).
    const retry = await postSlack(h.eventsUrl, SIGNING_SECRET, body, 'json', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry.status).toBe(200);
    const ts2 = nextTs();
    await postSlack(h.eventsUrl, SIGNING_SECRET, envelope({ type: 'app_mention', user: 'UWENDY', text: '<@U0BOT> login help', ts: ts2, channel: 'CWARD', event_ts: ts2 }), 'json');
    await waitFor(() => updatesFor('CWARD')[1], 'the second answer');
    expect(h.fake.callsOf('chat.postMessage').filter((c) => c.args['thread_ts'] === ts)).toHaveLength(1);
    expect(updatesFor('CWARD')).toHaveLength(2);
  });

  it('uses the thread for follow-ups', async () => {
    const root = nextTs();
    await postSlack(h.eventsUrl, SIGNING_SECRET, envelope({ type: 'app_mention', user: 'UWENDY', text: '<@U0BOT> partial delivery?', ts: root, channel: 'CWARD', event_ts: root }), 'json');
    await waitFor(() => updatesFor('CWARD')[0], 'first answer');
    const follow = nextTs();
    const asksBefore = assistant.asks.length;
    await postSlack(h.eventsUrl, SIGNING_SECRET, envelope({ type: 'app_mention', user: 'UWENDY', text: '<@U0BOT> and what next?', ts: follow, thread_ts: root, channel: 'CWARD', event_ts: follow }), 'json');
    await waitFor(() => updatesFor('CWARD')[1], 'follow-up answer');
    const followAsk = assistant.asks[asksBefore]!;
    expect(followAsk.conversation?.previousQuestions).toEqual(['partial delivery?']);
    expect(h.fake.callsOf('chat.postMessage').at(-1)?.args['thread_ts']).toBe(root);
  });

  it('answers a DM in its thread with the asker’s own access, and ignores bot messages', async () => {
    const botTs = nextTs();
    await postSlack(h.eventsUrl, SIGNING_SECRET, envelope({ type: 'message', channel: 'D1', channel_type: 'im', user: 'U0OTHERBOT', bot_id: 'B0OTHER', text: 'controlled drugs', ts: botTs, event_ts: botTs }), 'json');
    const ts = nextTs();
    const asksBefore = assistant.asks.length;
    await postSlack(h.eventsUrl, SIGNING_SECRET, envelope({ type: 'message', channel: 'D1', channel_type: 'im', user: 'UPAUL', text: 'how do I return controlled drugs?', ts, event_ts: ts }), 'json');
    const update = await waitFor(() => updatesFor('D1')[0], 'DM answer');
    expect(assistant.asks.length).toBe(asksBefore + 1);
    expect(assistant.asks.at(-1)?.asker.principals).toEqual(['role:pharmacy-support']);
    expect(h.fake.callsOf('chat.postMessage')[0]?.args['thread_ts']).toBe(ts);
    expect(sourcesLine(update)).toContain('Pharmacy/controlled.md');
  });

  it('answers /sop with an immediate ack and the answer posted in the channel', async () => {
    const body = form({
      token: 'x', team_id: 'T1', team_domain: 'acme', channel_id: 'CWARD', channel_name: 'ward', user_id: 'UWENDY', user_name: 'wendy',
      command: '/sop', text: 'partial delivery against a PO', api_app_id: 'A1', is_enterprise_install: 'false', trigger_id: '1.2.3',
      response_url: `${h.fake.url}/response/r1`,
    });
    const res = await postSlack(h.eventsUrl, SIGNING_SECRET, body, 'form');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { text: string }).text).toContain('Looking through the SOPs');
    const update = await waitFor(() => updatesFor('CWARD')[0], 'slash answer');
    expect(sourcesLine(update)).toContain('Inventory/receipts.md');
    expect(allText(update)).toContain('<@UWENDY> asked with /sop');
  });

  it('answers /sop privately through response_url where the bot cannot see the channel', async () => {
    const body = form({
      token: 'x', team_id: 'T1', team_domain: 'acme', channel_id: 'CHIDDEN', channel_name: 'private-ward', user_id: 'UWENDY', user_name: 'wendy',
      command: '/sop', text: 'partial delivery against a PO', api_app_id: 'A1', is_enterprise_install: 'false', trigger_id: '1.2.4',
      response_url: `${h.fake.url}/response/hidden`,
    });
    expect((await postSlack(h.eventsUrl, SIGNING_SECRET, body, 'form')).status).toBe(200);
    const response = await waitFor(() => h.fake.responses.find((r) => r.id === 'hidden'), 'private answer');
    expect(response.body['response_type']).toBe('ephemeral');
    const blocksText = JSON.stringify(response.body['blocks']);
    expect(blocksText).toContain('Inventory/receipts.md');
    expect(blocksText).toContain('Private answer');
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('stores a feedback click with the answer’s audit id', async () => {
    const ts = nextTs();
    await postSlack(h.eventsUrl, SIGNING_SECRET, envelope({ type: 'app_mention', user: 'UWENDY', text: '<@U0BOT> delivery', ts, channel: 'CWARD', event_ts: ts }), 'json');
    const update = await waitFor(() => updatesFor('CWARD')[0], 'answer');
    const buttons = blocksOf(update).find((b) => b.type === 'actions')?.elements ?? [];
    const helpful = buttons.find((b) => b.action_id === 'sop_feedback_helpful')!;
    const payload = {
      type: 'block_actions', api_app_id: 'A1', token: 'x', trigger_id: '123.456.abc', team: { id: 'T1', domain: 'acme' },
      user: { id: 'UWENDY', username: 'wendy', team_id: 'T1' }, channel: { id: 'CWARD', name: 'ward' },
      container: { type: 'message', message_ts: update.args['ts'], channel_id: 'CWARD', is_ephemeral: false },
      message: { type: 'message', ts: update.args['ts'], thread_ts: ts, bot_id: 'B0BOT', text: '...', blocks: [] },
      response_url: `${h.fake.url}/response/r2`,
      actions: [{ type: 'button', action_id: 'sop_feedback_helpful', block_id: 'sop_answer_actions', value: helpful.value, text: { type: 'plain_text', text: 'Helpful' }, action_ts: '1.1' }],
    };
    const res = await postSlack(h.eventsUrl, SIGNING_SECRET, interactive(payload), 'form');
    expect(res.status).toBe(200);
    await waitFor(() => h.fake.callsOf('chat.postEphemeral')[0], 'thanks');
    const stored = assistant.feedbacks.at(-1)!;
    expect(stored.helpful).toBe(true);
    expect(stored.auditId).toBe(assistant.asks.length ? `audit-${assistant.asks.length}` : '');
    expect(stored.asker.roles).toEqual(['ward-supply-coordinator']);
  });

  it('honours a 429 from the Web API and still posts exactly one answer', async () => {
    h.fake.script('chat.postMessage', { status: 429, retryAfter: 0 });
    const ts = nextTs();
    await postSlack(h.eventsUrl, SIGNING_SECRET, envelope({ type: 'app_mention', user: 'UWENDY', text: '<@U0BOT> delivery', ts, channel: 'CWARD', event_ts: ts }), 'json');
    await waitFor(() => updatesFor('CWARD')[0], 'answer after 429');
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(2); // the 429 and its retry
    expect(updatesFor('CWARD')).toHaveLength(1);
  });

  it('in a shared channel cites only documents every member may read, and says so', async () => {
    const ts = nextTs();
    await postSlack(h.eventsUrl, SIGNING_SECRET, envelope({ type: 'app_mention', user: 'UWENDY', text: '<@U0BOT> delivery login', ts, channel: 'CMIXED', event_ts: ts }), 'json');
    const update = await waitFor(() => updatesFor('CMIXED')[0], 'shared answer');
    expect(h.fake.callsOf('conversations.members')[0]?.args['channel']).toBe('CMIXED');
    const ask = assistant.asks.at(-1)!;
    // Wendy (ward) and Paul (pharmacy) share no role: only what both may read remains.
    expect(ask.asker.principals).toEqual([]);
    expect(sourcesLine(update)).not.toContain('Inventory/receipts.md');
    expect(sourcesLine(update)).not.toContain('Pharmacy/controlled.md');
    expect(allText(update)).toContain('every member of this channel');
  });

  it('answers privately in a channel set to private mode, from the asker’s access', async () => {
    const ts = nextTs();
    h.fake.channelMembers.set('CPRIV', ['UWENDY', 'UPAUL']);
    await postSlack(h.eventsUrl, SIGNING_SECRET, envelope({ type: 'app_mention', user: 'UWENDY', text: '<@U0BOT> delivery', ts, channel: 'CPRIV', event_ts: ts }), 'json');
    const eph = await waitFor(() => h.fake.callsOf('chat.postEphemeral')[0], 'ephemeral answer');
    expect(eph.args['user']).toBe('UWENDY');
    expect(eph.args['thread_ts']).toBe(ts);
    expect(sourcesLine(eph)).toContain('Inventory/receipts.md');
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('posts a short apology when answering fails', async () => {
    assistant.failNext = true;
    const ts = nextTs();
    await postSlack(h.eventsUrl, SIGNING_SECRET, envelope({ type: 'app_mention', user: 'UWENDY', text: '<@U0BOT> delivery', ts, channel: 'CWARD', event_ts: ts }), 'json');
    const update = await waitFor(() => updatesFor('CWARD')[0], 'apology');
    expect(String(update.args['text'])).toContain('Sorry');
  });

  it('"Still need help?" opens a modal and notifies the super user', async () => {
    const ts = nextTs();
    await postSlack(h.eventsUrl, SIGNING_SECRET, envelope({ type: 'app_mention', user: 'UWENDY', text: '<@U0BOT> delivery', ts, channel: 'CWARD', event_ts: ts }), 'json');
    const update = await waitFor(() => updatesFor('CWARD')[0], 'answer');
    const escalate = (blocksOf(update).find((b) => b.type === 'actions')?.elements ?? []).find((b) => b.action_id === 'sop_escalate')!;
    const click = {
      type: 'block_actions', api_app_id: 'A1', token: 'x', trigger_id: '777.888.xyz', team: { id: 'T1', domain: 'acme' },
      user: { id: 'UWENDY', username: 'wendy', team_id: 'T1' }, channel: { id: 'CWARD', name: 'ward' },
      container: { type: 'message', message_ts: update.args['ts'], channel_id: 'CWARD', is_ephemeral: false },
      message: { type: 'message', ts: update.args['ts'], thread_ts: ts, bot_id: 'B0BOT', text: '...', blocks: [] },
      response_url: `${h.fake.url}/response/r3`,
      actions: [{ type: 'button', action_id: 'sop_escalate', block_id: 'sop_answer_actions', value: escalate.value, text: { type: 'plain_text', text: 'Still need help?' }, action_ts: '1.2' }],
    };
    expect((await postSlack(h.eventsUrl, SIGNING_SECRET, interactive(click), 'form')).status).toBe(200);
    const open = await waitFor(() => h.fake.callsOf('views.open')[0], 'views.open');
    expect(open.args['trigger_id']).toBe('777.888.xyz');
    const view = open.args['view'] as { callback_id: string; private_metadata: string };
    const submit = {
      type: 'view_submission', team: { id: 'T1', domain: 'acme' }, user: { id: 'UWENDY', username: 'wendy' }, api_app_id: 'A1', token: 'x',
      trigger_id: '1.2.def', response_urls: [],
      view: { id: 'V1', type: 'modal', callback_id: view.callback_id, private_metadata: view.private_metadata, hash: '1.a',
        state: { values: { details: { details_input: { type: 'plain_text_input', value: 'The backorder button is missing' } } } } },
    };
    expect((await postSlack(h.eventsUrl, SIGNING_SECRET, interactive(submit), 'form')).status).toBe(200);
    const dm = await waitFor(() => h.fake.callsOf('chat.postMessage').find((c) => c.args['channel'] === 'U0SUPER'), 'super user DM');
    expect(String(dm.args['text'])).toContain('delivery');
    expect(String(dm.args['text'])).toContain('backorder button is missing');
    await waitFor(() => h.fake.callsOf('chat.postMessage').find((c) => c.args['channel'] === 'CWARD' && String(c.args['text']).includes('<@U0SUPER>')), 'confirmation in thread');
  });
});
