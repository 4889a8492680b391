/**
 * Who is asking → which principals they hold (DESIGN.md, access model). Roles become `role:<r>`; an Odoo user
 * (found by e-mail or login) becomes `odoo-partner:<id>`, `odoo-group:<id>` for each group (implied ones included),
 * `internal` for internal users, plus the roles its groups map to (access.yml `odoo_groups`). Anyone else gets
 * `public` only. Lookups are cached with a TTL: group changes in Odoo reach answers within that time.
 */
import type { Logger } from 'pino';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { OdooClient } from '../odoo/client.js';
import { detectFlavour } from '../odoo/flavour.js';
import { odooMany2one, odooText } from '../odoo/schemas.js';

export const PUBLIC_PRINCIPAL = 'public';

export function principalsForRoles(roles: readonly string[]): string[] {
  return [...new Set(roles.map((r) => `role:${r}`))].sort();
}

export interface ResolvedIdentity {
  /** Always includes `public`. */
  principals: string[];
  roles: string[];
  displayName?: string;
  /** False when no active Odoo user has this e-mail (or Odoo could not be asked). */
  known: boolean;
  uid?: number;
  partnerId?: number;
}

export interface OdooIdentityOptions {
  /** A connected client, or a function giving one (connect lazily on first use). */
  client: OdooClient | (() => Promise<OdooClient>);
  /** Odoo group xmlid (`sop_demo.group_trainer`) → training role. */
  groupRoles?: Record<string, string>;
  ttlMs?: number;
  now?: () => number;
  logger?: Logger;
}

export interface IdentityResolver {
  resolveAskerByEmail(email: string): Promise<ResolvedIdentity>;
  /** Forget cached people (after a sync that changed access, or in tests). */
  clear(): void;
}

const userRow = z.object({
  id: z.number().int(),
  name: odooText,
  login: odooText,
  partner_id: odooMany2one,
  share: z.boolean().default(false),
});

const unknownPerson = (): ResolvedIdentity => ({ principals: [PUBLIC_PRINCIPAL], roles: [], known: false });

export function createOdooIdentityResolver(opts: OdooIdentityOptions): IdentityResolver {
  const ttlMs = opts.ttlMs ?? 10 * 60_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { at: number; value: Promise<ResolvedIdentity> }>();
  let clientPromise: Promise<OdooClient> | undefined;
  const client = () => {
    clientPromise ??= typeof opts.client === 'function' ? opts.client() : Promise.resolve(opts.client);
    clientPromise.catch(() => (clientPromise = undefined));
    return clientPromise;
  };
  const xmlids = new Map<number, string>();

  async function groupXmlids(c: OdooClient, ids: number[]): Promise<Map<number, string>> {
    const missing = ids.filter((id) => !xmlids.has(id));
    if (missing.length) {
      const rows = await c.searchRead('ir.model.data', [['model', '=', 'res.groups'], ['res_id', 'in', missing]], { fields: ['module', 'name', 'res_id'] });
      for (const r of rows) xmlids.set(Number(r['res_id']), `${String(r['module'])}.${String(r['name'])}`);
    }
    return xmlids;
  }

  async function lookUp(email: string): Promise<ResolvedIdentity> {
    const c = await client();
    const flavour = await detectFlavour(c);
    const groupsField = flavour.allGroupsField;
    // =ilike is a pattern: escape its wildcards so "a_b@x" cannot match "axb@x".
    const pattern = email.replace(/[\\%_]/g, (ch) => `\\${ch}`);
    const found = await c.searchRead('res.users', ['|', ['login', '=ilike', pattern], ['email', '=ilike', pattern]], {
      fields: ['name', 'login', 'email', 'partner_id', 'share', groupsField],
      limit: 5,
      order: 'id asc',
    });
    const rows = found.filter((r) => [r['login'], r['email']].some((v) => typeof v === 'string' && v.toLowerCase() === email));
    if (rows.length !== 1) {
      // Two users sharing one e-mail cannot be told apart: neither gets their access.
      if (rows.length > 1) opts.logger?.warn({ matches: rows.length }, 'several Odoo users have this e-mail; treating the asker as unknown');
      return unknownPerson();
    }
    const raw = rows[0]!;
    const user = userRow.parse(raw);
    const groups = z.array(z.number().int()).parse(raw[groupsField] ?? []);
    const principals = new Set<string>([PUBLIC_PRINCIPAL]);
    if (user.partner_id) principals.add(`odoo-partner:${user.partner_id.id}`);
    for (const g of groups) principals.add(`odoo-group:${g}`);
    if (!user.share) principals.add('internal');
    const roles = new Set<string>();
    if (opts.groupRoles && Object.keys(opts.groupRoles).length) {
      const names = await groupXmlids(c, groups);
      for (const g of groups) {
        const role = opts.groupRoles[names.get(g) ?? ''];
        if (role) roles.add(role);
      }
    }
    for (const p of principalsForRoles([...roles])) principals.add(p);
    return {
      principals: [...principals].sort(),
      roles: [...roles].sort(),
      ...(user.name ? { displayName: user.name } : {}),
      known: true,
      uid: user.id,
      ...(user.partner_id ? { partnerId: user.partner_id.id } : {}),
    };
  }

  return {
    resolveAskerByEmail(email: string): Promise<ResolvedIdentity> {
      const key = email.trim().toLowerCase();
      if (!key || !key.includes('@')) return Promise.resolve(unknownPerson());
      const hit = cache.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      const value = lookUp(key).catch((err: unknown) => {
        // Fail closed: when Odoo cannot be asked the person is unknown for now, and that is not cached.
        cache.delete(key);
        opts.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not resolve the asker in Odoo; answering as public');
        return unknownPerson();
      });
      cache.set(key, { at: now(), value });
      return value;
    },
    clear: () => cache.clear(),
  };
}

const groupRolesSchema = z.object({ odoo_groups: z.record(z.string(), z.string()).optional() }).passthrough();

/**
 * The optional `odoo_groups` section of access.yml: Odoo group xmlid → training role, e.g.
 * `odoo_groups: { "sop_demo.group_trainer": trainer }`.
 */
export function odooGroupRolesFromAccessYaml(text: string): Record<string, string> {
  const parsed = groupRolesSchema.safeParse(parseYaml(text));
  return parsed.success ? (parsed.data.odoo_groups ?? {}) : {};
}
