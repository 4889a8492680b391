/**
 * The simulator's in-memory ORM: models with typed fields, records, search/read/create/write/unlink/fields_get, model
 * access (ACL per operation and group) and record rules (global rules ANDed, group rules ORed), `active_test`,
 * many2one display pairs, x2many commands, and `create_date`/`write_date` bookkeeping. Values are stored the way
 * Odoo's database holds them (`false` for NULL, ids for many2one, id lists for x2many) and formatted on read.
 */
import { createHash } from 'node:crypto';
import { compareScalar, mentionsField, parseDomain } from './domain.js';
import type { DomainNode } from './domain.js';
import { accessError, missingError, OdooException, typeError, userError, validationError, valueError } from './exceptions.js';

export type FieldType =
  | 'char' | 'text' | 'html' | 'integer' | 'float' | 'boolean' | 'selection' | 'date' | 'datetime'
  | 'many2one' | 'one2many' | 'many2many' | 'binary' | 'json';

export type Rec = { id: number } & Record<string, unknown>;

export interface Env {
  orm: Orm;
  uid: number;
  context: Record<string, unknown>;
  /** Superuser mode: access checks skipped (seeding, computed fields). */
  su: boolean;
}

export interface FieldDef {
  type: FieldType;
  string?: string;
  relation?: string;
  /** one2many: the many2one field on the co-model pointing back. */
  inverse?: string;
  selection?: [string, string][];
  required?: boolean;
  readonly?: boolean;
  default?: unknown | ((env: Env) => unknown);
  /** Computed on read and in domains (not stored). */
  compute?: (rec: Rec, env: Env) => unknown;
}

export type Operation = 'read' | 'write' | 'create' | 'unlink';

export interface RecordRule {
  name: string;
  /** Group xmlids; empty = global rule. */
  groups: string[];
  perms: Operation[];
  domain?: (env: Env) => unknown[];
  /** For rules that depend on another model's access (mail.message follows its document). */
  predicate?: (rec: Rec, env: Env) => boolean;
}

export interface ModelDef {
  name: string;
  description: string;
  fields: Record<string, FieldDef>;
  order?: string;
  recName?: string;
  parentName?: string;
  logAccess?: boolean;
  displayName?: (rec: Rec, env: Env) => string;
  /** Group xmlids allowed per operation; a missing entry = every authenticated user. */
  access?: Partial<Record<Operation, string[]>>;
  rules?: RecordRule[];
  /** Hooks for business logic (helpdesk stage semantics, attachments, sequences). */
  beforeCreate?: (vals: Record<string, unknown>, env: Env) => void;
  afterCreate?: (rec: Rec, env: Env) => void;
  beforeWrite?: (rec: Rec, vals: Record<string, unknown>, env: Env) => void;
  afterWrite?: (rec: Rec, vals: Record<string, unknown>, env: Env) => void;
  /** Whether the model has a chatter (`message_post`). */
  mailThread?: boolean;
}

const LOG_FIELDS: Record<string, FieldDef> = {
  create_date: { type: 'datetime', string: 'Created on', readonly: true },
  write_date: { type: 'datetime', string: 'Last Updated on', readonly: true },
  create_uid: { type: 'many2one', relation: 'res.users', string: 'Created by', readonly: true },
  write_uid: { type: 'many2one', relation: 'res.users', string: 'Last Updated by', readonly: true },
};

export function toOdooDatetime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

export class Orm {
  readonly models = new Map<string, ModelDef>();
  private readonly tables = new Map<string, Map<number, Rec>>();
  private readonly nextIds = new Map<string, number>();
  private readonly xmlids = new Map<string, { model: string; id: number }>();
  now: () => Date = () => new Date();

  define(def: ModelDef): void {
    const fields: Record<string, FieldDef> = {
      id: { type: 'integer', string: 'ID', readonly: true },
      display_name: { type: 'char', string: 'Display Name', readonly: true, compute: (rec, env) => this.displayName(def.name, rec, env) },
      ...def.fields,
      ...(def.logAccess === false ? {} : LOG_FIELDS),
    };
    this.models.set(def.name, { ...def, fields });
    this.tables.set(def.name, new Map());
    this.nextIds.set(def.name, 1);
  }

