/**
 * The simulator's model definitions, shaped per Odoo version (17 / 18 / 19) as described in
 * shared/reference/odoo-external-api.md: base (users, groups, partners, xmlids), Documents (17: documents.folder with
 * group access; 18/19: folders are documents with access_internal/access_ids and a computed user_permission),
 * attachments, Helpdesk and the chatter. Access rules are written as Odoo writes them (ACL by group + record rules).
 */
import type { Env, FieldDef, Orm, Rec } from './orm.js';
import { sha1Hex, toOdooDatetime } from './orm.js';

export type SimVersion = 17 | 18 | 19;

const PERMS = [
  ['view', 'Viewer'],
  ['edit', 'Editor'],
  ['none', 'None'],
] as [string, string][];

const groupsField = (v: SimVersion) => (v >= 19 ? 'group_ids' : 'groups_id');

function userPartner(orm: Orm, uid: number): number | false {
  const u = orm.table('res.users').get(uid);
  return (u?.['partner_id'] as number | undefined) ?? false;
}

/** `documents.document.user_permission` for 18/19, following `_compute_user_permission`. */
export function documentPermission(orm: Orm, doc: Rec, uid: number, seen = new Set<number>()): 'edit' | 'view' | 'none' {
  if (orm.hasGroup(uid, 'documents.group_documents_system')) return 'edit';
  if (doc['owner_id'] === uid) return 'edit';
  let p = 'none' as 'edit' | 'view' | 'none';
  const partner = userPartner(orm, uid);
  const now = toOdooDatetime(orm.now());
  const accesses = orm.table('documents.access');
  const link = (doc['access_via_link'] as 'edit' | 'view' | 'none' | false) || 'none';
  for (const aid of (doc['access_ids'] as number[]) ?? []) {
    const a = accesses.get(aid);
    if (!a || a['partner_id'] !== partner) continue;
    const exp = a['expiration_date'];
    if (typeof exp === 'string' && exp <= now) continue;
    p = ((a['role'] as 'edit' | 'view' | false) || link) as typeof p;
  }
  const internal = orm.hasGroup(uid, 'base.group_user');
  const accessInternal = (doc['access_internal'] as 'edit' | 'view' | 'none' | false) || 'none';
  if (internal && p !== 'edit' && accessInternal !== 'none') {
    p = orm.hasGroup(uid, 'documents.group_documents_manager') ? 'edit' : accessInternal;
  }
  if (p === 'view' && link === 'edit') p = 'edit';
  const parentId = doc['folder_id'];
  if (p === 'none' && typeof parentId === 'number' && link !== 'none' && !doc['is_access_via_link_hidden'] && !seen.has(doc.id)) {
    const parent = orm.table('documents.document').get(parentId);
    if (parent && documentPermission(orm, parent, uid, new Set([...seen, doc.id])) !== 'none') p = link;
  }
  return p;
}

function userGroupList(env: Env): number[] {
  return [...env.orm.userGroupIds(env.uid)];
}

function attachmentValue(field: string) {
  return (rec: Rec, env: Env): unknown => {
    const att = typeof rec['attachment_id'] === 'number' ? env.orm.table('ir.attachment').get(rec['attachment_id']) : undefined;
    return att ? (att[field] ?? false) : field === 'file_size' ? 0 : false;
  };
}

/** `datas` written on a document goes to its attachment, as the related field does in Odoo. */
function moveDatasToAttachment(orm: Orm, env: Env, vals: Record<string, unknown>, existing: Rec | null): void {
  if (!('datas' in vals)) return;
  const datas = vals['datas'];
  delete vals['datas'];
  if (typeof datas !== 'string') return;
  const bytes = Buffer.from(datas, 'base64');
  const attVals = {
    name: (vals['name'] as string | undefined) ?? (existing?.['name'] as string | undefined) ?? 'file',
    datas,
    file_size: bytes.length,
    checksum: sha1Hex(bytes),
    mimetype: (vals['mimetype'] as string | undefined) ?? (existing?.['mimetype'] as string | undefined) ?? 'application/octet-stream',
    res_model: 'documents.document',
    res_id: existing?.id ?? 0,
  };
  const attId = existing?.['attachment_id'];
  if (typeof attId === 'number' && orm.table('ir.attachment').has(attId)) {
    Object.assign(orm.table('ir.attachment').get(attId)!, attVals, { write_date: toOdooDatetime(orm.now()) });
  } else {
    vals['attachment_id'] = orm.insert('ir.attachment', attVals, env).id;
  }
  delete vals['mimetype'];
}

