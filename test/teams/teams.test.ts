import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { FakeAssistant } from '../slack/fake-assistant.js';
import { rolesResolver } from '../slack/harness.js';
import { waitFor } from '../slack/signing.js';
import { createTeamsSurface } from '../../bot/teams/surface.js';
import { openStore } from '../../store/index.js';
import { cardOf, cardTexts, citedSources, submitData } from './card.js';
import {
  BOT,
  cardSubmit,
  channelMention,
  feedbackInvoke,
  nextActivityId,
  personalMessage,
  startTeamsHarness,
  type TeamsHarness,
} from './harness.js';
import { GUEST, PAUL, PEOPLE, WENDY } from './people.js';

describe('Teams surface (real CloudAdapter, fake connector, fake assistant)', () => {
  let h: TeamsHarness;
  let assistant: FakeAssistant;
  let url: string;

  beforeAll(async () => {
    assistant = new FakeAssistant();
    h = await startTeamsHarness({
      assistant,
      resolveByEmail: rolesResolver(PEOPLE),
      superUsers: [{ name: 'Sam Supervisor', roles: ['*'], teams: '29:1sam' }],
    });
    url = h.connector.url;
    h.connector
      .addMember({
        ...WENDY,
        email: 'wendy@hospital.example',
        userPrincipalName: 'wendy@hospital.example',
        userRole: 'user',
      })
      // The older shape: only `objectId`, and the e-mail only as UPN.
      .addMember({
        id: PAUL.id,
        name: PAUL.name,
        objectId: PAUL.aadObjectId,
        userPrincipalName: 'paul@hospital.example',
      });
    h.connector.rosters.set('19:team-ward@thread.tacv2', [WENDY.id]);
    h.connector.rosters.set('19:team-mixed@thread.tacv2', [WENDY.id, PAUL.id, '29:1nurse']);
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    h.connector.sent.length = 0;
    h.connector.created.length = 0;
  });

  it('answers a personal question with typing first, then one Adaptive Card replying to the question', async () => {
    const activity = personalMessage(url, WENDY, 'how do I receive a partial delivery?');
    const res = await h.post(activity);
    expect(res.status).toBe(200);
    const conversationId = `a:1${WENDY.id}`;
    const answer = await waitFor(() => h.connector.messagesIn(conversationId)[0], 'the answer');
    const typing = h.connector.messagesIn(conversationId, 'typing');
    expect(typing).toHaveLength(1);
    expect(h.connector.sent.indexOf(typing[0]!)).toBeLessThan(h.connector.sent.indexOf(answer));
    expect(answer.replyToId).toBe(activity['id']);
    expect(answer.activity['channelData']).toEqual({ feedbackLoopEnabled: true });
    const card = cardOf(answer);
    expect(card.version).toBe('1.5');
    expect(card.actions?.find((a) => a.type === 'Action.OpenUrl')?.url).toBe(
      'https://odoo.example/docs/Inventory/receipts.md',
    );
    expect(cardTexts(card).join('\n')).toContain('Validate and create a backorder');
    expect(submitData(card).map((d) => d['action'])).toEqual([
      'sop-feedback',
      'sop-feedback',
      'sop-escalate',
    ]);
    const ask = assistant.asks.at(-1)!;
    expect(ask.question).toBe('how do I receive a partial delivery?');
    expect(ask.asker).toMatchObject({
      surface: 'teams',
      roles: ['ward-supply-coordinator'],
      principals: ['role:ward-supply-coordinator'],
    });
    expect(ask.asker.id).not.toContain('wendy');
  });

  it('answers a re-delivered activity id once', async () => {
    const activity = personalMessage(url, WENDY, 'login help');
    expect((await h.post(activity)).status).toBe(200);
    expect((await h.post(activity)).status).toBe(200);
    await h.surface.idle();
    // A later question proves the re-delivery was processed — and not answered.
    await h.post(personalMessage(url, WENDY, 'delivery'));
    await h.surface.idle();
    const conversationId = `a:1${WENDY.id}`;
    expect(h.connector.messagesIn(conversationId).filter((s) => s.replyToId === activity['id'])).toHaveLength(
      1,
    );
    expect(h.connector.messagesIn(conversationId)).toHaveLength(2);
    expect(h.connector.messagesIn(conversationId, 'typing')).toHaveLength(2);
  });

  it('strips the @mention in a channel and answers from what every team member may read, saying so', async () => {
    const activity = channelMention(url, WENDY, 'delivery login', {
      team: '19:team-mixed@thread.tacv2',
      channel: '19:chan-mixed@thread.tacv2',
    });
    expect((await h.post(activity)).status).toBe(200);
    const conversationId = `19:chan-mixed@thread.tacv2;messageid=${String(activity['id'])}`;
    const answer = await waitFor(() => h.connector.messagesIn(conversationId)[0], 'channel answer');
    const ask = assistant.asks.at(-1)!;
    expect(ask.question).toBe('delivery login');
    // Wendy (ward), Paul (pharmacy) and a nurse with no Odoo account: only public documents are common to all.
    expect(ask.asker.principals).toEqual([]);
    expect(h.connector.requests.some((r) => r.path.includes('/pagedmembers'))).toBe(true);
    const card = cardOf(answer);
    expect(cardTexts(card).join('\n')).toContain('every member of this channel');
    expect(citedSources(card)).toEqual([]);
    expect(JSON.stringify(card)).not.toContain('Inventory/receipts.md');
  });

  it('in a private channel, uses the channel’s own roster rather than the team’s', async () => {
    // The team has only Wendy; the private channel also has Paul (pharmacy), so only shared access remains.
    h.connector.rosters.set('19:chan-secret@thread.tacv2', [WENDY.id, PAUL.id]);
    const activity = channelMention(url, WENDY, 'partial delivery?', {
      team: '19:team-ward@thread.tacv2',
      channel: '19:chan-secret@thread.tacv2',
    });
    (activity['channelData'] as { channel: Record<string, unknown> }).channel['type'] = 'private';
    await h.post(activity);
    await waitFor(
      () => h.connector.messagesIn(`19:chan-secret@thread.tacv2;messageid=${String(activity['id'])}`)[0],
      'answer',
    );
    expect(
      h.connector.requests.some(
        (r) => r.path === '/v3/conversations/19%3Achan-secret%40thread.tacv2/pagedmembers',
      ),
    ).toBe(true);
    expect(assistant.asks.at(-1)?.asker.principals).toEqual([]);
  });

  it('in a channel of one role, keeps that role’s access', async () => {
    const activity = channelMention(url, WENDY, 'partial delivery?', {
      team: '19:team-ward@thread.tacv2',
      channel: '19:chan-ward@thread.tacv2',
    });
    await h.post(activity);
    const answer = await waitFor(
      () => h.connector.messagesIn(`19:chan-ward@thread.tacv2;messageid=${String(activity['id'])}`)[0],
      'answer',
    );
    expect(assistant.asks.at(-1)?.asker.principals).toEqual(['role:ward-supply-coordinator']);
    expect(cardOf(answer).actions?.some((a) => a.url?.endsWith('Inventory/receipts.md'))).toBe(true);
  });

  it('in a channel set to private mode, answers the asker in a personal chat from their own access', async () => {
    const where = { team: '19:team-mixed@thread.tacv2', channel: '19:chan-priv@thread.tacv2' };
    const on = channelMention(url, WENDY, 'private on', where);
    await h.post(on);
    expect(
      h.connector.messagesIn(`${where.channel};messageid=${String(on['id'])}`)[0]?.activity['text'],
    ).toContain('privately');

    const question = channelMention(url, WENDY, 'partial delivery?', where);
    await h.post(question);
    await h.surface.idle();
    expect(assistant.asks.at(-1)?.asker.principals).toEqual(['role:ward-supply-coordinator']);
    expect(h.connector.created.at(-1)?.members).toEqual([{ id: WENDY.id, name: '' }]);
    const privateAnswer = h.connector.messagesIn(h.connector.created.at(-1)!.id)[0]!;
    expect(cardTexts(cardOf(privateAnswer)).join('\n')).toContain('Private answer');
    const thread = h.connector.messagesIn(`${where.channel};messageid=${String(question['id'])}`);
    expect(thread.map((t) => t.activity['attachments'])).toEqual([undefined]);
    expect(thread[0]?.activity['text']).toContain('personal chat');

    await h.post(channelMention(url, WENDY, 'private off', where));
    const open = channelMention(url, WENDY, 'partial delivery?', where);
    await h.post(open);
    await waitFor(
      () => h.connector.messagesIn(`${where.channel};messageid=${String(open['id'])}`)[0],
      'open answer',
    );
    expect(assistant.asks.at(-1)?.asker.principals).toEqual([]);
  });

  it('stores a feedback click (Action.Submit) against the answer’s audit id and thanks the asker', async () => {
    const question = personalMessage(url, PAUL, 'controlled drugs return?');
    await h.post(question);
    const conversationId = `a:1${PAUL.id}`;
    const answer = await waitFor(() => h.connector.messagesIn(conversationId)[0], 'answer');
    expect(assistant.asks.at(-1)?.asker.principals).toEqual(['role:pharmacy-support']);
    const helpful = submitData(cardOf(answer)).find((d) => d['helpful'] === true)!;
    const res = await h.post(cardSubmit(url, PAUL, conversationId, answer.id, helpful));
    expect(res.status).toBe(200);
    const stored = assistant.feedbacks.at(-1)!;
    expect(stored).toMatchObject({ auditId: helpful['auditId'], helpful: true });
    expect(stored.asker.roles).toEqual(['pharmacy-support']);
    expect(h.connector.messagesIn(conversationId).at(-1)?.activity['text']).toContain('Thanks');
  });

  it('records Teams’ own feedback (message/submitAction) and answers 200 with an empty body', async () => {
    await h.post(personalMessage(url, WENDY, 'partial delivery'));
    const conversationId = `a:1${WENDY.id}`;
    const answer = await waitFor(() => h.connector.messagesIn(conversationId)[0], 'answer');
    const auditId = submitData(cardOf(answer)).find((d) => d['action'] === 'sop-feedback')?.['auditId'];
    const res = await h.post(
      feedbackInvoke(
        url,
        WENDY,
        conversationId,
        answer.id,
        'dislike',
        'Step 3 is missing the backorder screen',
      ),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(assistant.feedbacks.at(-1)).toMatchObject({
      auditId,
      helpful: false,
      comment: 'Step 3 is missing the backorder screen',
    });
  });

  it('records Teams’ own feedback against the answer in its own conversation when another has the same message id', async () => {
    // Both answers are posted in the same millisecond: in Teams they then carry the same message id.
    h.connector.clock = () => 1767225600001;
    try {
      const inB = `a:1${PAUL.id}`;
      const inA = `a:1${WENDY.id}`;
      // B's answer is remembered first, so a lookup by message id alone would find A's, the later one.
      await h.post(personalMessage(url, PAUL, 'controlled drugs return?'));
      const answerB = await waitFor(() => h.connector.messagesIn(inB)[0], 'the answer in B');
      await h.surface.idle();
      await h.post(personalMessage(url, WENDY, 'partial delivery'));
      const answerA = await waitFor(() => h.connector.messagesIn(inA)[0], 'the answer in A');
      await h.surface.idle();
      expect(answerA.id).toBe(answerB.id);
      const auditOf = (a: typeof answerA) =>
        submitData(cardOf(a)).find((d) => d['action'] === 'sop-feedback')?.['auditId'];
      expect(auditOf(answerA)).not.toEqual(auditOf(answerB));

      await h.post(feedbackInvoke(url, PAUL, inB, answerB.id, 'like'));
      expect(assistant.feedbacks.at(-1)).toMatchObject({ auditId: auditOf(answerB), helpful: true });
      await h.post(feedbackInvoke(url, WENDY, inA, answerA.id, 'dislike'));
      expect(assistant.feedbacks.at(-1)).toMatchObject({ auditId: auditOf(answerA), helpful: false });
    } finally {
      h.connector.clock = undefined;
    }
  });

  it('finds a channel answer for Teams’ own feedback whether the activity names the thread or only the channel', async () => {
    const channel = '19:chan-feedback@thread.tacv2';
    const activity = channelMention(url, WENDY, 'partial delivery', {
      team: '19:team-ward@thread.tacv2',
      channel,
    });
    await h.post(activity);
    const thread = `${channel};messageid=${String(activity['id'])}`;
    const answer = await waitFor(() => h.connector.messagesIn(thread)[0], 'channel answer');
    await h.surface.idle();
    const auditId = submitData(cardOf(answer)).find((d) => d['action'] === 'sop-feedback')?.['auditId'];
    for (const conversationId of [thread, channel]) {
      const before = assistant.feedbacks.length;
      await h.post(feedbackInvoke(url, WENDY, conversationId, answer.id, 'like'));
      expect(assistant.feedbacks.slice(before)).toMatchObject([{ auditId, helpful: true }]);
    }
  });

  it('"Still need help?" opens a 1:1 chat with the super user and confirms to the asker', async () => {
    await h.post(personalMessage(url, WENDY, 'partial delivery'));
    const conversationId = `a:1${WENDY.id}`;
    const answer = await waitFor(() => h.connector.messagesIn(conversationId)[0], 'answer');
    const escalate = submitData(cardOf(answer)).find((d) => d['action'] === 'sop-escalate')!;
    const res = await h.post(
      cardSubmit(url, WENDY, conversationId, answer.id, {
        ...escalate,
        details: 'The backorder button is missing',
      }),
    );
    expect(res.status).toBe(200);
    expect(h.connector.created).toHaveLength(1);
    expect(h.connector.created[0]?.members).toEqual([{ id: '29:1sam', name: '' }]);
    const note = h.connector.messagesIn(h.connector.created[0]!.id)[0]!;
    expect(String(note.activity['text'])).toContain('partial delivery');
    expect(String(note.activity['text'])).toContain('backorder button is missing');
    expect(h.connector.messagesIn(conversationId).at(-1)?.activity['text']).toContain('Sam Supervisor');
  });

  it('answers someone Teams cannot look up from public documents only', async () => {
    await h.post(personalMessage(url, GUEST, 'how do I login'));
    const answer = await waitFor(() => h.connector.messagesIn(`a:1${GUEST.id}`)[0], 'answer');
    expect(assistant.asks.at(-1)?.asker.principals).toEqual(['public']);
    expect(cardOf(answer).actions?.some((a) => a.url?.endsWith('General/login.md'))).toBe(true);
  });

  it('posts a short apology when answering fails', async () => {
    assistant.failNext = true;
    await h.post(personalMessage(url, WENDY, 'delivery'));
    const apology = await waitFor(() => h.connector.messagesIn(`a:1${WENDY.id}`)[0], 'apology');
    expect(String(apology.activity['text'])).toContain('Sorry');
  });

  it('introduces itself when installed for a person', async () => {
    const installed = {
      ...personalMessage(url, PAUL, ''),
      type: 'conversationUpdate',
      text: undefined,
      membersAdded: [{ id: BOT.id, name: BOT.name }],
    };
    expect((await h.post(installed)).status).toBe(200);
    expect(h.connector.messagesIn(`a:1${PAUL.id}`).at(-1)?.activity['text']).toContain(
      'Ask me how to do something',
    );
  });

  it('greets an empty mention with usage instead of asking the core', async () => {
    const before = assistant.asks.length;
    const activity = {
      ...personalMessage(url, WENDY, `<at>${BOT.name}</at>`),
      entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }],
    };
    expect((await h.post(activity)).status).toBe(200);
    expect(h.connector.messagesIn(`a:1${WENDY.id}`).at(-1)?.activity['text']).toContain(
      'Ask me how to do something',
    );
    expect(assistant.asks.length).toBe(before);
  });
});