  model(name: string): ModelDef {
    const m = this.models.get(name);
    if (!m) throw new OdooException('odoo.exceptions.UserError', `Object ${name} doesn't exist`, 404);
    return m;
  }

  table(name: string): Map<number, Rec> {
    this.model(name);
    return this.tables.get(name)!;
  }

  // ------------------------------------------------------------ xmlids and groups

  setXmlid(xmlid: string, model: string, id: number): void {
    this.xmlids.set(xmlid, { model, id });
    if (this.models.has('ir.model.data')) {
      const [module, name] = xmlid.split('.') as [string, string];
      this.insert('ir.model.data', { module, name, model, res_id: id });
    }
  }

  ref(xmlid: string): number {
    const r = this.xmlids.get(xmlid);
    if (!r) throw valueError(`External ID not found in the system: ${xmlid}`);
    return r.id;
  }

  refOrNull(xmlid: string): number | null {
    return this.xmlids.get(xmlid)?.id ?? null;
  }

  /** A user's groups including implied ones (what 17/18 materialise in `groups_id` and 19 computes as `all_group_ids`). */
  userGroupIds(uid: number): Set<number> {
    const user = this.tables.get('res.users')?.get(uid);
    const direct = ((user?.['groups_id'] ?? user?.['group_ids']) as number[] | undefined) ?? [];
    const out = new Set<number>();
    const groups = this.tables.get('res.groups')!;
    const visit = (gid: number) => {
      if (out.has(gid)) return;
      out.add(gid);
      for (const implied of (groups.get(gid)?.['implied_ids'] as number[] | undefined) ?? []) visit(implied);
    };
    direct.forEach(visit);
    return out;
  }

  hasGroup(uid: number, xmlid: string): boolean {
    const gid = this.refOrNull(xmlid);
    return gid !== null && this.userGroupIds(uid).has(gid);
  }

  // ------------------------------------------------------------ raw storage (no access checks)

  /** Inserts a record as stored values (seeding and hooks). Applies defaults and log fields. */
  insert(model: string, vals: Record<string, unknown>, env?: Env): Rec {
    const def = this.model(model);
    const id = this.nextIds.get(model)!;
    this.nextIds.set(model, id + 1);
    const rec: Rec = { id };
    const e = env ?? this.sudo();
    for (const [name, field] of Object.entries(def.fields)) {
      if (name === 'id' || field.compute || name in LOG_FIELDS) continue;
      if (name in vals) continue;
      const d = typeof field.default === 'function' ? (field.default as (env: Env) => unknown)(e) : field.default;
      rec[name] = d ?? (field.type === 'one2many' || field.type === 'many2many' ? [] : field.type === 'boolean' ? false : false);
    }
    for (const [k, v] of Object.entries(vals)) rec[k] = v;
    if (def.logAccess !== false) {
      const now = toOdooDatetime(this.now());
      rec['create_date'] ??= now;
      if (vals['write_date'] === undefined) rec['write_date'] = rec['create_date'];
      rec['create_uid'] = vals['create_uid'] ?? e.uid;
      rec['write_uid'] = vals['write_uid'] ?? e.uid;
    }
    this.tables.get(model)!.set(id, rec);
    return rec;
  }

  sudo(uid = 1): Env {
    return { orm: this, uid, context: {}, su: true };
  }

  env(uid: number, context: Record<string, unknown> = {}): Env {
    return { orm: this, uid, context, su: false };
  }

  // ------------------------------------------------------------ values

  displayName(model: string, rec: Rec, env: Env): string {
    const def = this.model(model);
    if (def.displayName) return def.displayName(rec, env);
    const v = rec[def.recName ?? 'name'];
    return typeof v === 'string' ? v : `${model},${rec.id}`;
  }

  /** The stored or computed value of a field. */
  value(model: string, rec: Rec, field: string, env: Env): unknown {
    const def = this.model(model);
    const f = def.fields[field];
    if (!f) throw valueError(`Invalid field '${field}' on model '${model}'`);
    if (field === 'id') return rec.id;
    if (f.compute) return f.compute(rec, { ...env, su: true });
    return rec[field] ?? false;
  }