export function defineModels(orm: Orm, version: SimVersion, helpdesk: 'enterprise' | 'oca' = 'enterprise'): void {
  const gf = groupsField(version);
  const internalOnly = ['base.group_user'];
  const adminOnly = ['base.group_system'];

  orm.define({
    name: 'ir.model.data',
    description: 'Model Data',
    fields: {
      module: { type: 'char', required: true },
      name: { type: 'char', required: true },
      model: { type: 'char', required: true },
      res_id: { type: 'integer' },
    },
    displayName: (r) => `${String(r['module'])}.${String(r['name'])}`,
    access: { write: adminOnly, create: adminOnly, unlink: adminOnly },
  });
  orm.define({
    name: 'ir.model',
    description: 'Models',
    fields: { model: { type: 'char', required: true }, name: { type: 'char', string: 'Model Description' } },
    access: { write: adminOnly, create: adminOnly, unlink: adminOnly },
  });
  orm.define({
    name: 'ir.model.fields',
    description: 'Fields',
    fields: {
      name: { type: 'char', required: true },
      model: { type: 'char', required: true },
      field_description: { type: 'char' },
      ttype: { type: 'char' },
      relation: { type: 'char' },
    },
    access: { write: adminOnly, create: adminOnly, unlink: adminOnly },
  });

  orm.define({
    name: 'res.partner',
    description: 'Contact',
    order: 'name, id',
    parentName: 'parent_id',
    fields: {
      name: { type: 'char', string: 'Name' },
      email: { type: 'char', string: 'Email' },
      phone: { type: 'char', string: 'Phone' },
      is_company: { type: 'boolean', string: 'Is a Company', default: false },
      parent_id: { type: 'many2one', relation: 'res.partner', string: 'Related Company' },
      user_ids: { type: 'one2many', relation: 'res.users', inverse: 'partner_id', string: 'Users' },
      active: { type: 'boolean', default: true },
    },
  });

  const groupFields: Record<string, FieldDef> = {
    name: { type: 'char', required: true, string: 'Name' },
    implied_ids: { type: 'many2many', relation: 'res.groups', string: 'Inherits' },
    share: { type: 'boolean', string: 'Share Group', default: false },
    comment: { type: 'text', string: 'Comment' },
  };
  const membersOf = (rec: Rec, env: Env, transitive: boolean) =>
    [...env.orm.table('res.users').values()]
      .filter((u) => (transitive ? env.orm.userGroupIds(u.id).has(rec.id) : ((u[gf] as number[]) ?? []).includes(rec.id)))
      .map((u) => u.id);
  if (version >= 19) {
    orm.define({
      name: 'res.groups.privilege',
      description: 'Privileges',
      fields: { name: { type: 'char', required: true }, sequence: { type: 'integer', default: 10 } },
    });
    Object.assign(groupFields, {
      privilege_id: { type: 'many2one', relation: 'res.groups.privilege', string: 'Privilege' },
      user_ids: { type: 'many2many', relation: 'res.users', string: 'Users', compute: (r: Rec, e: Env) => membersOf(r, e, false) },
      all_user_ids: { type: 'many2many', relation: 'res.users', string: 'Users and implied users', compute: (r: Rec, e: Env) => membersOf(r, e, true) },
      api_key_duration: { type: 'float', default: 0 },
    });
  } else {
    orm.define({ name: 'ir.module.category', description: 'Application', fields: { name: { type: 'char', required: true } } });
    Object.assign(groupFields, {
      category_id: { type: 'many2one', relation: 'ir.module.category', string: 'Application' },
      users: { type: 'many2many', relation: 'res.users', string: 'Users', compute: (r: Rec, e: Env) => membersOf(r, e, false) },
      ...(version === 18 ? { api_key_duration: { type: 'float', default: 0 } } : {}),
    });
  }
  orm.define({
    name: 'res.groups',
    description: 'Access Groups',
    order: 'name, id',
    fields: {
      ...groupFields,
      full_name: {
        type: 'char',
        string: 'Group Name',
        compute: (r, e) => {
          const cat = version >= 19 ? r['privilege_id'] : r['category_id'];
          const catModel = version >= 19 ? 'res.groups.privilege' : 'ir.module.category';
          const c = typeof cat === 'number' ? e.orm.table(catModel).get(cat) : undefined;
          return c ? `${String(c['name'])} / ${String(r['name'])}` : r['name'];
        },
      },
    },
    displayName: (r, e) => String(e.orm.value('res.groups', r, 'full_name', e)),
    access: { write: adminOnly, create: adminOnly, unlink: adminOnly },
  });

  const userFields: Record<string, FieldDef> = {
    name: { type: 'char', string: 'Name', compute: (r, e) => e.orm.table('res.partner').get(r['partner_id'] as number)?.['name'] ?? false },
    login: { type: 'char', required: true, string: 'Login' },
    email: { type: 'char', string: 'Email', compute: (r, e) => e.orm.table('res.partner').get(r['partner_id'] as number)?.['email'] ?? false },
    partner_id: { type: 'many2one', relation: 'res.partner', required: true, string: 'Related Partner' },
    [gf]: { type: 'many2many', relation: 'res.groups', string: 'Groups' },
    share: { type: 'boolean', string: 'Share User', compute: (r, e) => !e.orm.hasGroup(r.id, 'base.group_user') },
    active: { type: 'boolean', default: true },
    tz: { type: 'char', default: 'Europe/Brussels' },
    lang: { type: 'char', default: 'en_US' },
  };
  if (version >= 19) {
    userFields['all_group_ids'] = {
      type: 'many2many',
      relation: 'res.groups',
      string: 'Groups and implied groups',
      compute: (r, e) => [...e.orm.userGroupIds(r.id)],
    };
  }
  orm.define({
    name: 'res.users',
    description: 'User',
    order: 'login, id',
    fields: userFields,
    displayName: (r, e) => String(e.orm.value('res.users', r, 'name', e) || r['login']),
    // 17/18 store implied groups in groups_id too (res.users._add_implied_groups); 19 keeps group_ids explicit.
    ...(version < 19
      ? {
          afterCreate: (rec: Rec, env: Env) => (rec['groups_id'] = [...env.orm.userGroupIds(rec.id)]),
          afterWrite: (rec: Rec, _vals: Record<string, unknown>, env: Env) => (rec['groups_id'] = [...env.orm.userGroupIds(rec.id)]),
        }
      : {}),
    access: { write: adminOnly, create: adminOnly, unlink: adminOnly },
  });

  orm.define({
    name: 'ir.attachment',
    description: 'Attachment',
    order: 'id desc',
    fields: {
      name: { type: 'char', required: true },
      type: { type: 'selection', selection: [['url', 'URL'], ['binary', 'File']], default: 'binary' },
      datas: { type: 'binary', string: 'File Content (base64)' },
      url: { type: 'char' },
      mimetype: { type: 'char' },
      file_size: { type: 'integer' },
      checksum: { type: 'char' },
      res_model: { type: 'char' },
      res_id: { type: 'integer' },
    },
    access: { read: internalOnly, write: internalOnly, create: internalOnly, unlink: internalOnly },
    // Attachments of documents follow the document's access.
    rules: [
      {
        name: 'attachment follows its record',
        groups: [],
        perms: ['read', 'write', 'unlink'],
        predicate: (rec, env) => {
          const m = rec['res_model'];
          if (typeof m !== 'string' || !m || !rec['res_id']) return true;
          const parent = env.orm.table(m).get(rec['res_id'] as number);
          return !parent || env.orm.ruleAllows(env, m, parent, 'read');
        },
      },
    ],
  });

  defineDocuments(orm, version);
  if (helpdesk === 'oca') defineHelpdeskOca(orm);
  else defineHelpdesk(orm, version);
  defineMail(orm);
}

