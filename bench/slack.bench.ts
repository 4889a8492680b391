/**
 * Slack ack latency under a burst: 50 concurrent signed Events API deliveries (app_mention), then 50 concurrent
 * `/sop` slash commands, against the real Bolt receiver on the shared server, with a fake Slack Web API. The figure
 * that matters is the time to the HTTP response (Slack's 3 s rule); answering continues after the ack and is waited
 * for, so the burst also exercises the answer path. Run: `npm run bench -- slack` (or `npx tsx bench/slack.bench.ts`).
 */
import { pathToFileURL } from 'node:url';
import { percentile } from './stats.js';
import type { Benchmark } from './types.js';
import { FakeAssistant } from '../test/slack/fake-assistant.js';
import { SIGNING_SECRET, envelope, nextTs, rolesResolver, startSlackHarness } from '../test/slack/harness.js';
import { form, postSlack, waitFor } from '../test/slack/signing.js';

const BURST = 50;

function summary(label: string, ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `${label.padEnd(16)} n=${s.length}  p50=${percentile(s, 50).toFixed(1)} ms  p99=${percentile(s, 99).toFixed(1)} ms  max=${(s.at(-1) ?? 0).toFixed(1)} ms`;
}

async function timed(request: () => Promise<Response>): Promise<number> {
  const t0 = performance.now();
  const res = await request();
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`ack status ${res.status}`);
  return performance.now() - t0;
}

export async function runSlackBench(print: (line: string) => void = console.log): Promise<{ events: number[]; commands: number[] }> {
  const assistant = new FakeAssistant();
  const h = await startSlackHarness({ assistant, resolveByEmail: rolesResolver({ 'wendy@hospital.example': ['ward-supply-coordinator'] }) });
  h.fake.addUser({ id: 'UWENDY', email: 'wendy@hospital.example' });
  h.fake.channelMembers.set('CBENCH', ['UWENDY', 'U0BOT']);
  try {
    // Warm-up: first requests pay module JIT and connection set-up.
    for (let i = 0; i < 5; i++) {
      const ts = nextTs();
      await timed(() => postSlack(h.eventsUrl, SIGNING_SECRET, envelope({ type: 'app_mention', user: 'UWENDY', text: '<@U0BOT> delivery', ts, channel: 'CBENCH', event_ts: ts }), 'json'));
    }
    await waitFor(() => h.fake.callsOf('chat.update').length >= 5 || undefined, 'warm-up answers', 30_000);

    const events = await Promise.all(
      Array.from({ length: BURST }, () => {
        const ts = nextTs();
        const body = envelope({ type: 'app_mention', user: 'UWENDY', text: '<@U0BOT> how do I receive a partial delivery?', ts, channel: 'CBENCH', event_ts: ts });
        return timed(() => postSlack(h.eventsUrl, SIGNING_SECRET, body, 'json'));
      }),
    );
    const commands = await Promise.all(
      Array.from({ length: BURST }, (_, i) => {
        const body = form({
          token: 'x', team_id: 'T1', team_domain: 'acme', channel_id: 'CBENCH', channel_name: 'bench', user_id: 'UWENDY', user_name: 'wendy',
          command: '/sop', text: `partial delivery ${i}`, api_app_id: 'A1', is_enterprise_install: 'false', trigger_id: `t.${i}`,
          response_url: `${h.fake.url}/response/b${i}`,
        });
        return timed(() => postSlack(h.eventsUrl, SIGNING_SECRET, body, 'form'));
      }),
    );
    const t0 = performance.now();
    await waitFor(() => h.fake.callsOf('chat.update').length >= 5 + 2 * BURST || undefined, 'all answers', 60_000);
    const drainMs = performance.now() - t0;

    print(`Slack ack latency, burst of ${BURST} concurrent signed requests (real Bolt receiver, fake Web API):`);
    print(`  ${summary('events (mention)', events)}`);
    print(`  ${summary('slash commands', commands)}`);
    print(`  all ${2 * BURST} answers posted ${drainMs.toFixed(0)} ms after the last ack`);
    return { events, commands };
  } finally {
    await h.close();
  }
}

export const benchmark: Benchmark = {
  name: 'slack',
  description: `Slack ack latency p50/p99, burst of ${BURST} concurrent events and slash commands`,
  run: async ({ print }) => {
    await runSlackBench(print);
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runSlackBench();
}
