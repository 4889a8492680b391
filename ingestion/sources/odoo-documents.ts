/**
 * The Odoo Documents source. Lists `documents.document` records with their metadata (never their bytes), computes
 * each one's ACL from Odoo's own access model, and fetches bytes from `datas` one record at a time, only for records
 * whose content changed. ACLs:
 * - 17: the workspace's Read and Write Groups → `odoo-group:<id>`; a workspace without groups → `internal`; an
 *   "own documents only" workspace → the owner's partner only. Documents managers see everything.
 * - 18/19: `access_internal` ≠ none → `internal`; each unexpired `access_ids` row that grants something →
 *   `odoo-partner:<id>`; the owner → their partner; link access from a readable parent folder inherits that folder's
 *   principals; the documents system group sees everything.
 * This mirrors the simulator's `user_permission` / record rules, which the sync test checks user by user.
 */
import { z } from 'zod';
import type { OdooClient } from '../../odoo/client.js';
import { detectFlavour } from '../../odoo/flavour.js';
import { odooMany2one, odooText } from '../../odoo/schemas.js';
import type { IngestDocument } from '../pipeline-types.js';
import type { Source } from '../types.js';

export const ODOO_SOURCE_NAME = 'odoo';

/** Metadata of one document: everything the sync needs to decide, without the bytes. */
export interface OdooDocumentMeta {
  id: number;
  name: string;
  type: string;
  active: boolean;
  writeDate: string;
  /** SHA-1 of the bytes (binary) or the link (url); empty for folders and requests. */
  contentKey: string;
  mimetype: string | null;
  url: string | null;
  acl: string[];
}

const ids = z.array(z.number().int());
const perm = z.union([z.enum(['view', 'edit', 'none']), z.literal(false)]).transform((v) => (v === false ? 'none' : v));

const docBase = z.object({
  id: z.number().int(),
  name: odooText,
  type: odooText,
  active: z.boolean().default(true),
  write_date: z.string(),
  checksum: odooText,
  mimetype: odooText,
  url: odooText,
  folder_id: odooMany2one,
  owner_id: odooMany2one,
});
const doc17 = docBase;
const doc18 = docBase.extend({
  access_internal: perm.default('none'),
  access_via_link: perm.default('none'),
  is_access_via_link_hidden: z.boolean().default(false),
  access_ids: ids.default([]),
});
type Doc18 = z.infer<typeof doc18>;

const folder17 = z.object({
  id: z.number().int(),
  group_ids: ids,
  read_group_ids: ids,
  user_specific: z.boolean().default(false),
  user_specific_write: z.boolean().default(false),
});
type Folder17 = z.infer<typeof folder17>;

const access18 = z.object({
  id: z.number().int(),
  partner_id: odooMany2one,
  role: z.union([z.enum(['view', 'edit']), z.literal(false)]),
  expiration_date: odooText,
});

const FIELDS_BASE = ['name', 'type', 'active', 'write_date', 'checksum', 'mimetype', 'url', 'folder_id', 'owner_id'];
const FIELDS_18 = [...FIELDS_BASE, 'access_internal', 'access_via_link', 'is_access_via_link_hidden', 'access_ids'];

export interface OdooDocumentsSourceOptions {
  client: OdooClient;
  pageSize?: number;
  /** Clock for expiry of `documents.access` rows (UTC). */
  now?: () => Date;
}

const toOdooTime = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

export function odooDocumentPath(id: number): string {
  return `odoo:documents.document/${id}`;
}

/** Per-run caches: folders, owners' partners, group ids by xmlid. */
class AclContext {
  private readonly userPartner = new Map<number, number | null>();
  private readonly folders17 = new Map<number, Folder17>();
  private readonly docs18 = new Map<number, Doc18>();
  private readonly docAcl18 = new Map<number, string[]>();
  private groupIds: Promise<Map<string, number>> | undefined;

  constructor(
    private readonly client: OdooClient,
    private readonly now: () => Date,
  ) {}

