/**
 * A restart keeps what people set in Teams: the real Teams surface and the real assistant core on an embedded store in
 * a temp directory; the first server is closed, the store closed and opened again from disk, and a second server (a
 * new surface, a new fake connector) answers. A channel switched to private stays private, and Teams' own 👍/👎 on an
 * answer posted before the restart is stored on that answer's audit record (and on a private answer, from the 1:1 chat
 * it was posted in).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../../assistant/index.js';
import { getAskAudit } from '../../store/ask-audit.js';
import { bindIndex, openStore, upsertDocumentWithChunks, type Store } from '../../store/index.js';
import { rolesResolver } from '../slack/harness.js';
import { waitFor } from '../slack/signing.js';
import { cardOf, cardTexts, citedSources, submitData } from './card.js';
import {
  channelMention,
  feedbackInvoke,
  personalMessage,
  startTeamsHarness,
  type TeamsHarness,
} from './harness.js';
import { PAUL, PEOPLE, WENDY } from './people.js';
import { bagEmbed, bagEmbedder } from '../../assistant/testing/bag-embedder.js';

const WHERE = { team: '19:team-mixed@thread.tacv2', channel: '19:chan-handover@thread.tacv2' };
const QUESTION = 'only part of the order arrived, how do I receive a partial delivery?';

const embedder = bagEmbedder;

async function seed(store: Store): Promise<void> {
  await bindIndex(store.db, embedder);
  const heading = ['Receiving ward deliveries', 'Partial deliveries'];
  const text =
    'When only part of the order arrives:\n\n1. Open the receipt in Odoo Inventory.\n2. Enter the quantity that arrived in Quantity Done.\n3. Click Validate and choose Create Backorder.';
  await upsertDocumentWithChunks(
    store.db,
    {
      source: 'folder',
      externalId: 'Inventory/receiving.md',
      path: 'Inventory/receiving.md',
      title: 'Receiving ward deliveries',
      checksum: 'c1',
      acl: ['role:ward-supply-coordinator'],
    },
    [{ ordinal: 0, headingPath: heading, text, embedding: bagEmbed(`${heading.join(' ')} ${text}`) }],
  );
}

/** One "server lifetime": the store opened from the data dir, the real core on it, the Teams surface on both. */
async function boot(dataDir: string): Promise<{ store: Store; h: TeamsHarness }> {
  const store = await openStore({ dataDir });
  const assistant = createAssistant({ db: store.db, embedder, minConfidence: 0.2 });
  const h = await startTeamsHarness({ assistant, resolveByEmail: rolesResolver(PEOPLE), db: store.db });
  h.connector
    .addMember({ ...WENDY, email: 'wendy@hospital.example', userPrincipalName: 'wendy@hospital.example' })
    .addMember({ ...PAUL, email: 'paul@hospital.example', userPrincipalName: 'paul@hospital.example' });
  // Wendy (ward) and Paul (pharmacy) share no role: a shared answer here could use public documents only.
  h.connector.rosters.set(WHERE.team, [WENDY.id, PAUL.id]);
  return { store, h };
}

describe('Teams across a restart (real core, store on disk)', () => {
  let dataDir: string;
  let current: { store: Store; h: TeamsHarness } | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sop-teams-restart-'));
  });
  afterAll(async () => {
    await current?.h.close();
    await current?.store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps a channel private and takes feedback on an answer posted before the restart', async () => {
    // First lifetime: an answer in Wendy's personal chat, and the channel switched to private.
    current = await boot(dataDir);
    await seed(current.store);
    let { h } = current;
    const url1 = h.connector.url;
    await h.post(personalMessage(url1, WENDY, QUESTION));
    const personal = `a:1${WENDY.id}`;
    const earlier = await waitFor(() => h.connector.messagesIn(personal)[0], 'the answer before the restart');
    const auditId = String(
      submitData(cardOf(earlier)).find((d) => d['action'] === 'sop-feedback')?.['auditId'],
    );
    expect(citedSources(cardOf(earlier))).toEqual(['Inventory/receiving.md']);

    const on = channelMention(url1, WENDY, 'private on', WHERE);
    await h.post(on);
    expect(
      h.connector.messagesIn(`${WHERE.channel};messageid=${String(on['id'])}`)[0]?.activity['text'],
    ).toContain('privately');
    await h.surface.idle();

    // Restart: everything in memory is gone; only the data directory remains.
    await h.close();
    await current.store.close();
    current = undefined;
    current = await boot(dataDir);
    ({ h } = current);
    const url2 = h.connector.url;

    // Teams' own 👎 on the answer posted before the restart reaches that answer's audit record.
    const res = await h.post(
      feedbackInvoke(
        url2,
        WENDY,
        personal,
        earlier.id,
        'dislike',
        'Step 2 should say where Quantity Done is',
      ),
    );
    expect(res.status).toBe(200);
    const audit = await getAskAudit(current.store.db, auditId);
    expect(audit).toMatchObject({
      surface: 'teams',
      feedbackHelpful: false,
      feedbackComment: 'Step 2 should say where Quantity Done is',
    });

    // The channel is still private: the answer goes to Wendy's 1:1 chat, from her own access, with a note in the thread.
    const question = channelMention(url2, WENDY, QUESTION, WHERE);
    await h.post(question);
    await h.surface.idle();
    expect(h.connector.created.at(-1)?.members).toEqual([{ id: WENDY.id, name: '' }]);
    const privateAnswer = h.connector.messagesIn(h.connector.created.at(-1)!.id)[0]!;
    const card = cardOf(privateAnswer);
    expect(cardTexts(card).join('\n')).toContain('Private answer');
    expect(citedSources(card)).toEqual(['Inventory/receiving.md']);
    // Teams' 👍 on the private answer comes from the 1:1 chat it was posted in, and reaches its audit record.
    const privateAuditId = String(submitData(card).find((d) => d['action'] === 'sop-feedback')?.['auditId']);
    await h.post(feedbackInvoke(url2, WENDY, h.connector.created.at(-1)!.id, privateAnswer.id, 'like'));
    expect(await getAskAudit(current.store.db, privateAuditId)).toMatchObject({
      surface: 'teams',
      feedbackHelpful: true,
    });
    const thread = h.connector.messagesIn(`${WHERE.channel};messageid=${String(question['id'])}`);
    expect(thread.map((t) => t.activity['attachments'])).toEqual([undefined]);
    expect(thread[0]?.activity['text']).toContain('personal chat');
    // Private mode never reads the roster (that is how shared access is worked out).
    expect(h.connector.requests.some((r) => r.path.includes('/pagedmembers'))).toBe(false);
  });
});
