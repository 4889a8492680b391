/** Domains evaluated by the simulator's ORM, with the operators and NULL semantics of Odoo's. */
import { beforeAll, describe, expect, it } from 'vitest';
import { defineModels } from './models.js';
import { Orm } from './orm.js';
import { seedBase } from './seed.js';
import type { SimState } from './rpc.js';

let orm: Orm;
const names = (domain: unknown[], ctx: Record<string, unknown> = {}) =>
  orm.search({ ...orm.sudo(), context: ctx }, 'res.partner', domain, { order: 'name' }).map((r) => r['name']).filter((n) => n !== 'OdooBot');

beforeAll(() => {
  orm = new Orm();
  defineModels(orm, 18);
  const state: SimState = { orm, db: 'x', version: 18, passwords: new Map(), apiKeys: new Map() };
  seedBase(state);
  const acme = orm.insert('res.partner', { name: 'Acme Hospital', is_company: true, email: 'info@acme.example' });
  orm.insert('res.partner', { name: 'Ann Smith', parent_id: acme.id, email: 'ann@acme.example' });
  orm.insert('res.partner', { name: 'Bob Jones', parent_id: acme.id });
  orm.insert('res.partner', { name: 'Old Supplier', active: false, is_company: true });
  orm.insert('res.partner', { name: 'Zed_Corp', is_company: true });
});

describe('domains', () => {
  it('implicit AND, | and ! in prefix notation', () => {
    expect(names([['is_company', '=', true], ['name', 'like', 'Acme']])).toEqual(['Acme Hospital']);
    expect(names(['|', ['name', '=', 'Ann Smith'], ['name', '=', 'Bob Jones']])).toEqual(['Ann Smith', 'Bob Jones']);
    expect(names(['!', ['is_company', '=', true]])).toEqual(['Ann Smith', 'Bob Jones']);
    expect(names(['|', ['name', '=', 'Ann Smith'], '&', ['is_company', '=', true], ['name', 'ilike', 'zed']])).toEqual(['Ann Smith', 'Zed_Corp']);
  });

  it('false is NULL; negative string operators match NULL', () => {
    expect(names([['email', '=', false]])).toEqual(['Bob Jones', 'Zed_Corp']);
    expect(names([['email', '!=', false]])).toEqual(['Acme Hospital', 'Ann Smith']);
    expect(names([['email', 'not ilike', 'ann']])).toEqual(['Acme Hospital', 'Bob Jones', 'Zed_Corp']);
  });

  it('like wraps in %, =like does not, _ is a wildcard', () => {
    expect(names([['name', '=like', 'A%']])).toEqual(['Acme Hospital', 'Ann Smith']);
    expect(names([['name', '=ilike', 'ann smith']])).toEqual(['Ann Smith']);
    expect(names([['name', 'like', 'd_C']])).toEqual(['Zed_Corp']);
    expect(names([['name', '=like', 'Zed\\_Corp']])).toEqual(['Zed_Corp']);
    expect(names([['name', '=like', 'Ze\\_%']])).toEqual([]);
  });

  it('in / not in, =? and comparisons', () => {
    expect(names([['name', 'in', ['Ann Smith', 'Nobody']]])).toEqual(['Ann Smith']);
    expect(names([['parent_id', 'in', [false]]])).toEqual(['Acme Hospital', 'Zed_Corp']);
    expect(names([['email', '=?', false], ['is_company', '=', true]])).toEqual(['Acme Hospital', 'Zed_Corp']);
    expect(names([['name', '>=', 'Bob'], ['name', '<', 'Zed']])).toEqual(['Bob Jones']);
  });

  it('many2one against text uses the display name; dotted paths follow relations', () => {
    expect(names([['parent_id', 'ilike', 'acme']])).toEqual(['Ann Smith', 'Bob Jones']);
    expect(names([['parent_id.email', '=like', 'info@%']])).toEqual(['Ann Smith', 'Bob Jones']);
  });

  it('child_of, any, x2many contains', () => {
    const acme = orm.search(orm.sudo(), 'res.partner', [['name', '=', 'Acme Hospital']])[0]!.id;
    expect(names([['id', 'child_of', acme]])).toEqual(['Acme Hospital', 'Ann Smith', 'Bob Jones']);
    expect(names([['parent_id', 'any', [['is_company', '=', true]]]])).toEqual(['Ann Smith', 'Bob Jones']);
    const internal = orm.ref('base.group_user');
    const groups = orm.search(orm.sudo(), 'res.groups', [['implied_ids', 'in', [internal]]]).map((g) => g['name']);
    expect(groups).toContain('Settings');
  });

  it('hides archived records unless active is in the domain or active_test is off', () => {
    expect(names([['is_company', '=', true]])).not.toContain('Old Supplier');
    expect(names([['active', '=', false]])).toEqual(['Old Supplier']);
    expect(names([['is_company', '=', true]], { active_test: false })).toContain('Old Supplier');
  });

  it('constant leaves and errors for bad domains', () => {
    expect(names([[0, '=', 1]])).toEqual([]);
    expect(names([[1, '=', 1]])).toHaveLength(4);
    expect(() => names([['name', 'resembles', 'x']])).toThrow(/Invalid operator/);
    expect(() => names(['&', ['name', '=', 'x']])).toThrow(/lacks operands/);
    expect(() => names([['nope', '=', 1]])).toThrow(/Invalid field/);
  });
});
