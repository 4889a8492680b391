/**
 * The demo hospital inside the simulator. Reads the SOP library (`data/demo-hospital/` + its access.yml) from disk
 * and sets access the Odoo way, so the people who may read a file in the folder library may read the same document
 * in Odoo:
 * - 17: one workspace per department (and a sub-workspace per distinct reader set inside it) whose Read Groups are
 *   the training-role groups (`sop_demo.group_<role>`) of the roles access.yml lets read those files;
 * - 18/19: folders are documents; a file every role may read is shared with all internal users (`access_internal`),
 *   any other file is shared per person (`access_ids` → the partners of the users holding those roles).
 * Plus one user per role (with e-mail, password, API key), an admin, a portal user, and go-live Helpdesk tickets.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAccessFile } from '../../ingestion/access.js';
import type { AccessPolicy } from '../../ingestion/access.js';
import { listDocumentFiles } from '../../ingestion/sources/folder.js';
import { registerIrModels } from './models.js';
import type { Env, Rec } from './orm.js';
import { toOdooDatetime } from './orm.js';
import type { SimState } from './rpc.js';
import { messagePost } from './rpc.js';
import { GO_LIVE, TICKETS } from './tickets.js';

export const DEFAULT_LIBRARY_DIR = fileURLToPath(new URL('../../data/demo-hospital/', import.meta.url));

export interface SeedUser {
  login: string;
  email: string;
  password: string;
  api_key: string;
  roles: string[];
  uid: number;
  partnerId: number;
  name: string;
}

export interface SeedResult {
  admin: SeedUser;
  users: SeedUser[];
  /** Odoo group xmlid → training role, for access.yml-style mapping of groups to roles. */
  groupRoles: Record<string, string>;
  /** documents.document id → library-relative path it was made from. */
  documentPaths: Map<number, string>;
}

export interface SeedOptions {
  /** Folder with the SOP library and access.yml; default `data/demo-hospital/`. */
  libraryDir?: string;
  /** Deterministic secrets (tests); default random. */
  secrets?: 'random' | 'fixed';
  tickets?: boolean;
  /** Which Helpdesk the database has: Enterprise `helpdesk` (default, with go-live tickets) or OCA `helpdesk_mgmt`. */
  helpdesk?: 'enterprise' | 'oca';
}

const PEOPLE: Record<string, [string, string]> = {
  'ward-supply-coordinator': ['Maya Okafor', 'maya.okafor'],
  'pharmacy-support': ['Tomasz Nowak', 'tomasz.nowak'],
  'biomedical-technician': ['Priya Raman', 'priya.raman'],
  'procurement-officer': ['Daniel Hughes', 'daniel.hughes'],
  'ap-clerk': ['Grace Mensah', 'grace.mensah'],
  'hr-administrator': ['Sofia Lindqvist', 'sofia.lindqvist'],
  'service-desk-agent': ['Liam Byrne', 'liam.byrne'],
  trainer: ['Hannah Clarke', 'hannah.clarke'],
  'super-user': ['Ravi Patel', 'ravi.patel'],
};
const DOMAIN = 'st-aldhelms.example';

