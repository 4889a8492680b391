/**
 * The simulator's service layer, shared by the three protocols: `common` (version, login, authenticate), `object`
 * (execute, execute_kw), and `callMethod`, which binds positional and named arguments to each ORM method's Python
 * signature, checks credentials (password or API key), and shapes return values per version (create → int for a
 * dict / list for a list; message_post → int on 17/18, [id] on 19).
 */
import { accessDenied, accessError, OdooException, typeError, userError, valueError } from './exceptions.js';
import type { SimVersion } from './models.js';
import type { Env, Orm } from './orm.js';

export interface ApiKey {
  uid: number;
  scope: 'rpc' | null;
  /** ISO datetime, or null for no expiry. */
  expiration: string | null;
  name: string;
}

export interface SimState {
  orm: Orm;
  db: string;
  version: SimVersion;
  passwords: Map<number, string>;
  apiKeys: Map<string, ApiKey>;
}

export type Protocol = 'jsonrpc' | 'xmlrpc' | 'json2';

interface Signature {
  /** `@api.model` methods take no ids. */
  model: boolean;
  params: string[];
}

const SIGNATURES: Record<string, Signature> = {
  search_read: { model: true, params: ['domain', 'fields', 'offset', 'limit', 'order'] },
  search: { model: true, params: ['domain', 'offset', 'limit', 'order'] },
  search_count: { model: true, params: ['domain', 'limit'] },
  read: { model: false, params: ['fields', 'load'] },
  create: { model: true, params: ['vals_list'] },
  write: { model: false, params: ['vals'] },
  unlink: { model: false, params: [] },
  fields_get: { model: true, params: ['allfields', 'attributes'] },
  message_post: { model: false, params: [] },
  context_get: { model: true, params: [] },
};

const KW_ONLY: Record<string, string[]> = {
  search_read: ['load'],
  message_post: ['body', 'subject', 'message_type', 'email_from', 'author_id', 'parent_id', 'subtype_xmlid', 'subtype_id', 'partner_ids', 'attachments', 'attachment_ids', 'body_is_html', 'outgoing_email_to', 'incoming_email_to', 'incoming_email_cc'],
};

export function versionInfo(version: SimVersion) {
  return {
    server_version: `${version}.0`,
    server_version_info: [version, 0, 0, 'final', 0, ''],
    server_serie: `${version}.0`,
    protocol_version: 1,
  };
}

/** Checks a password or an API key (scope rpc or global, not expired) for a uid. */
export function checkCredentials(state: SimState, uid: number, secret: string): boolean {
  const user = state.orm.table('res.users').get(uid);
  if (!user || user['active'] === false) return false;
  if (state.passwords.get(uid) === secret) return true;
  const key = state.apiKeys.get(secret);
  return !!key && key.uid === uid && !isExpired(state, key);
}

export function isExpired(state: SimState, key: ApiKey): boolean {
  return key.expiration !== null && key.expiration <= state.orm.now().toISOString();
}

export function authenticate(state: SimState, db: unknown, login: unknown, secret: unknown): number | false {
  if (db !== state.db) throw new OdooException('builtins.ValueError', `database "${String(db)}" does not exist`);
  const user = [...state.orm.table('res.users').values()].find((u) => u['login'] === login && u['active'] !== false);
  if (!user || typeof secret !== 'string') return false;
  return checkCredentials(state, user.id, secret) ? user.id : false;
}

export function dispatchCommon(state: SimState, method: string, args: unknown[]): unknown {
  switch (method) {
    case 'version':
      return versionInfo(state.version);
    case 'login':
      return authenticate(state, args[0], args[1], args[2]);
    case 'authenticate':
      return authenticate(state, args[0], args[1], args[2]);
    case 'about':
      return 'See http://openerp.com';
    default:
      throw new OdooException('builtins.AttributeError', `'common' service has no method '${method}'`);
  }
}