  private groups(): Promise<Map<string, number>> {
    this.groupIds ??= this.client
      .searchRead('ir.model.data', [['model', '=', 'res.groups'], ['module', 'in', ['documents']]], { fields: ['module', 'name', 'res_id'] })
      .then((rows) => new Map(rows.map((r) => [`${String(r['module'])}.${String(r['name'])}`, Number(r['res_id'])])));
    return this.groupIds;
  }

  private async adminPrincipals(xmlids: string[]): Promise<string[]> {
    const g = await this.groups();
    return xmlids.map((x) => g.get(x)).filter((x): x is number => x !== undefined).map((id) => `odoo-group:${id}`);
  }

  async partnerOf(uid: number): Promise<number | null> {
    if (!this.userPartner.has(uid)) {
      const [u] = await this.client.read('res.users', [uid], ['partner_id'], { active_test: false });
      this.userPartner.set(uid, u ? (odooMany2one.parse(u['partner_id'])?.id ?? null) : null);
    }
    return this.userPartner.get(uid) ?? null;
  }

  async prefetchFolders17(): Promise<void> {
    const rows = await this.client.searchReadAll('documents.folder', [], {
      fields: ['group_ids', 'read_group_ids', 'user_specific', 'user_specific_write'],
      context: { active_test: false },
    });
    for (const r of rows) this.folders17.set(r.id, folder17.parse(r));
  }

  async acl17(doc: z.infer<typeof doc17>): Promise<string[]> {
    const managers = await this.adminPrincipals(['documents.group_documents_manager']);
    const folder = doc.folder_id ? this.folders17.get(doc.folder_id.id) : undefined;
    if (!folder) return managers;
    const owner = doc.owner_id ? await this.partnerOf(doc.owner_id.id) : null;
    const out = new Set(managers);
    // A workspace without groups is open to everyone who has the Documents app (model access: Documents / User).
    if (!folder.group_ids.length && !folder.read_group_ids.length) {
      for (const p of await this.adminPrincipals(['documents.group_documents_user'])) out.add(p);
    }
    // "Own documents only" needs group membership AND ownership; an overlap ACL cannot say AND, so only the owner
    // gets in (never wider than Odoo).
    if (folder.user_specific) {
      if (owner) out.add(`odoo-partner:${owner}`);
    } else {
      for (const g of folder.read_group_ids) out.add(`odoo-group:${g}`);
    }
    if (folder.user_specific_write) {
      if (owner) out.add(`odoo-partner:${owner}`);
    } else {
      for (const g of folder.group_ids) out.add(`odoo-group:${g}`);
    }
    return [...out].sort();
  }

  rememberDoc18(doc: Doc18): void {
    this.docs18.set(doc.id, doc);
  }

  private async doc18ById(id: number): Promise<Doc18 | undefined> {
    if (!this.docs18.has(id)) {
      const [r] = await this.client.read('documents.document', [id], FIELDS_18, { active_test: false });
      if (r) this.docs18.set(id, doc18.parse(r));
    }
    return this.docs18.get(id);
  }

  private readonly access = new Map<number, z.infer<typeof access18>>();

  /** Reads the access rows of a whole page in one call instead of one call per document. */
  async prefetchAccess(accessIds: number[]): Promise<void> {
    const missing = [...new Set(accessIds)].filter((id) => !this.access.has(id));
    for (let i = 0; i < missing.length; i += 500) {
      const rows = await this.client.read('documents.access', missing.slice(i, i + 500), ['partner_id', 'role', 'expiration_date']);
      for (const r of rows) this.access.set(r.id, access18.parse(r));
    }
  }

  private async accessRows(accessIds: number[]) {
    await this.prefetchAccess(accessIds);
    return accessIds.map((id) => this.access.get(id)).filter((a): a is z.infer<typeof access18> => a !== undefined);
  }