  private formatValue(model: string, rec: Rec, field: string, env: Env, load: boolean): unknown {
    const f = this.model(model).fields[field]!;
    const v = this.value(model, rec, field, env);
    if (f.type === 'many2one') {
      if (v === false || v === null || v === undefined) return false;
      const co = this.tables.get(f.relation!)?.get(v as number);
      if (!load) return v;
      return [v, co ? this.displayName(f.relation!, co, env) : ''];
    }
    if (f.type === 'one2many' || f.type === 'many2many') return Array.isArray(v) ? [...(v as number[])] : [];
    if (f.type === 'binary' && v && env.context['bin_size']) return `${Buffer.from(String(v), 'base64').length} bytes`;
    if (v === null || v === undefined) return false;
    return v;
  }

  // ------------------------------------------------------------ domains

  private relatedIds(model: string, rec: Rec, field: string, env: Env): number[] {
    const v = this.value(model, rec, field, env);
    if (Array.isArray(v)) return v as number[];
    return typeof v === 'number' ? [v] : [];
  }

  private descendants(model: string, roots: number[], parentField: string, up: boolean): Set<number> {
    const table = this.table(model);
    const out = new Set<number>(roots);
    let changed = true;
    while (changed) {
      changed = false;
      for (const rec of table.values()) {
        const parent = rec[parentField];
        if (!up && typeof parent === 'number' && out.has(parent) && !out.has(rec.id)) {
          out.add(rec.id);
          changed = true;
        }
        if (up && out.has(rec.id) && typeof parent === 'number' && !out.has(parent)) {
          out.add(parent);
          changed = true;
        }
      }
    }
    return out;
  }

  private evalLeaf(model: string, rec: Rec, path: string, op: string, operand: unknown, env: Env): boolean {
    const def = this.model(model);
    const [head, ...rest] = path.split('.');
    const fname = head!;
    const f = def.fields[fname];
    if (!f) throw valueError(`Invalid field ${model}.${fname} in leaf ('${path}', '${op}', ${JSON.stringify(operand)})`);
    const relational = f.type === 'many2one' || f.type === 'one2many' || f.type === 'many2many';

    if (rest.length) {
      if (!relational) throw valueError(`Invalid path ${path} on ${model}`);
      const ids = this.relatedIds(model, rec, fname, env);
      const co = this.table(f.relation!);
      return ids.some((id) => {
        const r = co.get(id);
        return r !== undefined && this.evalLeaf(f.relation!, r, rest.join('.'), op, operand, env);
      });
    }

    if (op === 'any' || op === 'not any') {
      if (!relational) throw valueError(`Operator ${op} needs a relational field, not ${path}`);
      const sub = parseDomain(operand);
      const co = this.table(f.relation!);
      const hit = this.relatedIds(model, rec, fname, env).some((id) => {
        const r = co.get(id);
        return r !== undefined && this.evalNode(f.relation!, r, sub, env);
      });
      return op === 'any' ? hit : !hit;
    }

    if (op === 'child_of' || op === 'parent_of') {
      const target = relational ? f.relation! : model;
      const parentField = this.model(target).parentName;
      if (!parentField) throw valueError(`Model ${target} has no parent field for ${op}`);
      const roots = (Array.isArray(operand) ? operand : [operand]).filter((x): x is number => typeof x === 'number');
      const set = this.descendants(target, roots, parentField, op === 'parent_of');
      const ids = fname === 'id' ? [rec.id] : this.relatedIds(model, rec, fname, env);
      return ids.some((id) => set.has(id));
    }

    if (relational) {
      const ids = this.relatedIds(model, rec, fname, env);
      const stringOperand =
        typeof operand === 'string' || (Array.isArray(operand) && operand.some((o) => typeof o === 'string'));
      if (stringOperand && op !== '=?' ) {
        // A relational field compared with text matches on the co-records' display names.
        const co = this.table(f.relation!);
        const names = ids.map((id) => co.get(id)).filter((r): r is Rec => !!r).map((r) => this.displayName(f.relation!, r, env));
        const negative = op === '!=' || op === '<>' || op.startsWith('not');
        const positiveOp = op === '!=' || op === '<>' ? '=' : op === 'not in' ? 'in' : op.replace(/^not /, '');
        const hit = names.some((n) => compareScalar(n, positiveOp, operand));
        return negative ? !hit : hit;
      }
      if (f.type === 'many2one') return compareScalar(ids[0] ?? false, op, operand);
      // x2many: "contains any"; `= false` means empty.
      switch (op) {
        case '=':
        case '=?':
          if (operand === false || operand === null) return op === '=' ? ids.length === 0 : true;
          return ids.includes(operand as number);
        case '!=':
        case '<>':
          if (operand === false || operand === null) return ids.length > 0;
          return !ids.includes(operand as number);
        case 'in':
        case 'not in': {
          const list = Array.isArray(operand) ? operand : [operand];
          const hit = ids.some((id) => list.includes(id)) || (list.includes(false) && ids.length === 0);
          return op === 'in' ? hit : !hit;
        }
        default:
          throw valueError(`Operator ${op} is not supported on ${f.type} field ${path}`);
      }
    }
    if (fname === 'id') return compareScalar(rec.id, op, operand);
    return compareScalar(this.value(model, rec, fname, env), op, operand);
  }

