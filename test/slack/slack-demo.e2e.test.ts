/**
 * Slack end to end on the real assistant and the demo hospital: the server started the way `serve --demo` starts it
 * (Odoo simulator in-process, Documents synced, people resolved through Odoo by e-mail) with SLACK_* pointing at a fake
 * Web API; signed deliveries in, Block Kit answers out.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config/index.js';
import { silentLogger } from '../../app/logger.js';
import { startSopServer, type RunningServer } from '../../app/server-app.js';
import { loadAccessFile, type AccessPolicy } from '../../ingestion/index.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { SIGNING_SECRET, envelope, nextTs } from './harness.js';
import { postSlack, waitFor } from './signing.js';
import { citedSources, libraryPath, relatedSources } from './sources.js';

describe('Slack on the real assistant (demo hospital)', () => {
  let fake: FakeSlackApi;
  let running: RunningServer;
  let dataDir: string;
  let access: AccessPolicy;
  let eventsUrl: string;

  beforeAll(async () => {
    fake = new FakeSlackApi();
    const apiUrl = await fake.start();
    fake.channelMembers.set('CWARD', ['UWARD', 'U0BOT']);
    fake.channelMembers.set('CMIXED', ['UWARD', 'UPHARM', 'U0BOT']);
    access = await loadAccessFile(fileURLToPath(new URL('../../data/demo-hospital/access.yml', import.meta.url)));
    dataDir = await mkdtemp(join(tmpdir(), 'sop-slack-'));
    const config = loadConfig({
      SOP_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: `${apiUrl}/api/`,
    });
    running = await startSopServer({
      config,
      logger: silentLogger(),
      demo: true,
      port: 0,
      host: '127.0.0.1',
    });
    eventsUrl = `${running.url}/slack/events`;
    // Slack users with the e-mails of the simulator's ward supply coordinator and pharmacy support user.
    const email = (role: string) => running.demo!.simulator.seed.users.find((u) => u.roles.includes(role))!.email;
    fake.addUser({ id: 'UWARD', email: email('ward-supply-coordinator') }).addUser({ id: 'UPHARM', email: email('pharmacy-support') });
  });

  afterAll(async () => {
    await running?.close();
    await fake?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const updatesIn = (channel: string) => fake.callsOf('chat.update').filter((c) => c.args['channel'] === channel);
  // Cited sources and a refusal's closest SOPs alike: both are shown, so both obey the access rules checked below.
  const paths = (call: Parameters<typeof citedSources>[0]) =>
    [...citedSources(call), ...relatedSources(call)].map((s) => libraryPath(s, running.demo!.simulator.seed.documentPaths));

  it('answers a signed mention once, in the thread, citing the right SOP; stale and unsigned requests get 401', async () => {
    const ts = nextTs();
    const body = envelope({ type: 'app_mention', user: 'UWARD', text: '<@U0BOT> how do i order gloves and aprons from central stores for my ward in odoo?', ts, channel: 'CWARD', event_ts: ts }, 'EvDemo1');
    expect((await postSlack(eventsUrl, SIGNING_SECRET, body, 'json')).status).toBe(200);
    const answer = await waitFor(() => updatesIn('CWARD')[0], 'the answer', 30_000);
    expect(fake.callsOf('chat.postMessage').find((c) => c.args['channel'] === 'CWARD')?.args['thread_ts']).toBe(ts);
    expect(paths(answer)[0]).toBe('Inventory/ward-requisitions.md');

    expect((await postSlack(eventsUrl, SIGNING_SECRET, body, 'json', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    expect((await postSlack(eventsUrl, SIGNING_SECRET, body, 'json', {}, Math.floor(Date.now() / 1000) - 301)).status).toBe(401);
    expect((await fetch(eventsUrl, { method: 'POST', body, headers: { 'content-type': 'application/json' } })).status).toBe(401);

    // A later question shows the retry has been processed — and not answered.
    const ts2 = nextTs();
    await postSlack(eventsUrl, SIGNING_SECRET, envelope({ type: 'app_mention', user: 'UWARD', text: '<@U0BOT> whats the cut off time for the afternoon stores delivery round', ts: ts2, channel: 'CWARD', event_ts: ts2 }), 'json');
    await waitFor(() => updatesIn('CWARD')[1], 'second answer', 30_000);
    expect(fake.callsOf('chat.postMessage').filter((c) => c.args['thread_ts'] === ts)).toHaveLength(1);
  });

  it('in a channel shared by ward and pharmacy staff, cites only SOPs both roles may read', async () => {
    const questions = [
      'the vaccine fridge on our ward alarmed, what do we do with the vaccines',
      'how do i order gloves and aprons from central stores for my ward in odoo?',
      'how do I log in to Odoo for the first time',
    ];
    for (const q of questions) {
      const ts = nextTs();
      await postSlack(eventsUrl, SIGNING_SECRET, envelope({ type: 'app_mention', user: 'UWARD', text: `<@U0BOT> ${q}`, ts, channel: 'CMIXED', event_ts: ts }), 'json');
    }
    await waitFor(() => updatesIn('CMIXED').length >= questions.length || undefined, 'three answers', 60_000);
    for (const update of updatesIn('CMIXED')) {
      for (const source of paths(update)) {
        const acl = access.aclFor(source);
        expect(acl, `${source} must be readable by both members`).toEqual(expect.arrayContaining(['role:ward-supply-coordinator', 'role:pharmacy-support']));
      }
      expect(JSON.stringify(update.args['blocks'])).toContain('every member of this channel');
    }
    // The login question is answerable for both, so the policy is not just refusing everything.
    expect(updatesIn('CMIXED').flatMap(paths).length).toBeGreaterThan(0);
    // The ward-only requisition SOP must not appear here, even though the asker may read it.
    expect(updatesIn('CMIXED').flatMap(paths)).not.toContain('Inventory/ward-requisitions.md');
  });
});
