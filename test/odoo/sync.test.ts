/**
 * Simulator → store, end to end, for each Odoo shape (17 workspaces with groups; 18/19 per-document access): after a
 * sync, the documents each demo user may read in the index (ACL overlapping the principals their e-mail resolves to)
 * are exactly the documents the simulator's own record rules let that user read. Then incremental behaviour: edits,
 * access changes, archiving, deletion, and a sync killed halfway that resumes without losing or duplicating anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../app/logger.js';
import { createOdooIdentityResolver } from '../../assistant/identity.js';
import { HashEmbeddings } from '../../ingestion/embedders/hash.js';
import { runIngest } from '../../ingestion/pipeline.js';
import { isIndexable, OdooDocumentsSource } from '../../ingestion/sources/odoo-documents.js';
import { runOdooSync } from '../../ingestion/sync.js';
import { loadCheckpoint } from '../../ingestion/sync-checkpoint.js';
import { connectOdoo, type OdooClient } from '../../odoo/client.js';
import { OdooError } from '../../odoo/errors.js';
import { startSimulator, type RunningSimulator } from '../../odoo/simulator/index.js';
import { listDocuments, openStore, type Store } from '../../store/index.js';

const logger = silentLogger();
const embedder = new HashEmbeddings({ dimensions: 64 });

/** What the simulator's own rules let a user read: search as that user, keep what the sync indexes. */
function readableInOdoo(sim: RunningSimulator, uid: number): number[] {
  const { orm } = sim.state;
  const env = orm.env(uid);
  if (!orm.checkModelAccess(env, 'documents.document', 'read', false)) return [];
  return orm
    .search(env, 'documents.document', [])
    .filter((d) => {
      const type = String(d['type']);
      return isIndexable({ id: d.id, name: '', type, active: d['active'] !== false, writeDate: '', contentKey: '', mimetype: null, url: (d['url'] as string) || null, acl: [] });
    })
    .map((d) => d.id)
    .sort((a, b) => a - b);
}

async function readableInIndex(store: Store, principals: string[]): Promise<number[]> {
  const { rows } = await store.db.query<{ external_id: string }>(
    `SELECT external_id FROM documents WHERE source = 'odoo' AND status = 'indexed' AND acl && $1::text[]`,
    [principals],
  );
  return rows.map((r) => Number(r.external_id)).sort((a, b) => a - b);
}