  evalNode(model: string, rec: Rec, node: DomainNode, env: Env): boolean {
    switch (node.kind) {
      case 'true':
        return true;
      case 'and':
        return this.evalNode(model, rec, node.left, env) && this.evalNode(model, rec, node.right, env);
      case 'or':
        return this.evalNode(model, rec, node.left, env) || this.evalNode(model, rec, node.right, env);
      case 'not':
        return !this.evalNode(model, rec, node.child, env);
      case 'leaf': {
        const [path, op, operand] = node.leaf;
        // Constant leaves (1, '=', 1) and (0, '=', 1).
        if (typeof path === 'number') return compareScalar(path, op, operand);
        return this.evalLeaf(model, rec, path, op, operand, env);
      }
    }
  }

  // ------------------------------------------------------------ access

  checkModelAccess(env: Env, model: string, op: Operation, raise = true): boolean {
    if (env.su) return true;
    const allowed = this.model(model).access?.[op];
    if (!allowed) return true;
    const groups = this.userGroupIds(env.uid);
    const ok = allowed.some((x) => {
      const gid = this.refOrNull(x);
      return gid !== null && groups.has(gid);
    });
    if (!ok && raise) {
      const description = this.model(model).description;
      throw accessError(
        `You are not allowed to ${op === 'read' ? 'access' : op} '${description}' (${model}) records.\n\n` +
          `This operation is allowed for the following groups:\n${allowed.map((g) => `\t- ${g}`).join('\n')}\n\n` +
          'Contact your administrator to request access if necessary.',
      );
    }
    return ok;
  }

  /** Whether the record rules let the user perform `op` on `rec`. */
  ruleAllows(env: Env, model: string, rec: Rec, op: Operation): boolean {
    if (env.su) return true;
    const rules = (this.model(model).rules ?? []).filter((r) => r.perms.includes(op));
    if (!rules.length) return true;
    const groups = this.userGroupIds(env.uid);
    const inner = { ...env, su: true };
    const test = (r: RecordRule) =>
      (r.domain ? this.evalNode(model, rec, parseDomain(r.domain(env)), inner) : true) && (r.predicate ? r.predicate(rec, env) : true);
    const global = rules.filter((r) => r.groups.length === 0);
    const applicable = rules.filter((r) => r.groups.some((g) => {
      const gid = this.refOrNull(g);
      return gid !== null && groups.has(gid);
    }));
    if (!global.every(test)) return false;
    const groupRules = rules.filter((r) => r.groups.length > 0);
    if (groupRules.length && !applicable.length) return true;
    return !applicable.length || applicable.some(test);
  }

  private checkRules(env: Env, model: string, recs: Rec[], op: Operation): void {
    const denied = recs.filter((r) => !this.ruleAllows(env, model, r, op));
    if (denied.length) {
      const user = this.tables.get('res.users')?.get(env.uid);
      throw accessError(
        `Uh-oh! Looks like you have stumbled upon some top-secret records.\n\n` +
          `Sorry, ${String(user?.['name'] ?? env.uid)} (id=${env.uid}) doesn't have '${op}' access to:\n` +
          denied.map((r) => `- ${this.model(model).description} (${model}: ${r.id})`).join('\n'),
      );
    }
  }