function defineDocuments(orm: Orm, version: SimVersion): void {
  const docCommon: Record<string, FieldDef> = {
    name: { type: 'char', string: 'Name' },
    attachment_id: { type: 'many2one', relation: 'ir.attachment', string: 'Attachment' },
    datas: { type: 'binary', string: 'File Content (base64)', compute: attachmentValue('datas') },
    mimetype: { type: 'char', string: 'Mime Type', compute: attachmentValue('mimetype') },
    file_size: { type: 'integer', string: 'File Size', compute: attachmentValue('file_size') },
    checksum: { type: 'char', string: 'Checksum/SHA1', compute: attachmentValue('checksum') },
    url: { type: 'char', string: 'URL' },
    tag_ids: { type: 'many2many', relation: 'documents.tag', string: 'Tags' },
    partner_id: { type: 'many2one', relation: 'res.partner', string: 'Contact' },
    owner_id: { type: 'many2one', relation: 'res.users', string: 'Owner', default: (env: Env) => env.uid, required: version === 18 },
    active: { type: 'boolean', default: true },
    description: { type: 'text', string: 'Description' },
    res_model: { type: 'char', string: 'Resource Model' },
    res_id: { type: 'integer', string: 'Resource ID' },
  };

  if (version === 17) {
    orm.define({
      name: 'documents.folder',
      description: 'Documents Workspace',
      order: 'sequence, id',
      parentName: 'parent_folder_id',
      fields: {
        name: { type: 'char', required: true, string: 'Name' },
        parent_folder_id: { type: 'many2one', relation: 'documents.folder', string: 'Parent Workspace' },
        children_folder_ids: { type: 'one2many', relation: 'documents.folder', inverse: 'parent_folder_id', string: 'Sub workspaces' },
        document_ids: { type: 'one2many', relation: 'documents.document', inverse: 'folder_id', string: 'Documents' },
        facet_ids: { type: 'one2many', relation: 'documents.facet', inverse: 'folder_id', string: 'Tag Categories' },
        description: { type: 'html' },
        sequence: { type: 'integer', default: 10 },
        active: { type: 'boolean', default: true },
        group_ids: { type: 'many2many', relation: 'res.groups', string: 'Write Groups' },
        read_group_ids: { type: 'many2many', relation: 'res.groups', string: 'Read Groups' },
        user_specific: { type: 'boolean', string: 'Own Documents Only', default: false },
        user_specific_write: { type: 'boolean', string: 'Own Documents Only (Write)', default: false },
        has_write_access: {
          type: 'boolean',
          compute: (r, e) => {
            const g = e.orm.userGroupIds(e.uid);
            const wg = (r['group_ids'] as number[]) ?? [];
            return e.orm.hasGroup(e.uid, 'documents.group_documents_manager') || !wg.length || wg.some((x) => g.has(x));
          },
        },
      },
      displayName: (r, e) => {
        const parent = typeof r['parent_folder_id'] === 'number' ? e.orm.table('documents.folder').get(r['parent_folder_id']) : undefined;
        return parent ? `${e.orm.displayName('documents.folder', parent, e)} / ${String(r['name'])}` : String(r['name']);
      },
      access: {
        read: ['documents.group_documents_user'],
        write: ['documents.group_documents_manager'],
        create: ['documents.group_documents_manager'],
        unlink: ['documents.group_documents_manager'],
      },
      rules: [
        {
          name: 'Documents folder: groups',
          groups: ['documents.group_documents_user'],
          perms: ['read'],
          domain: (env) => {
            const g = userGroupList(env);
            return ['|', '&', ['group_ids', '=', false], ['read_group_ids', '=', false], '|', ['group_ids', 'in', g], ['read_group_ids', 'in', g]];
          },
        },
        { name: 'Documents folder: manager', groups: ['documents.group_documents_manager'], perms: ['read', 'write', 'create', 'unlink'], domain: () => [[1, '=', 1]] },
      ],
    });
    orm.define({
      name: 'documents.facet',
      description: 'Category',
      order: 'sequence, name, id',
      fields: {
        name: { type: 'char', required: true },
        folder_id: { type: 'many2one', relation: 'documents.folder', string: 'Workspace' },
        tag_ids: { type: 'one2many', relation: 'documents.tag', inverse: 'facet_id' },
        sequence: { type: 'integer', default: 10 },
        tooltip: { type: 'char' },
      },
    });
    orm.define({
      name: 'documents.tag',
      description: 'Tag',
      order: 'sequence, name, id',
      fields: {
        name: { type: 'char', required: true },
        facet_id: { type: 'many2one', relation: 'documents.facet', required: true, string: 'Category' },
        folder_id: {
          type: 'many2one',
          relation: 'documents.folder',
          compute: (r, e) => e.orm.table('documents.facet').get(r['facet_id'] as number)?.['folder_id'] ?? false,
        },
        sequence: { type: 'integer', default: 10 },
      },
      displayName: (r, e) => `${String(e.orm.table('documents.facet').get(r['facet_id'] as number)?.['name'] ?? '')} > ${String(r['name'])}`,
    });
    orm.define({
      name: 'documents.document',
      description: 'Document',
      order: 'id desc',
      mailThread: true,
      fields: {
        ...docCommon,
        type: { type: 'selection', selection: [['url', 'URL'], ['binary', 'File'], ['empty', 'Request']], string: 'Type', readonly: true },
        folder_id: { type: 'many2one', relation: 'documents.folder', required: true, string: 'Workspace' },
        group_ids: {
          type: 'many2many',
          relation: 'res.groups',
          string: 'Access Groups',
          compute: (r, e) => e.orm.table('documents.folder').get(r['folder_id'] as number)?.['group_ids'] ?? [],
        },
      },
      beforeCreate: (vals, env) => {
        moveDatasToAttachment(env.orm, env, vals, null);
        vals['type'] = vals['url'] ? 'url' : vals['attachment_id'] ? 'binary' : 'empty';
      },
      beforeWrite: (rec, vals, env) => {
        moveDatasToAttachment(env.orm, env, vals, rec);
        if (vals['attachment_id']) vals['type'] = 'binary';
      },
      access: {
        read: ['documents.group_documents_user'],
        write: ['documents.group_documents_user'],
        create: ['documents.group_documents_user'],
        unlink: ['documents.group_documents_user'],
      },
      rules: [
        {
          name: 'Documents: read groups',
          groups: ['documents.group_documents_user'],
          perms: ['read'],
          domain: (env) => {
            const g = userGroupList(env);
            return [
              '&', ['folder_id.read_group_ids', 'in', g], '|', ['folder_id.user_specific', '=', false], ['owner_id', '=', env.uid],
            ];
          },
        },
        {
          name: 'Documents: write groups',
          groups: ['documents.group_documents_user'],
          perms: ['read', 'write', 'create', 'unlink'],
          domain: (env) => {
            const g = userGroupList(env);
            return [
              '|',
              '&', ['folder_id.group_ids', 'in', g], '|', ['folder_id.user_specific_write', '=', false], ['owner_id', '=', env.uid],
              '&', ['folder_id.group_ids', '=', false], ['folder_id.read_group_ids', '=', false],
            ];
          },
        },
        { name: 'Documents: manager', groups: ['documents.group_documents_manager'], perms: ['read', 'write', 'create', 'unlink'], domain: () => [[1, '=', 1]] },
      ],
    });
    return;
  }

  // 18 / 19: folders are documents; access is per document.
  orm.define({
    name: 'documents.access',
    description: 'Document / Partner',
    logAccess: false,
    fields: {
      document_id: { type: 'many2one', relation: 'documents.document', required: true },
      partner_id: { type: 'many2one', relation: 'res.partner', required: true },
      role: { type: 'selection', selection: PERMS.slice(0, 2) },
      last_access_date: { type: 'datetime' },
      expiration_date: { type: 'datetime' },
    },
  });
  orm.define({
    name: 'documents.tag',
    description: 'Tag',
    order: 'sequence, name, id',
    fields: {
      name: { type: 'char', required: true },
      sequence: { type: 'integer', default: 10 },
      color: { type: 'integer' },
      tooltip: { type: 'char' },
    },
  });
  const perm = (env: Env, r: Rec) => documentPermission(env.orm, r, env.uid);
  orm.define({
    name: 'documents.document',
    description: 'Document',
    order: version >= 19 ? 'sequence, id desc' : 'id desc',
    parentName: 'folder_id',
    mailThread: true,
    fields: {
      ...docCommon,
      type: { type: 'selection', selection: [['url', 'URL'], ['binary', 'File'], ['folder', 'Folder']], string: 'Type', default: 'binary' },
      folder_id: { type: 'many2one', relation: 'documents.document', string: 'Folder' },
      children_ids: { type: 'one2many', relation: 'documents.document', inverse: 'folder_id', string: 'Children' },
      access_internal: { type: 'selection', selection: PERMS, default: 'none', string: 'Internal users' },
      access_via_link: { type: 'selection', selection: PERMS, default: 'none', string: 'Link access' },
      is_access_via_link_hidden: { type: 'boolean', default: false },
      access_ids: { type: 'one2many', relation: 'documents.access', inverse: 'document_id', string: 'Access' },
      user_permission: { type: 'selection', selection: PERMS, string: 'User permission', compute: (r, e) => perm(e, r) },
      ...(version >= 19 ? { sequence: { type: 'integer', default: 10 } as FieldDef } : {}),
    },
    beforeCreate: (vals, env) => {
      moveDatasToAttachment(env.orm, env, vals, null);
      if (vals['url'] && !vals['type']) vals['type'] = 'url';
    },
    beforeWrite: (rec, vals, env) => moveDatasToAttachment(env.orm, env, vals, rec),
    access: {
      read: ['base.group_user', 'base.group_portal'],
      write: ['base.group_user', 'base.group_portal'],
      create: ['base.group_user', 'base.group_portal'],
      unlink: ['base.group_user'],
    },
    rules: [
      { name: 'Documents: read', groups: ['base.group_user', 'base.group_portal'], perms: ['read'], domain: () => [['user_permission', '!=', 'none']] },
      { name: 'Documents: write', groups: ['base.group_user', 'base.group_portal'], perms: ['write', 'unlink'], domain: () => [['user_permission', '=', 'edit']] },
      {
        name: 'Documents: create',
        groups: ['base.group_user', 'base.group_portal'],
        perms: ['create'],
        domain: () => ['|', ['folder_id', '=', false], ['folder_id.user_permission', '=', 'edit']],
      },
    ],
  });
}

