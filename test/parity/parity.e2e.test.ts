/**
 * One core, many surfaces (DESIGN.md principle 4): the same question from the same person — a ward supply coordinator
 * of the demo hospital, known to every surface by the same Odoo e-mail — through Slack (signed event, fake Web API),
 * Teams (Activity to /api/messages, fake connector), the web chat's JSON endpoint and the CLI (`ask --json --user`, a
 * child process) gets the same answer and the same citations, in the same order.
 *
 * The server is started as `serve --demo` starts it (Odoo simulator, synced into a temp embedded store). The CLI cannot
 * open that store while the server holds it (one process per embedded database), so it asks last, from the very same
 * data directory after the server has stopped, resolving the person against a fresh simulator with the same seed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../app/config/index.js';
import { silentLogger } from '../../app/logger.js';
import { startSopServer, type RunningServer } from '../../app/server-app.js';
import { startSimulator, type RunningSimulator, type SeedUser } from '../../odoo/simulator/index.js';
import { FakeSlackApi, type RecordedCall } from '../slack/fake-slack-api.js';
import { SIGNING_SECRET, envelope, nextTs } from '../slack/harness.js';
import { postSlack, waitFor } from '../slack/signing.js';
import { citedSources as slackSources } from '../slack/sources.js';
import { cardOf, cardTexts, citedSources as teamsSources } from '../teams/card.js';
import { FakeConnector } from '../teams/fake-connector.js';
import { personalMessage } from '../teams/harness.js';
import { containsRun, readableWords } from './answer-text.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');

const QUESTION = 'how do i order gloves and aprons from central stores for my ward in odoo?';

const CliAnswer = z.object({
  question: z.string(),
  roles: z.array(z.string()),
  answered: z.boolean(),
  answer: z.string(),
  citations: z.array(z.object({ source: z.string(), title: z.string(), section: z.string(), url: z.string().nullable() })),
  confidence: z.number(),
  latency_ms: z.number(),
});

const WebAnswer = z.object({
  html: z.string(),
  answered: z.boolean(),
  citations: z.array(z.object({ source: z.string() })),
  confidence: z.number(),
});

interface SurfaceAnswer {
  surface: string;
  answered: boolean;
  words: string[];
  sources: string[];
}

describe('the same question by the same person gets the same answer on every surface', () => {
  let slack: FakeSlackApi;
  let connector: FakeConnector;
  let running: RunningServer;
  let dataDir: string;
  let person: SeedUser;
  let odoo: RunningSimulator | undefined;
  let serverClosed = false;

  beforeAll(async () => {
    slack = new FakeSlackApi();
    const slackUrl = await slack.start();
    connector = new FakeConnector();
    await connector.start();
    dataDir = await mkdtemp(join(tmpdir(), 'sop-parity-'));
    running = await startSopServer({
      config: loadConfig({ SOP_DATA_DIR: dataDir, LOG_LEVEL: 'silent', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slackUrl}/api/` }),
      logger: silentLogger(),
      demo: true,
      port: 0,
      host: '127.0.0.1',
    });
    person = running.demo!.simulator.seed.users.find((u) => u.roles.includes('ward-supply-coordinator'))!;
    slack.addUser({ id: 'UWARD', email: person.email, name: person.name });
    connector.addMember({ id: '29:1ward', name: person.name, aadObjectId: '00000000-0000-4000-8000-0000000000b1', email: person.email });
  });

  afterAll(async () => {
    if (!serverClosed) await running?.close();
    await odoo?.stop();
    await slack?.stop();
    await connector?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function viaSlack(): Promise<SurfaceAnswer> {
    const ts = nextTs();
    const body = envelope({ type: 'message', channel: 'DWARD', channel_type: 'im', user: 'UWARD', text: QUESTION, ts, event_ts: ts });
    expect((await postSlack(`${running.url}/slack/events`, SIGNING_SECRET, body, 'json')).status).toBe(200);
    const update: RecordedCall = await waitFor(() => slack.callsOf('chat.update').find((c) => c.args['channel'] === 'DWARD'), 'Slack answer', 30_000);
    const blocks = (update.args['blocks'] ?? []) as { type: string; text?: { text: string } }[];
    const text = blocks.filter((b) => b.type === 'section').map((b) => b.text?.text ?? '').join('\n');
    return { surface: 'slack', answered: !text.includes('couldn'), words: readableWords(text), sources: slackSources(update) };
  }

  async function viaTeams(): Promise<SurfaceAnswer> {
    const activity = personalMessage(connector.url, { id: '29:1ward', name: person.name, aadObjectId: '00000000-0000-4000-8000-0000000000b1' }, QUESTION);
    const res = await fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(res.status).toBe(200);
    const answer = await waitFor(() => connector.messagesIn('a:129:1ward')[0], 'Teams answer', 30_000);
    const card = cardOf(answer);
    const texts = cardTexts(card);
    const end = texts.indexOf('Sources');
    const shown = texts.slice(0, end < 0 ? undefined : end).join('\n');
    const feedback = (card.actions ?? []).some((a) => a.type === 'Action.Submit');
    return { surface: 'teams', answered: feedback, words: readableWords(shown), sources: teamsSources(card) };
  }

  async function viaWeb(): Promise<SurfaceAnswer & { confidence: number }> {
    const res = await fetch(`${running.url}/api/chat/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personId: person.login, question: QUESTION }),
    });
    expect(res.status).toBe(200);
    const web = WebAnswer.parse(await res.json());
    // Lead and passage only: the sources list and buttons are compared separately.
    const shown = web.html.split('<section class="citations"')[0] ?? '';
    return { surface: 'web', answered: web.answered, words: readableWords(shown), sources: web.citations.map((c) => c.source), confidence: web.confidence };
  }

  async function viaCli(): Promise<SurfaceAnswer & { confidence: number }> {
    const demoOdoo = running.demo!.simulator;
    const documentPaths = new Map(demoOdoo.seed.documentPaths);
    await running.close(); // frees the embedded store (and stops the demo's simulator)
    serverClosed = true;
    odoo = await startSimulator({ host: '127.0.0.1', logger: silentLogger() });
    // The same seed gives the same ids: the person's groups and partner match the ACLs the index was built with.
    expect(new Map(odoo.seed.documentPaths)).toEqual(documentPaths);
    expect(odoo.seed.users.find((u) => u.email === person.email)).toMatchObject({ uid: person.uid, partnerId: person.partnerId });
    const info = odoo.info();
    const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? tmpdir(), LOG_LEVEL: 'silent', ODOO_URL: info.url, ODOO_DB: info.db, ODOO_USER: info.admin.login, ODOO_API_KEY: info.admin.api_key };
    const { stdout } = await run(TSX, ['app/main.ts', 'ask', '--json', '--user', person.email, '--data-dir', dataDir, QUESTION], { cwd: REPO, env, timeout: 120_000 });
    const cli = CliAnswer.parse(JSON.parse(stdout.trim().split('\n').at(-1) ?? ''));
    return { surface: 'cli', answered: cli.answered, words: readableWords(cli.answer), sources: cli.citations.map((c) => c.source), confidence: cli.confidence };
  }

  it('Slack, Teams, the web chat and the CLI agree on answer and citations', { timeout: 180_000 }, async () => {
    const documentPath = (source: string | undefined) => running.demo!.simulator.seed.documentPaths.get(Number(source?.split('/')[1]));
    const web = await viaWeb();
    const chat = [await viaSlack(), await viaTeams()];
    expect(web.answered).toBe(true);
    expect(web.sources[0]).toMatch(/^odoo:documents\.document\/\d+$/);
    expect(documentPath(web.sources[0])).toBe('Inventory/ward-requisitions.md');
    const cli = await viaCli();
    expect(cli.confidence).toBeCloseTo(web.confidence, 6);

    for (const a of [web, ...chat]) {
      expect({ surface: a.surface, answered: a.answered, sources: a.sources }).toEqual({ surface: a.surface, answered: true, sources: cli.sources });
      // The CLI's Markdown answer (lead + passage), word for word, appears as one run in what the surface shows.
      expect(containsRun(a.words, cli.words), `${a.surface} shows the same answer`).toBe(true);
    }
    expect(cli.words.length).toBeGreaterThan(10);
  });
});