  /** Principals who get any permission on a document, following `_compute_user_permission`. */
  async acl18(doc: Doc18, seen: Set<number> = new Set()): Promise<string[]> {
    const cached = this.docAcl18.get(doc.id);
    if (cached) return cached;
    const out = new Set(await this.adminPrincipals(['documents.group_documents_system']));
    if (doc.owner_id) {
      const p = await this.partnerOf(doc.owner_id.id);
      if (p) out.add(`odoo-partner:${p}`);
    }
    const now = toOdooTime(this.now());
    for (const a of await this.accessRows(doc.access_ids)) {
      if (a.expiration_date && a.expiration_date <= now) continue;
      const role = a.role || doc.access_via_link;
      if (role !== 'none' && a.partner_id) out.add(`odoo-partner:${a.partner_id.id}`);
    }
    if (doc.access_internal !== 'none') out.add('internal');
    // Link access inherited from a parent folder the user can open.
    if (doc.folder_id && doc.access_via_link !== 'none' && !doc.is_access_via_link_hidden && !seen.has(doc.id)) {
      const parent = await this.doc18ById(doc.folder_id.id);
      if (parent) for (const p of await this.acl18(parent, new Set([...seen, doc.id]))) out.add(p);
    }
    const acl = [...out].sort();
    this.docAcl18.set(doc.id, acl);
    return acl;
  }
}

export class OdooDocumentsSource implements Source {
  readonly name = ODOO_SOURCE_NAME;
  private readonly client: OdooClient;
  private readonly pageSize: number;
  private readonly now: () => Date;

  constructor(opts: OdooDocumentsSourceOptions) {
    this.client = opts.client;
    this.pageSize = opts.pageSize ?? 100;
    this.now = opts.now ?? (() => new Date());
  }

  private async flavour(): Promise<'17' | '18+'> {
    const f = await detectFlavour(this.client);
    if (!f.documents) throw new Error('the Documents app is not installed on this Odoo (no documents.document model)');
    return f.documents;
  }

  /** Starts a run: ACL caches live for one run only, so access changes are seen on the next one. */
  async beginRun(): Promise<{ flavour: '17' | '18+'; ctx: AclContext }> {
    const flavour = await this.flavour();
    const ctx = new AclContext(this.client, this.now);
    if (flavour === '17') await ctx.prefetchFolders17();
    return { flavour, ctx };
  }

  private async prefetchPage(rows: { [k: string]: unknown }[], run: { flavour: '17' | '18+'; ctx: AclContext }): Promise<void> {
    if (run.flavour === '17') return;
    await run.ctx.prefetchAccess(rows.flatMap((r) => (Array.isArray(r['access_ids']) ? (r['access_ids'] as number[]) : [])));
  }

  private async toMeta(raw: Record<string, unknown> & { id: number }, run: { flavour: '17' | '18+'; ctx: AclContext }): Promise<OdooDocumentMeta> {
    let base: z.infer<typeof docBase>;
    let acl: string[];
    if (run.flavour === '17') {
      base = doc17.parse(raw);
      acl = await run.ctx.acl17(base);
    } else {
      const d = doc18.parse(raw);
      run.ctx.rememberDoc18(d);
      base = d;
      acl = await run.ctx.acl18(d);
    }
    const type = base.type ?? 'binary';
    return {
      id: base.id,
      name: base.name ?? `Document ${base.id}`,
      type,
      active: base.active,
      writeDate: base.write_date,
      contentKey: type === 'url' ? `url:${base.url ?? ''}` : base.checksum ? `sha1:${base.checksum}` : '',
      mimetype: base.mimetype,
      url: base.url,
      acl,
    };
  }