function defineHelpdesk(orm: Orm, version: SimVersion): void {
  const user = ['helpdesk.group_helpdesk_user'];
  const manager = ['helpdesk.group_helpdesk_manager'];
  const acl = { read: user, write: user, create: user, unlink: manager };
  orm.define({
    name: 'helpdesk.stage',
    description: 'Helpdesk Stage',
    order: 'sequence, id',
    fields: {
      name: { type: 'char', required: true },
      sequence: { type: 'integer', default: 1 },
      fold: { type: 'boolean', default: false },
      team_ids: { type: 'many2many', relation: 'helpdesk.team' },
      legend_normal: { type: 'char', default: version === 17 ? 'Grey' : 'In progress' },
      legend_done: { type: 'char', default: version === 17 ? 'Green' : 'Ready' },
      legend_blocked: { type: 'char', default: version === 17 ? 'Red' : 'Blocked' },
      ...(version >= 19 ? { color: { type: 'integer' } as FieldDef } : {}),
    },
    access: { read: user, write: manager, create: manager, unlink: manager },
  });
  orm.define({
    name: 'helpdesk.team',
    description: 'Helpdesk Team',
    order: 'sequence, id',
    fields: {
      name: { type: 'char', required: true },
      sequence: { type: 'integer', default: 10 },
      use_sla: { type: 'boolean', default: true },
      privacy_visibility: { type: 'selection', selection: [['invited_internal', 'Invited internal users'], ['internal', 'All internal users'], ['portal', 'Invited portal users and all internal users']], default: 'portal' },
      member_ids: { type: 'many2many', relation: 'res.users', string: 'Team Members' },
      stage_ids: { type: 'many2many', relation: 'helpdesk.stage', string: 'Stages' },
      active: { type: 'boolean', default: true },
    },
    access: { read: user, write: manager, create: manager, unlink: manager },
  });
  orm.define({ name: 'helpdesk.tag', description: 'Helpdesk Tags', fields: { name: { type: 'char', required: true }, color: { type: 'integer' } }, access: acl });
  if (version === 17) {
    orm.define({ name: 'helpdesk.ticket.type', description: 'Helpdesk Ticket Type', fields: { name: { type: 'char', required: true } }, access: acl });
  }
  orm.define({
    name: 'helpdesk.sla',
    description: 'Helpdesk SLA Policies',
    fields: {
      name: { type: 'char', required: true },
      team_id: { type: 'many2one', relation: 'helpdesk.team', required: true },
      stage_id: { type: 'many2one', relation: 'helpdesk.stage', string: 'Target Stage' },
      priority: { type: 'selection', selection: [['0', 'Low'], ['1', 'Medium'], ['2', 'High'], ['3', 'Urgent']], default: '0' },
      time: { type: 'float', string: 'Within (hours)' },
    },
    access: { read: user, write: manager, create: manager, unlink: manager },
  });
  orm.define({
    name: 'helpdesk.sla.status',
    description: 'Ticket SLA Status',
    fields: {
      ticket_id: { type: 'many2one', relation: 'helpdesk.ticket', required: true },
      sla_id: { type: 'many2one', relation: 'helpdesk.sla', required: true },
      sla_stage_id: { type: 'many2one', relation: 'helpdesk.stage' },
      deadline: { type: 'datetime' },
      reached_datetime: { type: 'datetime' },
      exceeded_hours: { type: 'float' },
      status: { type: 'selection', selection: [['failed', 'Failed'], ['reached', 'Reached'], ['ongoing', 'Ongoing']], default: 'ongoing' },
    },
    access: acl,
  });
  const stageOf = (env: Env, id: unknown) => (typeof id === 'number' ? env.orm.table('helpdesk.stage').get(id) : undefined);
  const slaStatuses = (r: Rec, e: Env) => (r['sla_status_ids'] as number[]).map((id) => e.orm.table('helpdesk.sla.status').get(id)).filter((s): s is Rec => !!s);
  orm.define({
    name: 'helpdesk.ticket',
    description: 'Helpdesk Ticket',
    order: 'priority desc, id desc',
    mailThread: true,
    fields: {
      name: { type: 'char', required: true, string: 'Subject' },
      description: { type: 'html', string: 'Description' },
      team_id: { type: 'many2one', relation: 'helpdesk.team', string: 'Helpdesk Team' },
      stage_id: { type: 'many2one', relation: 'helpdesk.stage', string: 'Stage' },
      user_id: { type: 'many2one', relation: 'res.users', string: 'Assigned to' },
      partner_id: { type: 'many2one', relation: 'res.partner', string: 'Customer' },
      partner_name: { type: 'char', string: 'Customer Name' },
      partner_email: { type: 'char', string: 'Customer Email' },
      partner_phone: { type: 'char', string: 'Customer Phone' },
      priority: { type: 'selection', selection: [['0', 'Low priority'], ['1', 'Medium priority'], ['2', 'High priority'], ['3', 'Urgent']], default: '0' },
      tag_ids: { type: 'many2many', relation: 'helpdesk.tag', string: 'Tags' },
      ticket_ref: { type: 'char', string: 'Ticket IDs Sequence', readonly: true },
      kanban_state: { type: 'selection', selection: [['normal', 'Grey'], ['done', 'Green'], ['blocked', 'Red']], default: 'normal' },
      active: { type: 'boolean', default: true },
      fold: { type: 'boolean', compute: (r, e) => !!stageOf(e, r['stage_id'])?.['fold'] },
      date_last_stage_update: { type: 'datetime' },
      assign_date: { type: 'datetime' },
      close_date: { type: 'datetime' },
      closed_by_partner: { type: 'boolean', default: false },
      sla_status_ids: { type: 'one2many', relation: 'helpdesk.sla.status', inverse: 'ticket_id', string: 'SLA Status' },
      sla_deadline: {
        type: 'datetime',
        compute: (r, e) => slaStatuses(r, e).filter((s) => !s['reached_datetime']).map((s) => s['deadline'] as string).sort()[0] ?? false,
      },
      sla_reached_late: { type: 'boolean', compute: (r, e) => slaStatuses(r, e).some((s) => s['status'] === 'failed') },
      sla_fail: {
        type: 'boolean',
        compute: (r, e) => {
          const now = toOdooDatetime(e.orm.now());
          return slaStatuses(r, e).some((s) => s['status'] === 'failed' || (!s['reached_datetime'] && typeof s['deadline'] === 'string' && s['deadline'] < now));
        },
      },
      ...(version === 17 ? { ticket_type_id: { type: 'many2one', relation: 'helpdesk.ticket.type', string: 'Type' } as FieldDef } : {}),
    },
    displayName: (r) => `${String(r['name'])} (#${String(r['ticket_ref'])})`,
    access: acl,
    beforeCreate: (vals, env) => {
      const orm = env.orm;
      vals['ticket_ref'] = String(nextSequence(orm, 'helpdesk.ticket'));
      const team = typeof vals['team_id'] === 'number' ? orm.table('helpdesk.team').get(vals['team_id']) : undefined;
      if (!vals['stage_id'] && team) {
        const stages = ((team['stage_ids'] as number[]) ?? []).map((id) => orm.table('helpdesk.stage').get(id)!).filter(Boolean);
        stages.sort((a, b) => (a['sequence'] as number) - (b['sequence'] as number) || a.id - b.id);
        if (stages[0]) vals['stage_id'] = stages[0].id;
      }
      if (typeof vals['partner_id'] === 'number') {
        const p = orm.table('res.partner').get(vals['partner_id']);
        vals['partner_email'] ??= p?.['email'] ?? false;
        vals['partner_name'] ??= p?.['name'] ?? false;
      } else if (vals['partner_email']) {
        const found = [...orm.table('res.partner').values()].find((p) => p['email'] === vals['partner_email']);
        vals['partner_id'] = found?.id ?? orm.insert('res.partner', { name: vals['partner_name'] || vals['partner_email'], email: vals['partner_email'] }, env).id;
      }
      const now = toOdooDatetime(orm.now());
      vals['date_last_stage_update'] ??= now;
      if (vals['user_id']) vals['assign_date'] ??= now;
    },
    afterCreate: (rec, env) => applySla(env, rec),
    beforeWrite: (rec, vals, env) => {
      const now = toOdooDatetime(env.orm.now());
      if ('stage_id' in vals && vals['stage_id'] !== rec['stage_id']) {
        vals['date_last_stage_update'] = now;
        vals['kanban_state'] = 'normal';
        const folded = !!stageOf(env, vals['stage_id'])?.['fold'];
        if (folded) vals['close_date'] = now;
        else {
          vals['close_date'] = false;
          vals['closed_by_partner'] = false;
        }
      }
      if (vals['user_id'] && !rec['assign_date']) vals['assign_date'] = now;
      trackChanges(env, 'helpdesk.ticket', rec, vals, ['stage_id', 'user_id', 'priority']);
    },
    afterWrite: (rec, _vals, env) => reachSla(env, rec),
  });
}

