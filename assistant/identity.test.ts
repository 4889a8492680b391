/** Identity: e-mail → Odoo user → principals, cached with a TTL; unknown people and Odoo outages give `public`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOdoo, type OdooClient } from '../odoo/client.js';
import { startSimulator, type RunningSimulator } from '../odoo/simulator/index.js';
import { createOdooIdentityResolver, odooGroupRolesFromAccessYaml, principalsForRoles } from './identity.js';

describe('principalsForRoles', () => {
  it('prefixes, de-duplicates and sorts', () => {
    expect(principalsForRoles(['trainer', 'ap-clerk', 'trainer'])).toEqual(['role:ap-clerk', 'role:trainer']);
  });
});

describe('odoo_groups in access.yml', () => {
  it('maps group xmlids to roles and tolerates its absence', () => {
    expect(odooGroupRolesFromAccessYaml('roles: {a: ["**"]}\nodoo_groups:\n  sop_demo.group_a: a\n')).toEqual({ 'sop_demo.group_a': 'a' });
    expect(odooGroupRolesFromAccessYaml('roles: {a: ["**"]}')).toEqual({});
  });
});

describe('resolveAskerByEmail', () => {
  let sim: RunningSimulator;
  let client: OdooClient;
  beforeAll(async () => {
    sim = await startSimulator({ version: 19, seed: { secrets: 'fixed', tickets: false } });
    client = await connectOdoo({ url: sim.url, db: sim.db, login: 'admin', apiKey: sim.seed.admin.api_key, retries: 0 });
  });
  afterAll(() => sim?.stop());

  it('gives an Odoo user their partner, groups (implied included), internal and mapped roles', async () => {
    const maya = sim.seed.users.find((u) => u.roles.includes('ward-supply-coordinator'))!;
    const r = createOdooIdentityResolver({ client, groupRoles: sim.seed.groupRoles });
    const who = await r.resolveAskerByEmail(maya.email.toUpperCase());
    expect(who.known).toBe(true);
    expect(who.roles).toEqual(['ward-supply-coordinator']);
    expect(who.principals).toContain(`odoo-partner:${maya.partnerId}`);
    expect(who.principals).toContain(`odoo-group:${sim.state.orm.ref('base.group_user')}`);
    expect(who.principals).toContain('internal');
    expect(who.principals).toContain('role:ward-supply-coordinator');
    expect(who.principals).toContain('public');
  });

  it('matches the e-mail exactly: LIKE wildcards in it match nothing else', async () => {
    const r = createOdooIdentityResolver({ client });
    expect((await r.resolveAskerByEmail('maya_okafor@st-aldhelms.example')).known).toBe(false);
    expect((await r.resolveAskerByEmail('%@st-aldhelms.example')).known).toBe(false);
  });

  it('portal users are not internal; strangers are public only', async () => {
    const r = createOdooIdentityResolver({ client });
    const portal = sim.seed.users.find((u) => u.roles.length === 0)!;
    expect((await r.resolveAskerByEmail(portal.email)).principals).not.toContain('internal');
    expect(await r.resolveAskerByEmail('someone@else.example')).toEqual({ principals: ['public'], roles: [], known: false });
    expect((await r.resolveAskerByEmail('not an email')).principals).toEqual(['public']);
  });

  it('caches for the TTL, then sees group changes', async () => {
    let now = 0;
    const r = createOdooIdentityResolver({ client, groupRoles: sim.seed.groupRoles, ttlMs: 1000, now: () => now });
    const tom = sim.seed.users.find((u) => u.roles.includes('pharmacy-support'))!;
    expect((await r.resolveAskerByEmail(tom.email)).roles).toEqual(['pharmacy-support']);
    const { orm } = sim.state;
    orm.write(orm.env(sim.seed.admin.uid), 'res.users', [tom.uid], { group_ids: [[4, orm.ref('sop_demo.group_trainer')]] });
    now = 500;
    expect((await r.resolveAskerByEmail(tom.email)).roles).toEqual(['pharmacy-support']);
    now = 1500;
    expect((await r.resolveAskerByEmail(tom.email)).roles).toEqual(['pharmacy-support', 'trainer']);
  });

  it('fails closed (public, not cached) when Odoo cannot be reached', async () => {
    const r = createOdooIdentityResolver({ client });
    const maya = sim.seed.users[0]!;
    sim.faults.failNext = { count: 1, status: 500 };
    expect((await r.resolveAskerByEmail(maya.email)).principals).toEqual(['public']);
    expect((await r.resolveAskerByEmail(maya.email)).known).toBe(true);
  });
});