describe.each([17, 18, 19] as const)('Odoo %s Documents → store', { timeout: 180_000 }, (version) => {
  let sim: RunningSimulator;
  let store: Store;
  let client: OdooClient;

  beforeAll(async () => {
    sim = await startSimulator({ version, seed: { secrets: 'fixed' } });
    store = await openStore({ dataDir: 'memory://' });
    const admin = sim.seed.admin;
    client = await connectOdoo({ url: sim.url, db: sim.db, login: admin.login, apiKey: admin.api_key, retryBaseMs: 5 });
  });
  afterAll(async () => {
    await store?.close();
    await sim?.stop();
  });

  it('indexes the library with Odoo ACLs, and every demo user reads exactly what Odoo lets them read', async () => {
    const report = await runOdooSync({ store, embedder, client, logger });
    expect(report.failed).toBe(0);
    const expectedDocs = readableInOdoo(sim, sim.seed.admin.uid).length;
    expect(report.documents).toBe(expectedDocs);
    expect(report.added).toBe(expectedDocs);

    const identity = createOdooIdentityResolver({ client, groupRoles: sim.seed.groupRoles });
    let nonEmpty = 0;
    for (const user of sim.seed.users) {
      const who = await identity.resolveAskerByEmail(user.email);
      expect(who.known).toBe(true);
      const inIndex = await readableInIndex(store, who.principals);
      expect({ user: user.email, docs: inIndex }).toEqual({ user: user.email, docs: readableInOdoo(sim, user.uid) });
      if (inIndex.length) nonEmpty += 1;
      expect(who.roles).toEqual(user.roles);
    }
    // Every role user reads something; the portal user nothing.
    expect(nonEmpty).toBe(sim.seed.users.length - 1);
    const stranger = await identity.resolveAskerByEmail('nobody@elsewhere.example');
    expect(stranger.principals).toEqual(['public']);
    expect(await readableInIndex(store, stranger.principals)).toEqual([]);

    const docs = await listDocuments(store.db, { source: 'odoo' });
    expect(docs.every((d) => d.path === `odoo:documents.document/${d.externalId}`)).toBe(true);
    expect(docs.every((d) => d.url === (version === 17 ? `${sim.url}/web#id=${d.externalId}&model=documents.document&view_type=form` : `${sim.url}/odoo/documents.document/${d.externalId}`))).toBe(true);
  });

  it('a second run changes nothing and downloads no bytes', async () => {
    // Any request for file content would now fail the run.
    Object.assign(sim.faults, { match: '"datas"', failNext: { count: 1000, status: 500 } });
    try {
      const report = await runOdooSync({ store, embedder, client, logger });
      expect(report).toMatchObject({ added: 0, updated: 0, removed: 0, failed: 0 });
      expect(report.unchanged).toBe(report.documents);
    } finally {
      Object.assign(sim.faults, { match: undefined, failNext: { count: 0, status: 503 } });
    }
  });

  it('follows edits, access changes, archiving and deletion', async () => {
    const { orm } = sim.state;
    const adminEnv = orm.env(sim.seed.admin.uid);
    const indexed = readableInOdoo(sim, sim.seed.admin.uid);
    const [edited, archived, deleted] = indexed as [number, number, number];
    orm.write(adminEnv, 'documents.document', [edited], { datas: Buffer.from('# Changed SOP\n\nNew receiving steps for the ward.\n').toString('base64') });
    orm.write(adminEnv, 'documents.document', [archived], { active: false });
    orm.unlink(adminEnv, 'documents.document', [deleted]);
    const maya = sim.seed.users.find((u) => u.roles.includes('ward-supply-coordinator'))!;
    const hr = sim.seed.users.find((u) => u.roles.includes('hr-administrator'))!;
    // Give Maya an HR document the Odoo way for this version.
    const hrDoc = readableInOdoo(sim, hr.uid).find((id) => !readableInOdoo(sim, maya.uid).includes(id))!;
    if (version === 17) {
      const folderId = orm.table('documents.document').get(hrDoc)!['folder_id'] as number;
      orm.write(adminEnv, 'documents.folder', [folderId], { read_group_ids: [[4, orm.ref('sop_demo.group_ward_supply_coordinator')]] });
    } else {
      orm.write(adminEnv, 'documents.document', [hrDoc], { access_ids: [[0, 0, { partner_id: maya.partnerId, role: 'view' }]] });
    }

    // Move one of Maya's documents into the HR folder. 17: it takes the HR workspace's groups; 18/19: with link access
    // it is open to whoever can open its new parent folder.
    const moved = readableInOdoo(sim, maya.uid).find((id) => ![edited, archived, deleted].includes(id) && orm.table('documents.document').get(id)!['access_internal'] !== 'view' && id !== hrDoc)!;
    const hrFolder = version === 17 ? (orm.table('documents.document').get(hrDoc)!['folder_id'] as number) : [...orm.table('documents.document').values()].find((d) => d['type'] === 'folder' && d['name'] === 'HR')!.id;
    orm.write(adminEnv, 'documents.document', [moved], version === 17 ? { folder_id: hrFolder } : { folder_id: hrFolder, access_ids: [[5]], access_via_link: 'view' });

    const report = await runOdooSync({ store, embedder, client, logger });
    expect(report.updated).toBe(1);
    expect(report.removed).toBe(2);
    const identity = createOdooIdentityResolver({ client });
    for (const user of [maya, hr]) {
      const who = await identity.resolveAskerByEmail(user.email);
      expect(await readableInIndex(store, who.principals)).toEqual(readableInOdoo(sim, user.uid));
    }
    expect(await readableInIndex(store, (await identity.resolveAskerByEmail(maya.email)).principals)).toContain(hrDoc);
    expect(await readableInIndex(store, (await identity.resolveAskerByEmail(hr.email)).principals)).toContain(moved);
    if (version !== 17) expect(await readableInIndex(store, (await identity.resolveAskerByEmail(maya.email)).principals)).not.toContain(moved);
  });

  it('a sync interrupted halfway resumes from its checkpoint, losing and duplicating nothing', async () => {
    const { orm } = sim.state;
    const adminEnv = orm.env(sim.seed.admin.uid);
    const folder = version === 17 ? [...orm.table('documents.folder').values()][0]!.id : [...orm.table('documents.document').values()].find((d) => d['type'] === 'folder')!.id;
    const created = orm.create(
      adminEnv,
      'documents.document',
      Array.from({ length: 6 }, (_, i) => ({
        name: `new-sop-${i}.md`,
        folder_id: folder,
        datas: Buffer.from(`# New SOP ${i}\n\nStep ${i}: count the stock in bay ${i}.\n`).toString('base64'),
        mimetype: 'text/markdown',
        ...(version === 17 ? {} : { access_internal: 'view' }),
      })),
    ).map((r) => r.id);

    // The third download drops its connection and this client has no retries left: the run dies mid-way.
    const fragile = await connectOdoo({ url: sim.url, db: sim.db, login: sim.seed.admin.login, apiKey: sim.seed.admin.api_key, retries: 0 });
    Object.assign(sim.faults, { match: '"datas"', passFirst: 2, dropNext: 1 });
    await expect(runOdooSync({ store, embedder, client: fragile, logger, reconcile: false })).rejects.toBeInstanceOf(OdooError);
    Object.assign(sim.faults, { match: undefined, passFirst: 0, dropNext: 0 });
    const afterCrash = new Set((await listDocuments(store.db, { source: 'odoo' })).map((d) => Number(d.externalId)));
    expect(created.filter((id) => afterCrash.has(id))).toEqual(created.slice(0, 2));
    const checkpoint = await loadCheckpoint(store.db, 'odoo');
    expect(checkpoint.writeDate).not.toBeNull();

    const resumed = await runOdooSync({ store, embedder, client, logger });
    expect(resumed.failed).toBe(0);
    expect(resumed.added).toBe(created.length - 2);
    const docs = await listDocuments(store.db, { source: 'odoo' });
    expect(new Set(docs.map((d) => d.externalId)).size).toBe(docs.length);
    expect(docs.map((d) => Number(d.externalId)).sort((a, b) => a - b)).toEqual(readableInOdoo(sim, sim.seed.admin.uid));
  });
});

describe('OdooDocumentsSource as a plain Source for runIngest (full rebuild)', { timeout: 180_000 }, () => {
  it('yields every live document with bytes or text and its ACL', async () => {
    const sim = await startSimulator({ version: 18, seed: { secrets: 'fixed', tickets: false } });
    const store = await openStore({ dataDir: 'memory://' });
    try {
      const client = await connectOdoo({ url: sim.url, db: sim.db, login: sim.seed.admin.login, apiKey: sim.seed.admin.api_key });
      const report = await runIngest({ store, embedder, source: new OdooDocumentsSource({ client }), logger });
      expect(report.failed).toBe(0);
      expect(report.documents).toBe(readableInOdoo(sim, sim.seed.admin.uid).length);
      const docs = await listDocuments(store.db, { source: 'odoo' });
      expect(docs.every((d) => d.acl.length > 0)).toBe(true);
    } finally {
      await store.close();
      await sim.stop();
    }
  });
});
