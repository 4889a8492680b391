/**
 * The client over each protocol against the simulator (the network-edge fake speaking Odoo's real wire formats), in
 * the 17, 18 and 19 shapes: typed helpers, normalised results, typed errors keeping Odoo's message, flavour detection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOdoo, orderEndingInId, type OdooClient } from './client.js';
import { OdooAccessError, OdooAuthError, OdooNotFoundError, OdooValidationError } from './errors.js';
import { detectFlavour } from './flavour.js';
import { odooMany2one } from './schemas.js';
import { startSimulator, type RunningSimulator } from './simulator/index.js';
import type { OdooProtocol } from './transports.js';

const cases: [17 | 18 | 19, OdooProtocol][] = [
  [17, 'jsonrpc'],
  [17, 'xmlrpc'],
  [18, 'jsonrpc'],
  [18, 'xmlrpc'],
  [19, 'json2'],
  [19, 'jsonrpc'],
  [19, 'xmlrpc'],
];

describe.each(cases)('Odoo %s over %s', (version, protocol) => {
  let sim: RunningSimulator;
  let admin: OdooClient;
  let portal: OdooClient;
  let agent: OdooClient;

  beforeAll(async () => {
    sim = await startSimulator({ version, seed: { secrets: 'fixed' } });
    const connect = (u: { login: string; api_key: string }) =>
      connectOdoo({ url: sim.url, db: sim.db, login: u.login, apiKey: u.api_key, protocol, retryBaseMs: 5 });
    admin = await connect(sim.seed.admin);
    portal = await connect(sim.seed.users.find((u) => u.roles.length === 0)!);
    agent = await connect(sim.seed.users.find((u) => u.roles.includes('service-desk-agent'))!);
  });
  afterAll(() => sim?.stop());

  it('knows the version and its own uid', async () => {
    expect(admin.protocol).toBe(protocol);
    expect(admin.version.major).toBe(version);
    expect(await admin.uid()).toBe(sim.seed.admin.uid);
  });

  it('search_read pages in a stable order and normalises many2one pairs and empty values', async () => {
    const all = await agent.searchReadAll('helpdesk.ticket', [['team_id.name', '=', 'Go-Live Hypercare']], {
      fields: ['name', 'stage_id', 'user_id', 'close_date', 'priority'],
      order: 'priority desc',
      pageSize: 4,
    });
    expect(all.length).toBeGreaterThan(8);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    const onePage = await agent.searchRead('helpdesk.ticket', [['team_id.name', '=', 'Go-Live Hypercare']], {
      fields: ['priority'],
      order: 'priority desc, id asc',
    });
    expect(all.map((r) => r.id)).toEqual(onePage.map((r) => r.id));
    const stage = odooMany2one.parse(all[0]!['stage_id']);
    expect(stage).toMatchObject({ id: expect.any(Number), name: expect.any(String) });
    const open = all.find((r) => r['close_date'] === false);
    expect(open).toBeDefined();
  });

  it('read, search_count, create, write and fields_get', async () => {
    const before = await admin.searchCount('res.partner', [['name', 'ilike', 'clinic']]);
    const ids = await admin.create('res.partner', { name: 'Riverside Clinic', email: 'desk@riverside.example', is_company: true });
    expect(ids).toHaveLength(1);
    const more = await admin.create('res.partner', [{ name: 'Hillside Clinic' }, { name: 'Lakeside Clinic' }]);
    expect(more).toHaveLength(2);
    expect(await admin.searchCount('res.partner', [['name', 'ilike', 'clinic']])).toBe(before + 3);
    await admin.write('res.partner', ids, { phone: '+44 1632 960000' });
    const [row] = await admin.read('res.partner', ids, ['name', 'phone', 'parent_id']);
    expect(row).toEqual({ id: ids[0], name: 'Riverside Clinic', phone: '+44 1632 960000', parent_id: false });
    const fields = await admin.fieldsGet('documents.document');
    expect(fields['folder_id']?.relation).toBe(version === 17 ? 'documents.folder' : 'documents.document');
  });

  it('message_post returns the new message id whatever the version returns, as an internal note', async () => {
    const [ticket] = await agent.search('helpdesk.ticket', [], { limit: 1 });
    const id = await agent.messagePost('helpdesk.ticket', ticket!, { body: '<p>Checked the <b>logs</b></p>' });
    const [msg] = await agent.read('mail.message', [id], ['body', 'is_internal', 'model', 'res_id', 'subtype_id']);
    expect(msg).toMatchObject({ body: '<p>Checked the <b>logs</b></p>', is_internal: true, model: 'helpdesk.ticket', res_id: ticket });
    expect(odooMany2one.parse(msg!['subtype_id'])?.name).toBe('Note');
  });

  it('maps Odoo errors to typed errors that keep Odoo’s message', async () => {
    await expect(portal.searchRead('helpdesk.ticket', [])).rejects.toSatisfy(
      (e: unknown) => e instanceof OdooAccessError && /not allowed to access 'Helpdesk Ticket'/.test(e.message),
    );
    await expect(admin.read('res.partner', [999_999])).rejects.toBeInstanceOf(OdooNotFoundError);
    await expect(admin.create('helpdesk.ticket', { description: 'no subject' })).rejects.toSatisfy(
      (e: unknown) => e instanceof OdooValidationError && /mandatory field is not set/.test(e.message),
    );
    await expect(admin.searchCount('no.such.model', [])).rejects.toBeInstanceOf(OdooNotFoundError);
    await expect(
      connectOdoo({ url: sim.url, db: sim.db, login: 'admin', apiKey: 'f'.repeat(40), protocol, retryBaseMs: 5 }),
    ).rejects.toBeInstanceOf(OdooAuthError);
  });

  it('detects the flavour from fields_get', async () => {
    expect(await detectFlavour(admin)).toEqual({
      documents: version === 17 ? '17' : '18+',
      userGroupsField: version >= 19 ? 'group_ids' : 'groups_id',
      allGroupsField: version >= 19 ? 'all_group_ids' : 'groups_id',
      helpdesk: 'enterprise',
    });
  });
});

describe('protocol choice', () => {
  it.each([
    [17, 'jsonrpc'],
    [18, 'jsonrpc'],
    [19, 'json2'],
  ] as const)('auto picks the right transport for %s', async (version, expected) => {
    const sim = await startSimulator({ version, seed: 'empty' });
    try {
      const c = await connectOdoo({ url: sim.url, db: sim.db, login: 'admin', apiKey: sim.seed.admin.api_key });
      expect(c.protocol).toBe(expected);
    } finally {
      await sim.stop();
    }
  });

  it('falls back to JSON-RPC on a 19 without JSON-2, and uses JSON-2 alone when the legacy routes are gone', async () => {
    for (const [protocols, expected] of [
      [{ json2: false }, 'jsonrpc'],
      [{ legacyRpc: false }, 'json2'],
    ] as const) {
      const sim = await startSimulator({ version: 19, seed: 'empty', protocols });
      try {
        const c = await connectOdoo({ url: sim.url, db: sim.db, login: 'admin', apiKey: sim.seed.admin.api_key });
        expect(c.protocol).toBe(expected);
        expect(await c.searchCount('res.users', [])).toBeGreaterThan(0);
      } finally {
        await sim.stop();
      }
    }
  });

  it('appends id to an order so paging is stable', () => {
    expect(orderEndingInId(undefined)).toBe('id asc');
    expect(orderEndingInId('write_date asc')).toBe('write_date asc, id asc');
    expect(orderEndingInId('priority desc, id desc')).toBe('priority desc, id desc');
  });
});