describe('Teams authentication', () => {
  it('with an app id, refuses a request without a Bot Framework token with 401 and never asks the core', async () => {
    // botbuilder prints the AuthenticationError to the console itself; keep the test output clean.
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const assistant = new FakeAssistant();
    const h = await startTeamsHarness({
      assistant,
      resolveByEmail: rolesResolver(PEOPLE),
      credentials: { appId: '00000000-0000-4000-8000-00000000beef', appPassword: 'not-a-real-secret' },
    });
    try {
      const res = await h.post(personalMessage(h.connector.url, WENDY, 'partial delivery', nextActivityId()));
      expect(res.status).toBe(401);
      expect(h.surface.emulatorMode).toBe(false);
      await h.surface.idle();
      expect(assistant.asks).toHaveLength(0);
      expect(h.connector.sent).toHaveLength(0);
    } finally {
      consoleError.mockRestore();
      await h.close();
    }
  });

  it('refuses emulator mode (empty app id) in production with a ConfigError naming the variable', async () => {
    const logger = pino({ level: 'silent' });
    const store = await openStore({ dataDir: 'memory://' });
    try {
      const make = (creds: Record<string, string>) => () =>
        createTeamsSurface({
          production: true,
          resolveByEmail: async () => null,
          db: store.db,
          logger,
          ...creds,
        });
      expect(make({})).toThrow(
        expect.objectContaining({ name: 'ConfigError', variable: 'MICROSOFT_APP_ID' }),
      );
      expect(make({ appId: 'x' })).toThrow(
        expect.objectContaining({ name: 'ConfigError', variable: 'MICROSOFT_APP_PASSWORD' }),
      );
      expect(make({ appId: 'x', appPassword: 'y', appType: 'SingleTenant' })).toThrow(
        expect.objectContaining({ variable: 'MICROSOFT_APP_TENANT_ID' }),
      );
      expect(make({ appId: 'x', appPassword: 'y' })().emulatorMode).toBe(false);
    } finally {
      await store.close();
    }
  });
});