  /**
   * Pages of documents changed at or after `since` (archived ones included, so they can leave the index), in
   * (write_date, id) order, resuming after `afterId` within the `since` second. Keyset paging, so records that
   * change during the listing neither shift nor duplicate pages.
   */
  async *changedSince(
    since: string | null,
    afterId = 0,
    run?: { flavour: '17' | '18+'; ctx: AclContext },
  ): AsyncGenerator<OdooDocumentMeta[]> {
    const r = run ?? (await this.beginRun());
    const fields = r.flavour === '17' ? FIELDS_BASE : FIELDS_18;
    let cursor: { date: string | null; id: number } = { date: since, id: afterId };
    for (;;) {
      const domain: unknown[] = cursor.date
        ? ['|', ['write_date', '>', cursor.date], '&', ['write_date', '=', cursor.date], ['id', '>', cursor.id]]
        : [['id', '>', cursor.id]];
      const rows = await this.client.searchRead('documents.document', domain, {
        fields,
        order: cursor.date ? 'write_date asc, id asc' : 'write_date asc, id asc',
        limit: this.pageSize,
        context: { active_test: false },
      });
      if (!rows.length) return;
      await this.prefetchPage(rows, r);
      const metas: OdooDocumentMeta[] = [];
      for (const row of rows) metas.push(await this.toMeta(row, r));
      yield metas;
      const last = metas[metas.length - 1]!;
      if (!cursor.date || last.writeDate !== cursor.date) cursor = { date: last.writeDate, id: last.id };
      else cursor = { date: cursor.date, id: last.id };
      if (rows.length < this.pageSize) return;
    }
  }

  /** Every live (active, non-folder) document with its current ACL: for the periodic deletion and access diff. */
  async listLive(run?: { flavour: '17' | '18+'; ctx: AclContext }): Promise<OdooDocumentMeta[]> {
    const r = run ?? (await this.beginRun());
    const fields = r.flavour === '17' ? FIELDS_BASE : FIELDS_18;
    const out: OdooDocumentMeta[] = [];
    for await (const page of this.client.searchReadPages('documents.document', [], { fields, order: 'id asc', pageSize: this.pageSize })) {
      await this.prefetchPage(page, r);
      for (const row of page) {
        const meta = await this.toMeta(row, r);
        if (isIndexable(meta)) out.push(meta);
      }
    }
    return out;
  }

  /** The document as the ingest pipeline takes it; bytes are read from `datas` for this one record only. */
  async fetch(meta: OdooDocumentMeta): Promise<IngestDocument> {
    const base = {
      externalId: String(meta.id),
      path: odooDocumentPath(meta.id),
      version: documentVersion(meta),
      acl: meta.acl,
      url: this.client.recordUrl('documents.document', meta.id),
    };
    if (meta.type === 'url') {
      return {
        ...base,
        title: meta.name,
        mimetype: 'text/markdown',
        text: `# ${meta.name}\n\n${meta.name}: ${meta.url ?? ''}\n`,
      };
    }
    const [row] = await this.client.read('documents.document', [meta.id], ['datas', 'name', 'mimetype', 'checksum']);
    const datas = row ? odooText.parse(row['datas']) : null;
    if (!datas) {
      return { ...base, title: meta.name, problem: { reason: 'empty', message: `${meta.name} (${base.path}): the document has no file content` } };
    }
    return {
      ...base,
      ...(meta.mimetype ? { mimetype: meta.mimetype } : {}),
      bytes: new Uint8Array(Buffer.from(datas, 'base64')),
    };
  }

  /** A full listing with bytes (the `Source` contract, for `runIngest`); the sync uses the incremental methods. */
  async *documents(): AsyncIterable<IngestDocument> {
    for (const meta of await this.listLive()) yield this.fetch(meta);
  }
}

/** Folders and requests (no file) are not SOPs; archived documents leave the index. */
export function isIndexable(meta: OdooDocumentMeta): boolean {
  if (!meta.active) return false;
  if (meta.type === 'folder' || meta.type === 'empty') return false;
  return meta.type === 'url' ? !!meta.url : true;
}

/** Changes when the content changes (not when only access or the folder changes). */
export function documentVersion(meta: OdooDocumentMeta): string {
  return `${meta.contentKey}|${meta.name}`;
}