/**
 * OCA `helpdesk_mgmt` instead of Enterprise Helpdesk: `number` instead of ticket_ref, its own stage/team/tag models,
 * `description` required, closing driven by `stage.closed` (closed_date), no SLA.
 */
function defineHelpdeskOca(orm: Orm): void {
  const user = ['helpdesk.group_helpdesk_user'];
  const acl = { read: user, write: user, create: user, unlink: ['helpdesk.group_helpdesk_manager'] };
  orm.define({
    name: 'helpdesk.ticket.stage',
    description: 'Helpdesk Ticket Stage',
    order: 'sequence, id',
    fields: { name: { type: 'char', required: true }, sequence: { type: 'integer', default: 1 }, closed: { type: 'boolean', default: false }, unattended: { type: 'boolean', default: false }, fold: { type: 'boolean', default: false } },
    access: acl,
  });
  orm.define({ name: 'helpdesk.ticket.team', description: 'Helpdesk Ticket Team', fields: { name: { type: 'char', required: true }, user_ids: { type: 'many2many', relation: 'res.users' }, active: { type: 'boolean', default: true } }, access: acl });
  orm.define({ name: 'helpdesk.ticket.tag', description: 'Helpdesk Ticket Tag', fields: { name: { type: 'char', required: true } }, access: acl });
  const stageOf = (env: Env, id: unknown) => (typeof id === 'number' ? env.orm.table('helpdesk.ticket.stage').get(id) : undefined);
  orm.define({
    name: 'helpdesk.ticket',
    description: 'Helpdesk Ticket',
    order: 'priority desc, sequence, number desc, id desc',
    recName: 'number',
    mailThread: true,
    fields: {
      number: { type: 'char', string: 'Ticket number', readonly: true },
      name: { type: 'char', required: true, string: 'Title' },
      description: { type: 'html', required: true },
      user_id: { type: 'many2one', relation: 'res.users', string: 'Assigned user' },
      stage_id: { type: 'many2one', relation: 'helpdesk.ticket.stage', string: 'Stage' },
      partner_id: { type: 'many2one', relation: 'res.partner', string: 'Contact' },
      partner_name: { type: 'char' },
      partner_email: { type: 'char', string: 'Email' },
      last_stage_update: { type: 'datetime' },
      assigned_date: { type: 'datetime' },
      closed_date: { type: 'datetime' },
      closed: { type: 'boolean', compute: (r, e) => !!stageOf(e, r['stage_id'])?.['closed'] },
      tag_ids: { type: 'many2many', relation: 'helpdesk.ticket.tag' },
      team_id: { type: 'many2one', relation: 'helpdesk.ticket.team' },
      priority: { type: 'selection', selection: [['0', 'Low'], ['1', 'Medium'], ['2', 'High'], ['3', 'Very High']], default: '1' },
      sequence: { type: 'integer', default: 10 },
      active: { type: 'boolean', default: true },
    },
    displayName: (r) => `${String(r['number'])} - ${String(r['name'])}`,
    access: acl,
    beforeCreate: (vals, env) => {
      vals['number'] = `HT${String(nextSequence(env.orm, 'helpdesk.ticket.sequence')).padStart(5, '0')}`;
      if (!vals['stage_id']) {
        const first = [...env.orm.table('helpdesk.ticket.stage').values()].sort((a, b) => (a['sequence'] as number) - (b['sequence'] as number))[0];
        if (first) vals['stage_id'] = first.id;
      }
      vals['last_stage_update'] = toOdooDatetime(env.orm.now());
    },
    beforeWrite: (rec, vals, env) => {
      if ('stage_id' in vals && vals['stage_id'] !== rec['stage_id']) {
        const now = toOdooDatetime(env.orm.now());
        vals['last_stage_update'] = now;
        vals['closed_date'] = stageOf(env, vals['stage_id'])?.['closed'] ? now : false;
      }
    },
  });
}