const MIMETYPES: Record<string, string> = {
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.txt': 'text/plain',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.pdf': 'application/pdf',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

const titleCase = (s: string) => s.replace(/(^|-)(\w)/g, (_m, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase());
export const roleGroupXmlid = (role: string) => `sop_demo.group_${role.replace(/[^a-z0-9]+/gi, '_')}`;

function secret(kind: 'password' | 'key', seedName: string, mode: 'random' | 'fixed'): string {
  if (mode === 'fixed') return kind === 'password' ? `pw-${seedName}` : Buffer.from(`key-${seedName}`).toString('hex').padEnd(40, '0').slice(0, 40);
  return kind === 'password' ? randomBytes(9).toString('base64url') : randomBytes(20).toString('hex');
}

export function seedBase(state: SimState): void {
  const { orm, version } = state;
  const sudo = orm.sudo();
  const gf = version >= 19 ? 'group_ids' : 'groups_id';
  const category = (name: string): Record<string, number> =>
    version >= 19 ? { privilege_id: orm.insert('res.groups.privilege', { name }).id } : { category_id: orm.insert('ir.module.category', { name }).id };
  const group = (xmlid: string, name: string, cat: Record<string, number>, implied: string[] = [], share = false) => {
    const g = orm.insert('res.groups', { name, ...cat, implied_ids: implied.map((x) => orm.ref(x)), share }, sudo);
    orm.setXmlid(xmlid, 'res.groups', g.id);
    return g.id;
  };
  const userTypes = category('User types');
  group('base.group_user', 'Internal User', userTypes);
  group('base.group_portal', 'Portal', userTypes, [], true);
  group('base.group_system', 'Settings', category('Administration'), ['base.group_user']);
  const docs = category('Documents');
  group('documents.group_documents_user', 'User', docs, ['base.group_user']);
  group('documents.group_documents_manager', 'Administrator', docs, ['documents.group_documents_user']);
  if (version >= 18) group('documents.group_documents_system', 'System Administrator', docs, ['documents.group_documents_manager']);
  const hd = category('Helpdesk');
  group('helpdesk.group_helpdesk_user', 'User', hd, ['base.group_user']);
  group('helpdesk.group_helpdesk_manager', 'Administrator', hd, ['helpdesk.group_helpdesk_user']);

  for (const [xmlid, name, internal] of [
    ['mail.mt_comment', 'Discussions', false],
    ['mail.mt_note', 'Note', true],
  ] as const) {
    orm.setXmlid(xmlid, 'mail.message.subtype', orm.insert('mail.message.subtype', { name, internal }).id);
  }
  registerIrModels(orm);

  // uid 1 is the superuser (__system__), inactive like in Odoo; `sudo()` runs as it.
  const root = orm.insert('res.partner', { name: 'OdooBot', email: 'odoobot@example.com' });
  orm.insert('res.users', { login: '__system__', partner_id: root.id, active: false, [gf]: [] });
  void gf;
}

/** Materialises implied groups into `groups_id` (17/18 store the closure; 19 keeps `group_ids` explicit). */
function userGroups(state: SimState, xmlids: string[]): number[] {
  const ids = xmlids.map((x) => state.orm.ref(x));
  if (state.version >= 19) return ids;
  const out = new Set<number>();
  const groups = state.orm.table('res.groups');
  const visit = (id: number) => {
    if (out.has(id)) return;
    out.add(id);
    for (const i of (groups.get(id)?.['implied_ids'] as number[]) ?? []) visit(i);
  };
  ids.forEach(visit);
  return [...out];
}

export function createUser(
  state: SimState,
  opts: { name: string; login: string; email: string; groups: string[]; password: string; apiKey: string; roles?: string[] },
): SeedUser {
  const { orm } = state;
  const gf = state.version >= 19 ? 'group_ids' : 'groups_id';
  const partner = orm.insert('res.partner', { name: opts.name, email: opts.email });
  const user = orm.insert('res.users', { login: opts.login, partner_id: partner.id, [gf]: userGroups(state, opts.groups) });
  orm.table('res.partner').get(partner.id)!['user_ids'] = [user.id];
  state.passwords.set(user.id, opts.password);
  state.apiKeys.set(opts.apiKey, { uid: user.id, scope: 'rpc', expiration: null, name: 'sop-assistant' });
  return {
    login: opts.login,
    email: opts.email,
    password: opts.password,
    api_key: opts.apiKey,
    roles: opts.roles ?? [],
    uid: user.id,
    partnerId: partner.id,
    name: opts.name,
  };
}

export async function seedDemoHospital(state: SimState, opts: SeedOptions = {}): Promise<SeedResult> {
  const { orm, version } = state;
  const mode = opts.secrets ?? 'random';
  const libraryDir = opts.libraryDir ?? DEFAULT_LIBRARY_DIR;
  const realNow = orm.now;
  // Seeded history happens in the weeks before and after go-live, not "now".
  let clock = GO_LIVE - 21 * 86400_000;
  orm.now = () => new Date(clock);
  try {
    seedBase(state);
    const policy: AccessPolicy = parseAccessFile(await readFile(join(libraryDir, 'access.yml'), 'utf8'), join(libraryDir, 'access.yml'));

    const rolesCat =
      version >= 19 ? { privilege_id: orm.insert('res.groups.privilege', { name: "St. Aldhelm's Training Roles" }).id } : { category_id: orm.insert('ir.module.category', { name: "St. Aldhelm's Training Roles" }).id };
    const groupRoles: Record<string, string> = {};
    for (const role of policy.roles) {
      const g = orm.insert('res.groups', { name: titleCase(role), ...rolesCat, implied_ids: [orm.ref('base.group_user')] });
      orm.setXmlid(roleGroupXmlid(role), 'res.groups', g.id);
      groupRoles[roleGroupXmlid(role)] = role;
    }

    const admin = createUser(state, {
      name: 'Administrator',
      login: 'admin',
      email: `admin@${DOMAIN}`,
      groups: ['base.group_system', version >= 18 ? 'documents.group_documents_system' : 'documents.group_documents_manager', 'helpdesk.group_helpdesk_manager'],
      password: mode === 'fixed' ? 'admin' : secret('password', 'admin', mode),
      apiKey: secret('key', 'admin', mode),
    });
    const users: SeedUser[] = [];
    for (const role of policy.roles) {
      const [name, local] = PEOPLE[role] ?? [titleCase(role), role];
      const email = `${local}@${DOMAIN}`;
      const helpdesk = ['service-desk-agent', 'super-user', 'trainer'].includes(role) ? ['helpdesk.group_helpdesk_user'] : [];
      users.push(
        createUser(state, {
          name,
          login: email,
          email,
          groups: ['base.group_user', 'documents.group_documents_user', roleGroupXmlid(role), ...helpdesk],
          password: secret('password', role, mode),
          apiKey: secret('key', role, mode),
          roles: [role],
        }),
      );
    }
    const portal = createUser(state, {
      name: 'Jo Whitfield (MedSupply Ltd)',
      login: 'jo.whitfield@medsupply.example',
      email: 'jo.whitfield@medsupply.example',
      groups: ['base.group_portal'],
      password: secret('password', 'portal', mode),
      apiKey: secret('key', 'portal', mode),
    });
    users.push(portal);

    const documentPaths = await seedDocuments(state, { libraryDir, policy, admin, users });
    clock = GO_LIVE - 86400_000;
    if (opts.tickets !== false && opts.helpdesk !== 'oca') seedTickets(state, { admin, users, setClock: (t) => (clock = t) });
    if (opts.tickets !== false && opts.helpdesk === 'oca') seedOcaTickets(state, admin);
    return { admin, users, groupRoles, documentPaths };
  } finally {
    orm.now = realNow;
  }
}

async function seedDocuments(
  state: SimState,
  ctx: { libraryDir: string; policy: AccessPolicy; admin: SeedUser; users: SeedUser[] },
): Promise<Map<number, string>> {
  const { orm, version } = state;
  const env = orm.env(ctx.admin.uid);
  const files = await listDocumentFiles(ctx.libraryDir);
  const rolesOf = (rel: string) => ctx.policy.aclFor(rel).map((p) => p.replace(/^role:/, ''));
  const allRoles = [...ctx.policy.roles].sort().join(',');
  const byDept = new Map<string, string[]>();
  for (const rel of files) {
    const dept = rel.includes('/') ? rel.split('/')[0]! : 'General';
    byDept.set(dept, [...(byDept.get(dept) ?? []), rel]);
  }
  const paths = new Map<number, string>();
  const readBytes = async (rel: string) => (await readFile(join(ctx.libraryDir, rel))).toString('base64');
  const docVals = async (rel: string) => ({
    name: rel.split('/').pop()!,
    datas: await readBytes(rel),
    mimetype: MIMETYPES[extname(rel).toLowerCase()] ?? 'application/octet-stream',
    owner_id: ctx.admin.uid,
  });

  if (version === 17) {
    const groupsOf = (roles: string[]) => roles.map((r) => orm.ref(roleGroupXmlid(r)));
    const superUser = ctx.policy.roles.includes('super-user') ? [orm.ref(roleGroupXmlid('super-user'))] : [];
    for (const [dept, rels] of [...byDept].sort()) {
      const sets = new Map<string, string[]>();
      for (const rel of rels) sets.set(rolesOf(rel).join(','), [...(sets.get(rolesOf(rel).join(',')) ?? []), rel]);
      const ordered = [...sets].sort((a, b) => b[1].length - a[1].length);
      let parentId = 0;
      for (const [i, [key, members]] of ordered.entries()) {
        const roles = key ? key.split(',') : [];
        const folder = orm.create(env, 'documents.folder', [
          {
            // Files whose readers differ from the workspace's get a sub-workspace named after its readers.
            name: i === 0 ? dept : `${dept} — ${roles.map(titleCase).join(', ') || 'no role'}`,
            ...(i === 0 ? {} : { parent_folder_id: parentId }),
            read_group_ids: [[6, 0, groupsOf(roles)]],
            // Super users maintain the SOPs.
            group_ids: [[6, 0, superUser]],
          },
        ])[0]!;
        if (i === 0) parentId = folder.id;
        for (const rel of members) {
          const doc = orm.create(env, 'documents.document', [{ ...(await docVals(rel)), folder_id: folder.id }])[0]!;
          paths.set(doc.id, rel);
        }
      }
    }
    const inventory = [...orm.table('documents.folder').values()].find((f) => f['name'] === 'Inventory');
    if (inventory) {
      orm.create(env, 'documents.document', [
        { name: 'Odoo Inventory documentation (external)', url: 'https://www.odoo.com/documentation/17.0/applications/inventory_and_mrp/inventory.html', folder_id: inventory.id },
      ]);
    }
    return paths;
  }

  const partnersFor = (roles: string[]) => ctx.users.filter((u) => u.roles.some((r) => roles.includes(r))).map((u) => u.partnerId);
  for (const [dept, rels] of [...byDept].sort()) {
    const deptRoles = [...new Set(rels.flatMap(rolesOf))];
    const folder = orm.create(env, 'documents.document', [
      {
        name: dept,
        type: 'folder',
        owner_id: ctx.admin.uid,
        access_internal: 'none',
        access_via_link: 'none',
        access_ids: partnersFor(deptRoles).map((p) => [0, 0, { partner_id: p, role: 'view' }]),
      },
    ])[0]!;
    for (const rel of rels) {
      const roles = rolesOf(rel);
      const everyone = roles.slice().sort().join(',') === allRoles;
      const doc = orm.create(env, 'documents.document', [
        {
          ...(await docVals(rel)),
          folder_id: folder.id,
          access_internal: everyone ? 'view' : 'none',
          access_via_link: 'none',
          access_ids: everyone ? [] : partnersFor(roles).map((p) => [0, 0, { partner_id: p, role: 'view' }]),
        },
      ])[0]!;
      paths.set(doc.id, rel);
    }
    if (dept === 'Inventory') {
      orm.create(env, 'documents.document', [
        {
          name: 'Odoo Inventory documentation (external)',
          type: 'url',
          url: `https://www.odoo.com/documentation/${version}.0/applications/inventory_and_mrp/inventory.html`,
          folder_id: folder.id,
          access_ids: partnersFor(deptRoles).map((p) => [0, 0, { partner_id: p, role: 'view' }]),
        },
      ]);
    }
  }
  return paths;
}

function seedTickets(state: SimState, ctx: { admin: SeedUser; users: SeedUser[]; setClock: (t: number) => void }): void {
  const { orm } = state;
  const adminEnv = orm.env(ctx.admin.uid);
  const stage = (name: string, sequence: number, fold: boolean) => orm.create(adminEnv, 'helpdesk.stage', [{ name, sequence, fold }])[0]!.id;
  const stages: Record<string, number> = {
    New: stage('New', 0, false),
    'In Progress': stage('In Progress', 1, false),
    'Waiting on Customer': stage('Waiting on Customer', 2, false),
    Solved: stage('Solved', 3, true),
    Cancelled: stage('Cancelled', 4, true),
  };
  const agent = ctx.users.find((u) => u.roles.includes('service-desk-agent')) ?? ctx.admin;
  const superUser = ctx.users.find((u) => u.roles.includes('super-user')) ?? ctx.admin;
  const stageIds = Object.values(stages);
  const team = (name: string, members: number[]) =>
    orm.create(adminEnv, 'helpdesk.team', [{ name, use_sla: true, privacy_visibility: 'internal', member_ids: [[6, 0, members]], stage_ids: [[6, 0, stageIds]] }])[0]!.id;
  const teams = {
    hypercare: team('Go-Live Hypercare', [agent.uid, superUser.uid]),
    servicedesk: team('IT Service Desk', [agent.uid]),
  };
  for (const t of Object.values(teams)) {
    orm.create(adminEnv, 'helpdesk.sla', [
      { name: 'First response within 4 hours', team_id: t, stage_id: stages['In Progress'], priority: '0', time: 4 },
      { name: 'Urgent: resolve within 8 hours', team_id: t, stage_id: stages['Solved'], priority: '3', time: 8 },
    ]);
  }
  const tags = new Map<string, number>();
  const tagId = (name: string) => {
    if (!tags.has(name)) tags.set(name, orm.create(adminEnv, 'helpdesk.tag', [{ name }])[0]!.id);
    return tags.get(name)!;
  };
  for (const [i, t] of TICKETS.entries()) {
    const reporter = ctx.users.find((u) => u.roles.includes(t.reporter)) ?? ctx.admin;
    let at = GO_LIVE + t.day * 86400_000 + t.hour * 3600_000;
    ctx.setClock(at);
    const assignee = t.team === 'hypercare' && i % 3 === 0 ? superUser : agent;
    const agentEnv: Env = orm.env(assignee.uid);
    const ticket: Rec = orm.create(agentEnv, 'helpdesk.ticket', [
      {
        name: t.subject,
        description: `<p>${t.description}</p>`,
        team_id: teams[t.team],
        partner_id: reporter.partnerId,
        priority: t.priority,
        tag_ids: [[6, 0, [tagId(t.tag)]]],
      },
    ])[0]!;
    // The reporter's own e-mail starts the thread.
    at += 5 * 60_000;
    ctx.setClock(at);
    orm.insert('mail.message', {
      model: 'helpdesk.ticket', res_id: ticket.id, body: `<p>${t.customer}</p>`, message_type: 'email',
      subtype_id: orm.ref('mail.mt_comment'), is_internal: false, author_id: reporter.partnerId, email_from: `"${reporter.name}" <${reporter.email}>`,
      date: toOdooDatetime(new Date(at)), record_name: orm.displayName('helpdesk.ticket', ticket, agentEnv),
    });
    for (const [n, stageName] of t.path.entries()) {
      at += (n === 0 ? 40 : 150) * 60_000 * (t.priority === '3' ? 0.5 : 1 + (i % 4));
      ctx.setClock(at);
      const vals: Record<string, unknown> = { stage_id: stages[stageName] };
      if (n === 0) vals['user_id'] = assignee.uid;
      orm.write(agentEnv, 'helpdesk.ticket', [ticket.id], vals);
      if (n === 0 && t.note) {
        at += 20 * 60_000;
        ctx.setClock(at);
        messagePost(agentEnv, 'helpdesk.ticket', ticket.id, { body: `<p>${t.note}</p>`, body_is_html: true, message_type: 'comment', subtype_xmlid: 'mail.mt_note' });
      }
      if (stageName === 'Waiting on Customer') {
        messagePost(agentEnv, 'helpdesk.ticket', ticket.id, { body: `<p>Hi ${reporter.name.split(' ')[0]}, could you confirm this works for you now?</p>`, body_is_html: true, message_type: 'comment', subtype_xmlid: 'mail.mt_comment' });
      }
    }
  }
}

/** A few OCA helpdesk_mgmt tickets (the go-live set is Enterprise-shaped). */
function seedOcaTickets(state: SimState, admin: SeedUser): void {
  const { orm } = state;
  const env = orm.env(admin.uid);
  const stages = ['New', 'In Progress', 'Done'].map((name, i) => orm.create(env, 'helpdesk.ticket.stage', [{ name, sequence: i, closed: name === 'Done' }])[0]!.id);
  const team = orm.create(env, 'helpdesk.ticket.team', [{ name: 'Go-Live Hypercare' }])[0]!.id;
  for (const t of TICKETS.slice(0, 5)) {
    const [ticket] = orm.create(env, 'helpdesk.ticket', [{ name: t.subject, description: `<p>${t.description}</p>`, team_id: team, priority: t.priority }]);
    orm.write(env, 'helpdesk.ticket', [ticket!.id], { stage_id: stages[1] });
  }
}
