/**
 * Teams end to end on the real assistant and the demo hospital: the server started the way `serve --demo` starts it
 * (Odoo simulator synced into a temp embedded store, people resolved through its users), Teams in emulator mode,
 * Activities POSTed to /api/messages with their serviceUrl at a fake Bot Framework connector.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config/index.js';
import { silentLogger } from '../../app/logger.js';
import { startSopServer, type RunningServer } from '../../app/server-app.js';
import { getAskAudit } from '../../store/ask-audit.js';
import { openStore } from '../../store/index.js';
import { libraryPath } from '../slack/sources.js';
import { waitFor } from '../slack/signing.js';
import { cardOf, cardTexts, citedSources, relatedSources, submitData } from './card.js';
import { FakeConnector } from './fake-connector.js';
import { cardSubmit, channelMention, personalMessage, type Person } from './harness.js';

const GLOVES = 'how do i order gloves and aprons from central stores for my ward in odoo?';

describe('Teams on the real assistant (demo hospital)', () => {
  let connector: FakeConnector;
  let running: RunningServer;
  let dataDir: string;
  let url: string;
  let ward: Person;
  let pharm: Person;
  let closed = false;
  const post = (activity: Record<string, unknown>) =>
    fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const paths = (sources: string[]) => sources.map((s) => libraryPath(s, running.demo!.simulator.seed.documentPaths));

  beforeAll(async () => {
    connector = new FakeConnector();
    url = await connector.start();
    dataDir = await mkdtemp(join(tmpdir(), 'sop-teams-'));
    running = await startSopServer({ config: loadConfig({ SOP_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), logger: silentLogger(), demo: true, port: 0, host: '127.0.0.1' });
    const users = running.demo!.simulator.seed.users;
    const wardUser = users.find((u) => u.roles.includes('ward-supply-coordinator'))!;
    const pharmUser = users.find((u) => u.roles.includes('pharmacy-support') && !u.roles.includes('ward-supply-coordinator'))!;
    ward = { id: '29:1ward', name: wardUser.name, aadObjectId: '00000000-0000-4000-8000-0000000000a1' };
    pharm = { id: '29:1pharm', name: pharmUser.name, aadObjectId: '00000000-0000-4000-8000-0000000000a2' };
    connector.addMember({ ...ward, email: wardUser.email, userPrincipalName: wardUser.email }).addMember({ ...pharm, email: pharmUser.email });
    connector.rosters.set('19:ward-team@thread.tacv2', [ward.id]);
    connector.rosters.set('19:mixed-team@thread.tacv2', [ward.id, pharm.id]);
  });

  afterAll(async () => {
    if (!closed) await running?.close();
    await connector?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers a channel @mention (mention removed) from SOPs every team member may read', async () => {
    const questions = ['the vaccine fridge on our ward alarmed, what do we do with the vaccines', GLOVES];
    const ids: string[] = [];
    for (const q of questions) {
      const activity = channelMention(url, ward, q, { team: '19:mixed-team@thread.tacv2', channel: '19:mixed@thread.tacv2' });
      ids.push(String(activity['id']));
      expect((await post(activity)).status).toBe(200);
    }
    const answers = await Promise.all(ids.map((id) => waitFor(() => connector.messagesIn(`19:mixed@thread.tacv2;messageid=${id}`)[0], `answer ${id}`, 60_000)));
    for (const answer of answers) {
      const card = cardOf(answer);
      expect(cardTexts(card).join('\n')).toContain('every member of this channel');
      expect(paths(citedSources(card))).not.toContain('Inventory/ward-requisitions.md');
      // A refusal's closest SOPs are shown too, so they obey the same all-members rule.
      expect(paths(relatedSources(card))).not.toContain('Inventory/ward-requisitions.md');
    }

    // In a team of ward staff only, the same question is answered from the ward SOP.
    const own = channelMention(url, ward, GLOVES, { team: '19:ward-team@thread.tacv2', channel: '19:ward@thread.tacv2' });
    await post(own);
    const answer = await waitFor(() => connector.messagesIn(`19:ward@thread.tacv2;messageid=${String(own['id'])}`)[0], 'ward answer', 30_000);
    expect(paths(citedSources(cardOf(answer)))[0]).toBe('Inventory/ward-requisitions.md');
  });

  it('answers a personal question with an Adaptive Card citing the right SOP, and stores a feedback click', async () => {
    const question = personalMessage(url, ward, GLOVES);
    expect((await post(question)).status).toBe(200);
    const conversationId = `a:1${ward.id}`;
    const answer = await waitFor(() => connector.messagesIn(conversationId)[0], 'the answer', 30_000);
    expect(answer.replyToId).toBe(question['id']);
    const card = cardOf(answer);
    expect(paths(citedSources(card))[0]).toBe('Inventory/ward-requisitions.md');
    expect(card.actions?.find((a) => a.type === 'Action.OpenUrl')?.url).toMatch(/\/odoo\/documents\.document\/\d+$/);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(28 * 1024);

    const helpful = submitData(card).find((d) => d['helpful'] === true)!;
    expect((await post(cardSubmit(url, ward, conversationId, answer.id, helpful))).status).toBe(200);
    await waitFor(() => connector.messagesIn(conversationId)[1], 'thanks', 30_000);
    // The vote is stored on the answer's audit record (read back after the server has closed the store; last test).
    await running.close();
    closed = true;
    const store = await openStore({ dataDir });
    try {
      const audit = await getAskAudit(store.db, String(helpful['auditId']));
      expect(audit?.feedbackHelpful).toBe(true);
      expect(audit?.surface).toBe('teams');
    } finally {
      await store.close();
    }
  });
});