/** Odoo posts a notification with tracking values when a tracked field changes. */
export function trackChanges(env: Env, model: string, rec: Rec, vals: Record<string, unknown>, tracked: string[]): void {
  const orm = env.orm;
  const changes = tracked.filter((f) => f in vals && vals[f] !== rec[f]);
  if (!changes.length) return;
  const def = orm.model(model);
  const msg = orm.insert(
    'mail.message',
    {
      model,
      res_id: rec.id,
      body: '',
      message_type: 'notification',
      subtype_id: orm.refOrNull('mail.mt_note') ?? false,
      is_internal: true,
      author_id: orm.table('res.users').get(env.uid)?.['partner_id'] ?? false,
      date: toOdooDatetime(orm.now()),
      record_name: orm.displayName(model, rec, env),
    },
    env,
  );
  for (const f of changes) {
    const field = def.fields[f]!;
    const fieldId = [...orm.table('ir.model.fields').values()].find((x) => x['model'] === model && x['name'] === f)?.id ?? false;
    const label = (v: unknown) => {
      if (field.type === 'many2one') {
        const co = typeof v === 'number' ? orm.table(field.relation!).get(v) : undefined;
        return co ? orm.displayName(field.relation!, co, env) : '';
      }
      if (field.type === 'selection') return field.selection!.find(([k]) => k === v)?.[1] ?? '';
      return v === false ? '' : String(v);
    };
    orm.insert(
      'mail.tracking.value',
      {
        field_id: fieldId,
        field_info: { desc: field.string ?? f, name: f, type: field.type },
        old_value_integer: field.type === 'many2one' && typeof rec[f] === 'number' ? rec[f] : 0,
        new_value_integer: field.type === 'many2one' && typeof vals[f] === 'number' ? vals[f] : 0,
        old_value_char: label(rec[f]),
        new_value_char: label(vals[f]),
        mail_message_id: msg.id,
      },
      env,
    );
  }
  msg['tracking_value_ids'] = [...orm.table('mail.tracking.value').values()].filter((t) => t['mail_message_id'] === msg.id).map((t) => t.id);
}