export function dispatchObject(state: SimState, method: string, args: unknown[], protocol: Protocol): unknown {
  if (method !== 'execute_kw' && method !== 'execute') {
    throw new OdooException('builtins.AttributeError', `'object' service has no method '${method}'`);
  }
  const [db, uid, secret, model, name, ...rest] = args;
  if (db !== state.db) throw new OdooException('builtins.ValueError', `database "${String(db)}" does not exist`);
  if (typeof uid !== 'number' || typeof secret !== 'string' || !checkCredentials(state, uid, secret)) throw accessDenied();
  if (typeof model !== 'string' || typeof name !== 'string') throw typeError('execute_kw() model and method must be strings');
  let positional: unknown[];
  let kwargs: Record<string, unknown>;
  if (method === 'execute_kw') {
    positional = Array.isArray(rest[0]) ? rest[0] : [];
    kwargs = rest[1] && typeof rest[1] === 'object' && !Array.isArray(rest[1]) ? (rest[1] as Record<string, unknown>) : {};
  } else {
    positional = rest;
    kwargs = {};
  }
  const { context, ...kw } = kwargs;
  const env = state.orm.env(uid, (context as Record<string, unknown> | undefined) ?? {});
  const sig = SIGNATURES[name];
  let ids: number[] | undefined;
  if (sig && !sig.model) {
    const first = positional[0];
    ids = typeof first === 'number' ? [first] : Array.isArray(first) ? (first as number[]) : [];
    positional = positional.slice(1);
  }
  const result = callMethod(state, env, model, name, ids, positional, kw, protocol);
  // RPC `create` with a single dict returns an int; with a list, a list of ids.
  if (name === 'create' && Array.isArray(result) && !Array.isArray(positional[0] ?? kw['vals_list'])) return result[0];
  return result;
}