  // ------------------------------------------------------------ ORM methods

  search(env: Env, model: string, domain: unknown[], opts: { offset?: number; limit?: number | false; order?: string } = {}): Rec[] {
    const def = this.model(model);
    this.checkModelAccess(env, model, 'read');
    const node = parseDomain(domain ?? []);
    const activeTest = 'active' in def.fields && env.context['active_test'] !== false && !mentionsField(node, 'active');
    const rows = [...this.table(model).values()].filter(
      (r) => (!activeTest || r['active'] !== false) && this.evalNode(model, r, node, env) && this.ruleAllows(env, model, r, 'read'),
    );
    this.sort(model, rows, opts.order ?? def.order ?? 'id', env);
    const offset = opts.offset ?? 0;
    return typeof opts.limit === 'number' && opts.limit > 0 ? rows.slice(offset, offset + opts.limit) : rows.slice(offset);
  }

  private sort(model: string, rows: Rec[], order: string, env: Env): void {
    const def = this.model(model);
    const keys = order.split(',').map((part) => {
      const [field = 'id', dir = 'asc'] = part.trim().split(/\s+/);
      if (!def.fields[field]) throw valueError(`Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`);
      return { field, desc: dir.toLowerCase() === 'desc' };
    });
    const keyOf = (r: Rec, field: string): unknown => {
      const f = def.fields[field]!;
      const v = this.value(model, r, field, env);
      if (f.type === 'many2one' && typeof v === 'number') {
        const co = this.tables.get(f.relation!)?.get(v);
        return co ? this.displayName(f.relation!, co, env) : v;
      }
      return v;
    };
    rows.sort((a, b) => {
      for (const { field, desc } of keys) {
        const x = keyOf(a, field);
        const y = keyOf(b, field);
        if (x === y) continue;
        // Postgres puts NULLs last in ascending order and first in descending order.
        if (x === false || x === null) return desc ? -1 : 1;
        if (y === false || y === null) return desc ? 1 : -1;
        const c = (x as number | string) < (y as number | string) ? -1 : 1;
        return desc ? -c : c;
      }
      return 0;
    });
  }

  count(env: Env, model: string, domain: unknown[], limit?: number): number {
    const n = this.search(env, model, domain).length;
    return limit ? Math.min(n, limit) : n;
  }

  browse(env: Env, model: string, ids: number[], op: Operation = 'read'): Rec[] {
    const table = this.table(model);
    const missing = ids.filter((id) => !table.has(id));
    if (missing.length) {
      throw missingError(
        `Record does not exist or has been deleted.\n(Record: ${model}(${missing.join(', ')},), User: ${env.uid})`,
      );
    }
    const recs = ids.map((id) => table.get(id)!);
    this.checkModelAccess(env, model, op);
    this.checkRules(env, model, recs, op);
    return recs;
  }

  read(env: Env, model: string, ids: number[], fields?: string[] | false, load: boolean = true): Record<string, unknown>[] {
    const def = this.model(model);
    const names = fields && fields.length ? fields : Object.keys(def.fields).filter((f) => def.fields[f]!.type !== 'binary');
    for (const n of names) if (!def.fields[n]) throw valueError(`Invalid field '${n}' on model '${model}'`);
    const recs = this.browse(env, model, [...new Set(ids)], 'read');
    const byId = new Map(recs.map((r) => [r.id, r]));
    return ids.map((id) => {
      const rec = byId.get(id)!;
      const out: Record<string, unknown> = { id };
      for (const n of names) if (n !== 'id') out[n] = this.formatValue(model, rec, n, env, load);
      return out;
    });
  }

  searchRead(env: Env, model: string, domain: unknown[], fields?: string[] | false, opts: { offset?: number; limit?: number | false; order?: string; load?: boolean } = {}): Record<string, unknown>[] {
    const recs = this.search(env, model, domain, opts);
    return this.read(env, model, recs.map((r) => r.id), fields, opts.load ?? true);
  }