function nextSequence(orm: Orm, code: string): number {
  const seqs = (orm as unknown as { _seq?: Map<string, number> });
  seqs._seq ??= new Map();
  const n = (seqs._seq.get(code) ?? 0) + 1;
  seqs._seq.set(code, n);
  return n;
}

function applySla(env: Env, ticket: Rec): void {
  const orm = env.orm;
  const team = typeof ticket['team_id'] === 'number' ? orm.table('helpdesk.team').get(ticket['team_id']) : undefined;
  if (!team?.['use_sla']) return;
  const created = new Date(String(ticket['create_date']).replace(' ', 'T') + 'Z');
  for (const sla of orm.table('helpdesk.sla').values()) {
    if (sla['team_id'] !== team.id || String(sla['priority']) > String(ticket['priority'])) continue;
    if (String(sla['priority']) !== String(ticket['priority']) && sla['priority'] !== '0') continue;
    orm.insert('helpdesk.sla.status', {
      ticket_id: ticket.id,
      sla_id: sla.id,
      sla_stage_id: sla['stage_id'],
      deadline: toOdooDatetime(new Date(created.getTime() + Number(sla['time']) * 3600_000)),
      status: 'ongoing',
    }, env);
  }
  ticket['sla_status_ids'] = [...orm.table('helpdesk.sla.status').values()].filter((s) => s['ticket_id'] === ticket.id).map((s) => s.id);
}