describe('Teams connector throttling', () => {
  it('backs off on 429 from the connector and still posts exactly one answer', async () => {
    const assistant = new FakeAssistant();
    const h = await startTeamsHarness({ assistant, resolveByEmail: rolesResolver(PEOPLE) });
    try {
      h.connector.addMember({ ...WENDY, email: 'wendy@hospital.example' });
      h.connector.failures.push({ type: 'message', status: 429, retryAfter: 0 });
      const question = personalMessage(h.connector.url, WENDY, 'partial delivery');
      expect((await h.post(question)).status).toBe(200);
      await h.surface.idle();
      expect(h.connector.rejected).toHaveLength(1);
      const answers = h.connector.messagesIn(`a:1${WENDY.id}`);
      expect(answers).toHaveLength(1);
      expect(answers[0]?.replyToId).toBe(question['id']);
      expect(cardOf(answers[0]!).actions?.some((a) => a.url?.endsWith('Inventory/receipts.md'))).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('Teams long answers', () => {
  it('answers the POST before the answer is ready (typing first), then posts the answer proactively', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    class SlowAssistant extends FakeAssistant {
      override async ask(...args: Parameters<FakeAssistant['ask']>) {
        await gate;
        return super.ask(...args);
      }
    }
    const assistant = new SlowAssistant();
    const h = await startTeamsHarness({ assistant, resolveByEmail: rolesResolver(PEOPLE) });
    try {
      h.connector.addMember({ ...WENDY, email: 'wendy@hospital.example' });
      const question = personalMessage(h.connector.url, WENDY, 'partial delivery');
      const res = await h.post(question);
      // The turn is over while the core is still working: only the typing indicator has been sent.
      expect(res.status).toBe(200);
      const conversationId = `a:1${WENDY.id}`;
      expect(h.connector.messagesIn(conversationId, 'typing')).toHaveLength(1);
      expect(h.connector.messagesIn(conversationId)).toHaveLength(0);
      release();
      const answer = await waitFor(() => h.connector.messagesIn(conversationId)[0], 'the proactive answer');
      expect(answer.replyToId).toBe(question['id']);
      expect(cardOf(answer).version).toBe('1.5');
    } finally {
      release();
      await h.close();
    }
  });
});