  /** Converts write values (x2many commands, many2one ids) into stored values. */
  private convertVals(env: Env, model: string, rec: Rec | null, vals: Record<string, unknown>): Record<string, unknown> {
    const def = this.model(model);
    const out: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(vals)) {
      const f = def.fields[name];
      if (!f) throw valueError(`Invalid field '${name}' on model '${model}'`);
      if (f.compute || name === 'id' || name in LOG_FIELDS) continue;
      if (f.type === 'one2many' || f.type === 'many2many') {
        out[name] = this.applyCommands(env, model, rec, name, f, raw);
      } else if (f.type === 'many2one') {
        if (raw === false || raw === null) out[name] = false;
        else if (typeof raw === 'number') {
          if (!this.table(f.relation!).has(raw)) throw missingError(`Record does not exist or has been deleted.\n(Record: ${f.relation}(${raw},), User: ${env.uid})`);
          out[name] = raw;
        } else throw valueError(`Wrong value for ${model}.${name}: ${JSON.stringify(raw)}`);
      } else if (f.type === 'selection') {
        if (raw !== false && raw !== null && !f.selection!.some(([k]) => k === raw)) {
          throw valueError(`Wrong value for ${model}.${name}: ${JSON.stringify(raw)}`);
        }
        out[name] = raw ?? false;
      } else if (f.type === 'integer' || f.type === 'float') {
        out[name] = raw === false || raw === null ? (f.type === 'integer' ? 0 : 0) : Number(raw);
      } else {
        out[name] = raw === null ? false : raw;
      }
    }
    return out;
  }

  private applyCommands(env: Env, model: string, rec: Rec | null, name: string, f: FieldDef, raw: unknown): number[] {
    let ids = rec ? [...((rec[name] as number[] | undefined) ?? [])] : [];
    if (!Array.isArray(raw)) throw valueError(`Wrong value for ${model}.${name}: ${JSON.stringify(raw)}`);
    for (const cmd of raw) {
      if (typeof cmd === 'number') {
        ids.push(cmd);
        continue;
      }
      if (!Array.isArray(cmd)) throw valueError(`Invalid command ${JSON.stringify(cmd)} for ${model}.${name}`);
      const [code, id, payload] = cmd as [number, number, unknown];
      switch (code) {
        case 0: {
          const vals = { ...(payload as Record<string, unknown>) };
          if (f.type === 'one2many' && f.inverse && rec) vals[f.inverse] = rec.id;
          ids.push(this.createOne(env, f.relation!, vals).id);
          break;
        }
        case 1:
          this.write(env, f.relation!, [id], payload as Record<string, unknown>);
          break;
        case 2:
          this.unlink(env, f.relation!, [id]);
          ids = ids.filter((x) => x !== id);
          break;
        case 3:
          ids = ids.filter((x) => x !== id);
          break;
        case 4:
          if (!ids.includes(id)) ids.push(id);
          break;
        case 5:
          ids = [];
          break;
        case 6:
          ids = [...(payload as number[])];
          break;
        default:
          throw valueError(`Invalid command ${code} for ${model}.${name}`);
      }
    }
    return [...new Set(ids)];
  }

  private createOne(env: Env, model: string, vals: Record<string, unknown>): Rec {
    const def = this.model(model);
    const v = { ...vals };
    def.beforeCreate?.(v, env);
    // one2many lines need the parent's id, so they are written once the record exists.
    const lines: Record<string, unknown> = {};
    for (const [name, f] of Object.entries(def.fields)) {
      if (f.type === 'one2many' && name in v) {
        lines[name] = v[name];
        delete v[name];
      }
    }
    const stored = this.convertVals(env, model, null, v);
    for (const [name, f] of Object.entries(def.fields)) {
      if (f.required && !f.compute && (stored[name] === undefined || stored[name] === false || stored[name] === '')) {
        const d = typeof f.default === 'function' ? (f.default as (e: Env) => unknown)(env) : f.default;
        if (d === undefined || d === false) {
          throw validationError(
            `The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${def.description} (${model})\nField: ${f.string ?? name} (${name})`,
          );
        }
      }
    }
    const rec = this.insert(model, stored, env);
    this.syncInverse(model, rec);
    if (Object.keys(lines).length) Object.assign(rec, this.convertVals(env, model, rec, lines));
    def.afterCreate?.(rec, env);
    return rec;
  }

  create(env: Env, model: string, valsList: Record<string, unknown>[]): Rec[] {
    this.checkModelAccess(env, model, 'create');
    const created = valsList.map((vals) => {
      if (typeof vals !== 'object' || vals === null || Array.isArray(vals)) throw typeError('create() values must be a dict');
      return this.createOne(env, model, vals);
    });
    try {
      this.checkRules(env, model, created, 'create');
    } catch (err) {
      // Odoo rolls the transaction back; so do we.
      for (const r of created) this.table(model).delete(r.id);
      throw err;
    }
    return created;
  }

  write(env: Env, model: string, ids: number[], vals: Record<string, unknown>): true {
    const def = this.model(model);
    if (typeof vals !== 'object' || vals === null || Array.isArray(vals)) throw typeError('write() values must be a dict');
    const recs = this.browse(env, model, ids, 'write');
    for (const rec of recs) {
      const v = { ...vals };
      def.beforeWrite?.(rec, v, env);
      const before = { ...rec };
      const stored = this.convertVals(env, model, rec, v);
      Object.assign(rec, stored);
      if (def.logAccess !== false) {
        rec['write_date'] = toOdooDatetime(this.now());
        rec['write_uid'] = env.uid;
      }
      this.syncInverse(model, rec);
      try {
        this.checkRules(env, model, [rec], 'write');
      } catch (err) {
        for (const k of Object.keys(rec)) if (!(k in before)) delete rec[k];
        Object.assign(rec, before);
        throw err;
      }
      def.afterWrite?.(rec, v, env);
    }
    return true;
  }

  unlink(env: Env, model: string, ids: number[]): true {
    this.checkModelAccess(env, model, 'unlink');
    const recs = this.browse(env, model, ids, 'unlink');
    for (const r of recs) this.table(model).delete(r.id);
    return true;
  }

  /** Keeps one2many lists in step with the many2one that backs them (stored both ways for cheap reads). */
  private syncInverse(model: string, rec: Rec): void {
    for (const [otherName, other] of this.models) {
      for (const [fname, f] of Object.entries(other.fields)) {
        if (f.type !== 'one2many' || f.relation !== model || !f.inverse) continue;
        const parentId = rec[f.inverse];
        for (const parent of this.tables.get(otherName)!.values()) {
          const list = (parent[fname] as number[] | undefined) ?? [];
          const has = list.includes(rec.id);
          if (parent.id === parentId && !has) parent[fname] = [...list, rec.id];
          if (parent.id !== parentId && has) parent[fname] = list.filter((x) => x !== rec.id);
        }
      }
    }
  }

  fieldsGet(env: Env, model: string, allfields?: string[] | false, attributes?: string[] | false): Record<string, Record<string, unknown>> {
    const def = this.model(model);
    // Odoo's fields_get does not require read access; it only marks fields readonly without write access.
    const canWrite = this.checkModelAccess(env, model, 'write', false);
    const out: Record<string, Record<string, unknown>> = {};
    for (const [name, f] of Object.entries(def.fields)) {
      if (allfields && allfields.length && !allfields.includes(name)) continue;
      const desc: Record<string, unknown> = {
        type: f.type,
        string: f.string ?? name,
        required: !!f.required,
        readonly: !!f.readonly || !!f.compute || !canWrite,
        store: !f.compute,
        searchable: true,
        sortable: !f.compute,
      };
      if (f.relation) desc['relation'] = f.relation;
      if (f.selection) desc['selection'] = f.selection;
      if (f.inverse) desc['relation_field'] = f.inverse;
      out[name] = attributes && attributes.length ? Object.fromEntries(Object.entries(desc).filter(([k]) => attributes.includes(k))) : desc;
    }
    return out;
  }

  /** Fails like Odoo when a model lacks a method. */
  unknownMethod(model: string, method: string): never {
    throw new OdooException('builtins.AttributeError', `The method '${model}.${method}' does not exist`, 404);
  }

  assertUserError(cond: boolean, msg: string): void {
    if (!cond) throw userError(msg);
  }
}

export function sha1Hex(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}