/** Runs one ORM method for a user. `ids` is set for record methods; `positional` binds to the Python signature. */
export function callMethod(
  state: SimState,
  env: Env,
  model: string,
  method: string,
  ids: number[] | undefined,
  positional: unknown[],
  kw: Record<string, unknown>,
  protocol: Protocol,
): unknown {
  const orm = state.orm;
  if (method.startsWith('_')) throw accessError(`Private methods (such as '${model}.${method}') cannot be called remotely.`);
  orm.model(model);
  const sig = SIGNATURES[method];
  if (!sig || (method === 'message_post' && !orm.model(model).mailThread) || (method === 'context_get' && model !== 'res.users')) {
    return orm.unknownMethod(model, method);
  }
  if (sig.model && ids !== undefined && protocol === 'json2') {
    throw new OdooException('builtins.TypeError', `cannot call ${model}.${method} with ids`, 422);
  }
  const args: Record<string, unknown> = {};
  if (positional.length > sig.params.length) {
    throw typeError(`${method}() takes ${sig.params.length + 1} positional arguments but ${positional.length + 1} were given`);
  }
  positional.forEach((v, i) => (args[sig.params[i]!] = v));
  const allowed = new Set([...sig.params, ...(KW_ONLY[method] ?? [])]);
  for (const [k, v] of Object.entries(kw)) {
    if (!allowed.has(k) && method !== 'message_post') {
      throw new OdooException('builtins.TypeError', `${model}.${method}() got an unexpected keyword argument '${k}'`, 422);
    }
    if (k in args) throw typeError(`${method}() got multiple values for argument '${k}'`);
    args[k] = v;
  }
  const recIds = ids ?? [];
  const limit = typeof args['limit'] === 'number' ? args['limit'] : undefined;
  const offset = typeof args['offset'] === 'number' ? args['offset'] : undefined;
  const order = typeof args['order'] === 'string' ? args['order'] : undefined;
  const domain = (args['domain'] as unknown[] | undefined) ?? [];
  const fields = Array.isArray(args['fields']) ? (args['fields'] as string[]) : undefined;
  switch (method) {
    case 'search_read':
      return orm.searchRead(env, model, domain, fields, { offset, limit, order, load: args['load'] !== null && args['load'] !== false });
    case 'search':
      return orm.search(env, model, domain, { offset, limit, order }).map((r) => r.id);
    case 'search_count':
      return orm.count(env, model, domain, limit);
    case 'read':
      return orm.read(env, model, recIds, fields, args['load'] !== null && args['load'] !== false);
    case 'create': {
      const raw = args['vals_list'];
      if (raw === undefined) throw typeError("create() missing 1 required positional argument: 'vals_list'");
      const list = Array.isArray(raw) ? raw : [raw];
      return orm.create(env, model, list as Record<string, unknown>[]).map((r) => r.id);
    }
    case 'write':
      if (!args['vals'] || typeof args['vals'] !== 'object') throw typeError("write() missing 1 required positional argument: 'vals'");
      return orm.write(env, model, recIds, args['vals'] as Record<string, unknown>);
    case 'unlink':
      return orm.unlink(env, model, recIds);
    case 'fields_get':
      return orm.fieldsGet(env, model, args['allfields'] as string[] | undefined, args['attributes'] as string[] | undefined);
    case 'context_get': {
      const user = orm.table('res.users').get(env.uid)!;
      return { lang: user['lang'] || 'en_US', tz: user['tz'] || false, uid: env.uid };
    }
    case 'message_post': {
      if (recIds.length !== 1) throw valueError(`Expected singleton: ${model}(${recIds.join(', ')},)`);
      const id = messagePost(env, model, recIds[0]!, args);
      return state.version >= 19 || protocol === 'json2' ? [id] : id;
    }
    default:
      return orm.unknownMethod(model, method);
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
}

export function messagePost(env: Env, model: string, id: number, args: Record<string, unknown>): number {
  const orm = env.orm;
  // mail.thread's default _mail_post_access is 'write'.
  const [rec] = orm.browse(env, model, [id], 'write');
  orm.checkModelAccess(env, model, 'write');
  const rawBody = typeof args['body'] === 'string' ? args['body'] : '';
  const body = args['body_is_html'] ? rawBody : escapeHtml(rawBody).replace(/\n/g, '<br>');
  let subtypeId: number | false = false;
  if (typeof args['subtype_xmlid'] === 'string') {
    const xmlid = args['subtype_xmlid'].includes('.') ? args['subtype_xmlid'] : `mail.${args['subtype_xmlid']}`;
    subtypeId = orm.refOrNull(xmlid) ?? false;
    if (!subtypeId) throw valueError(`External ID not found in the system: ${xmlid}`);
  } else if (typeof args['subtype_id'] === 'number') subtypeId = args['subtype_id'];
  else subtypeId = orm.refOrNull('mail.mt_note') ?? false;
  const subtype = subtypeId ? orm.table('mail.message.subtype').get(subtypeId) : undefined;
  const messageType = typeof args['message_type'] === 'string' ? args['message_type'] : 'notification';
  if (!['email', 'comment', 'email_outgoing', 'notification', 'auto_comment', 'user_notification'].includes(messageType)) {
    throw userError(`Posting a message should be done using message_type in email, comment, notification`);
  }
  const user = orm.table('res.users').get(env.uid)!;
  const authorId = typeof args['author_id'] === 'number' ? args['author_id'] : (user['partner_id'] as number);
  const msg = orm.insert(
    'mail.message',
    {
      model,
      res_id: id,
      body,
      subject: typeof args['subject'] === 'string' ? args['subject'] : false,
      message_type: messageType,
      subtype_id: subtypeId,
      is_internal: !!subtype?.['internal'],
      author_id: authorId,
      email_from: orm.table('res.partner').get(authorId)?.['email'] ?? false,
      partner_ids: Array.isArray(args['partner_ids']) ? args['partner_ids'] : [],
      record_name: orm.displayName(model, rec!, env),
      parent_id: typeof args['parent_id'] === 'number' ? args['parent_id'] : false,
    },
    env,
  );
  return msg.id;
}