function reachSla(env: Env, ticket: Rec): void {
  const orm = env.orm;
  const stage = typeof ticket['stage_id'] === 'number' ? orm.table('helpdesk.stage').get(ticket['stage_id']) : undefined;
  if (!stage) return;
  const now = toOdooDatetime(orm.now());
  for (const id of (ticket['sla_status_ids'] as number[]) ?? []) {
    const s = orm.table('helpdesk.sla.status').get(id);
    if (!s || s['reached_datetime']) continue;
    const target = typeof s['sla_stage_id'] === 'number' ? orm.table('helpdesk.stage').get(s['sla_stage_id']) : undefined;
    if (target && (stage['sequence'] as number) >= (target['sequence'] as number)) {
      s['reached_datetime'] = now;
      s['status'] = typeof s['deadline'] === 'string' && s['deadline'] < now ? 'failed' : 'reached';
    }
  }
}

function defineMail(orm: Orm): void {
  orm.define({
    name: 'mail.message.subtype',
    description: 'Message subtypes',
    fields: { name: { type: 'char', required: true }, internal: { type: 'boolean', default: false }, description: { type: 'text' } },
  });
  orm.define({
    name: 'mail.message',
    description: 'Message',
    order: 'id desc',
    fields: {
      model: { type: 'char', string: 'Related Document Model' },
      res_id: { type: 'integer', string: 'Related Document ID' },
      record_name: { type: 'char', string: 'Message Record Name' },
      body: { type: 'html', string: 'Contents', default: '' },
      subject: { type: 'char' },
      date: { type: 'datetime', default: (env: Env) => toOdooDatetime(env.orm.now()) },
      author_id: { type: 'many2one', relation: 'res.partner', string: 'Author' },
      email_from: { type: 'char', string: 'From' },
      message_type: {
        type: 'selection',
        selection: [['email', 'Incoming Email'], ['comment', 'Comment'], ['email_outgoing', 'Outgoing Email'], ['notification', 'System notification'], ['auto_comment', 'Automated Targeted Notification'], ['user_notification', 'User Specific Notification']],
        default: 'comment',
        required: true,
      },
      subtype_id: { type: 'many2one', relation: 'mail.message.subtype', string: 'Subtype' },
      is_internal: { type: 'boolean', string: 'Employee Only', default: false },
      tracking_value_ids: { type: 'one2many', relation: 'mail.tracking.value', inverse: 'mail_message_id', string: 'Tracking values' },
      partner_ids: { type: 'many2many', relation: 'res.partner', string: 'Recipients' },
      attachment_ids: { type: 'many2many', relation: 'ir.attachment', string: 'Attachments' },
      parent_id: { type: 'many2one', relation: 'mail.message', string: 'Parent Message' },
    },
    displayName: (r) => String(r['subject'] || r['record_name'] || `mail.message,${r.id}`),
    rules: [
      {
        name: 'mail.message follows its document',
        groups: [],
        perms: ['read'],
        predicate: (rec, env) => {
          const m = rec['model'];
          if (rec['is_internal'] && !env.orm.hasGroup(env.uid, 'base.group_user')) return false;
          if (typeof m !== 'string' || !m || !env.orm.models.has(m)) return true;
          const parent = env.orm.table(m).get(rec['res_id'] as number);
          if (!parent) return true;
          return env.orm.checkModelAccess(env, m, 'read', false) && env.orm.ruleAllows(env, m, parent, 'read');
        },
      },
    ],
  });
  orm.define({
    name: 'mail.tracking.value',
    description: 'Mail Tracking Value',
    fields: {
      field_id: { type: 'many2one', relation: 'ir.model.fields', string: 'Field' },
      field_info: { type: 'json' },
      old_value_integer: { type: 'integer' },
      old_value_float: { type: 'float' },
      old_value_char: { type: 'char' },
      old_value_text: { type: 'text' },
      old_value_datetime: { type: 'datetime' },
      new_value_integer: { type: 'integer' },
      new_value_float: { type: 'float' },
      new_value_char: { type: 'char' },
      new_value_text: { type: 'text' },
      new_value_datetime: { type: 'datetime' },
      mail_message_id: { type: 'many2one', relation: 'mail.message', required: true },
    },
    access: { read: ['base.group_user'], write: ['base.group_system'], create: ['base.group_system'], unlink: ['base.group_system'] },
  });
}

/** Fills ir.model / ir.model.fields from the defined models (for flavour probes and tracking values). */
export function registerIrModels(orm: Orm): void {
  for (const [name, def] of orm.models) {
    orm.insert('ir.model', { model: name, name: def.description });
    for (const [fname, f] of Object.entries(def.fields)) {
      orm.insert('ir.model.fields', { name: fname, model: name, field_description: f.string ?? fname, ttype: f.type, relation: f.relation ?? false });
    }
  }
}
