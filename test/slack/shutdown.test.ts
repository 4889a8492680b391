/** SIGTERM-style shutdown while a Slack answer is being worked out: the answer is still posted before close ends. */
import { describe, expect, it } from 'vitest';
import type { AskOptions } from '../../assistant/index.js';
import type { Asker, Conversation, Reply } from '../../assistant/reply.js';
import { FakeAssistant } from './fake-assistant.js';
import { SIGNING_SECRET, envelope, nextTs, rolesResolver, startSlackHarness } from './harness.js';
import { postSlack, waitFor } from './signing.js';

class HeldAssistant extends FakeAssistant {
  private release: () => void = () => undefined;
  private readonly released = new Promise<void>((r) => (this.release = r));
  started = false;

  override async ask(question: string, asker: Asker, conversation?: Conversation, options?: AskOptions): Promise<Reply> {
    this.started = true;
    await this.released;
    return super.ask(question, asker, conversation, options);
  }

  letGo(): void {
    this.release();
  }
}

describe('Slack answers during shutdown', () => {
  it('finishes and posts an answer in flight before the server has closed', async () => {
    const assistant = new HeldAssistant();
    const h = await startSlackHarness({ assistant, resolveByEmail: rolesResolver({ 'wendy@hospital.example': ['ward-supply-coordinator'] }) });
    h.fake.addUser({ id: 'UWENDY', email: 'wendy@hospital.example' });
    h.fake.channelMembers.set('CWARD', ['UWENDY', 'U0BOT']);
    const ts = nextTs();
    await postSlack(h.eventsUrl, SIGNING_SECRET, envelope({ type: 'app_mention', user: 'UWENDY', text: '<@U0BOT> delivery', ts, channel: 'CWARD', event_ts: ts }), 'json');
    await waitFor(() => assistant.started, 'the answer to start');
    const closing = h.server.close();
    assistant.letGo();
    await closing;
    expect(h.fake.callsOf('chat.update')).toHaveLength(1);
    await h.close();
  });
});
