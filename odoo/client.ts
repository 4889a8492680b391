/**
 * The Odoo client: one object over the three transports, with typed helpers for the ORM calls we use, version
 * detection that picks the transport, retries with backoff for transient failures only, timeouts and a per-host
 * concurrency limit (in `http.ts`). Results come back normalised: create/message_post always as id lists.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { OdooError, OdooNotFoundError, OdooServerError } from './errors.js';
import { httpRequest } from './http.js';
import type { HttpOptions } from './http.js';
import { fieldsGetSchema, odooIdOrIds, odooIds, recordSchema, versionInfoSchema, webVersionSchema } from './schemas.js';
import type { FieldsGet, OdooRecord } from './schemas.js';
import {
  createJson2Transport,
  createJsonRpcTransport,
  createXmlRpcTransport,
  jsonRpcCall,
  xmlRpcCall,
} from './transports.js';
import type { Credentials, OdooProtocol, Transport } from './transports.js';

export type Domain = unknown[];
export type OdooContext = Record<string, unknown>;

export interface OdooVersion {
  major: number;
  /** e.g. "17.0", "saas~18.2" */
  serverVersion: string;
}

export interface OdooClientOptions extends Credentials {
  protocol?: OdooProtocol | 'auto';
  timeoutMs?: number;
  /** Attempts after the first one for transient failures. */
  retries?: number;
  /** First backoff delay; doubles each attempt, with jitter. */
  retryBaseMs?: number;
  concurrency?: number;
  logger?: Logger;
}

export interface SearchReadOptions {
  fields?: string[];
  offset?: number;
  limit?: number;
  /** Must end in `id` for stable paging; `id asc` is appended otherwise. */
  order?: string;
  context?: OdooContext;
}

/** Methods that change data are retried only when the request surely never ran (refused connection, 429, 503). */
const READ_METHODS = new Set(['search_read', 'search', 'search_count', 'read', 'fields_get', 'context_get', 'name_search']);

export function orderEndingInId(order: string | undefined): string {
  const o = (order ?? '').trim();
  if (!o) return 'id asc';
  const last = o.split(',').pop()!.trim().split(/\s+/)[0];
  return last === 'id' ? o : `${o}, id asc`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class OdooClient {
  readonly protocol: OdooProtocol;
  readonly version: OdooVersion;
  readonly db: string;
  readonly url: string;
  private readonly transport: Transport;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly logger: Logger | undefined;
  private readonly fieldsCache = new Map<string, Promise<FieldsGet>>();

  constructor(transport: Transport, version: OdooVersion, opts: OdooClientOptions) {
    this.transport = transport;
    this.protocol = transport.protocol;
    this.version = version;
    this.db = opts.db;
    this.url = opts.url.replace(/\/+$/, '');
    this.retries = opts.retries ?? 3;
    this.retryBaseMs = opts.retryBaseMs ?? 200;
    this.logger = opts.logger;
  }

  uid(): Promise<number> {
    return this.withRetry('authenticate', () => this.transport.uid(), true);
  }

  /** Low-level call with named arguments; prefer the typed helpers. */
  async call(model: string, method: string, kw: Record<string, unknown> = {}, ids?: number[]): Promise<unknown> {
    const idempotent = READ_METHODS.has(method);
    return this.withRetry(
      `${model}.${method}`,
      () => this.transport.call(ids ? { model, method, ids, kw } : { model, method, kw }),
      idempotent,
    );
  }

  async searchRead(model: string, domain: Domain, opts: SearchReadOptions = {}): Promise<OdooRecord[]> {
    const kw: Record<string, unknown> = { domain, order: orderEndingInId(opts.order) };
    if (opts.fields) kw['fields'] = opts.fields;
    if (opts.offset) kw['offset'] = opts.offset;
    if (opts.limit !== undefined) kw['limit'] = opts.limit;
    if (opts.context) kw['context'] = opts.context;
    return z.array(recordSchema).parse(await this.call(model, 'search_read', kw));
  }

  /** Pages through every matching record in `order` (ending in id), `pageSize` at a time. */
  async *searchReadPages(
    model: string,
    domain: Domain,
    opts: Omit<SearchReadOptions, 'offset' | 'limit'> & { pageSize?: number } = {},
  ): AsyncGenerator<OdooRecord[]> {
    const pageSize = opts.pageSize ?? 200;
    for (let offset = 0; ; offset += pageSize) {
      const page = await this.searchRead(model, domain, { ...opts, offset, limit: pageSize });
      if (page.length) yield page;
      if (page.length < pageSize) return;
    }
  }

  async searchReadAll(
    model: string,
    domain: Domain,
    opts: Omit<SearchReadOptions, 'offset' | 'limit'> & { pageSize?: number } = {},
  ): Promise<OdooRecord[]> {
    const all: OdooRecord[] = [];
    for await (const page of this.searchReadPages(model, domain, opts)) all.push(...page);
    return all;
  }

  async search(model: string, domain: Domain, opts: Omit<SearchReadOptions, 'fields'> = {}): Promise<number[]> {
    const kw: Record<string, unknown> = { domain, order: orderEndingInId(opts.order) };
    if (opts.offset) kw['offset'] = opts.offset;
    if (opts.limit !== undefined) kw['limit'] = opts.limit;
    if (opts.context) kw['context'] = opts.context;
    return odooIds.parse(await this.call(model, 'search', kw));
  }

  async read(model: string, ids: number[], fields?: string[], context?: OdooContext): Promise<OdooRecord[]> {
    if (!ids.length) return [];
    const kw: Record<string, unknown> = {};
    if (fields) kw['fields'] = fields;
    if (context) kw['context'] = context;
    return z.array(recordSchema).parse(await this.call(model, 'read', kw, ids));
  }

  async searchCount(model: string, domain: Domain, context?: OdooContext): Promise<number> {
    return z.number().int().parse(await this.call(model, 'search_count', context ? { domain, context } : { domain }));
  }

  /** Creates one record per values object; always returns the new ids. */
  async create(model: string, values: Record<string, unknown> | Record<string, unknown>[], context?: OdooContext): Promise<number[]> {
    const vals_list = Array.isArray(values) ? values : [values];
    return odooIdOrIds.parse(await this.call(model, 'create', context ? { vals_list, context } : { vals_list }));
  }

  async write(model: string, ids: number[], vals: Record<string, unknown>, context?: OdooContext): Promise<true> {
    await this.call(model, 'write', context ? { vals, context } : { vals }, ids);
    return true;
  }

  async unlink(model: string, ids: number[]): Promise<true> {
    await this.call(model, 'unlink', {}, ids);
    return true;
  }

  /** fields_get, cached per model for the client's lifetime (the schema does not change under us). */
  fieldsGet(model: string, attributes: string[] = ['string', 'type', 'relation', 'selection', 'required', 'readonly']): Promise<FieldsGet> {
    const key = `${model}|${attributes.join(',')}`;
    let cached = this.fieldsCache.get(key);
    if (!cached) {
      cached = this.call(model, 'fields_get', { attributes }).then((r) => fieldsGetSchema.parse(r));
      cached.catch(() => this.fieldsCache.delete(key));
      this.fieldsCache.set(key, cached);
    }
    return cached;
  }

  /** Whether a model is installed (`ir.model`), e.g. `helpdesk.ticket` (Enterprise) or `documents.facet` (17). */
  async hasModel(model: string): Promise<boolean> {
    return (await this.searchCount('ir.model', [['model', '=', model]])) > 0;
  }

  /**
   * Posts on a record's chatter. Bodies are sent as HTML (`body_is_html`), which RPC callers must say explicitly or
   * Odoo escapes them. Returns the new mail.message id (17 gives an int, 19 and JSON-2 a list).
   */
  async messagePost(
    model: string,
    id: number,
    opts: { body: string; subject?: string; messageType?: string; subtypeXmlid?: string; partnerIds?: number[]; internal?: boolean },
  ): Promise<number> {
    const kw: Record<string, unknown> = {
      body: opts.body,
      body_is_html: true,
      message_type: opts.messageType ?? 'comment',
      subtype_xmlid: opts.subtypeXmlid ?? (opts.internal === false ? 'mail.mt_comment' : 'mail.mt_note'),
    };
    if (opts.subject) kw['subject'] = opts.subject;
    if (opts.partnerIds) kw['partner_ids'] = opts.partnerIds;
    const ids = odooIdOrIds.parse(await this.call(model, 'message_post', kw, [id]));
    if (ids[0] === undefined) throw new OdooServerError(`message_post on ${model}/${id} returned no id`);
    return ids[0];
  }

  /** Link to a record in Odoo's web client (used for citations). */
  recordUrl(model: string, id: number): string {
    // 18 introduced /odoo/<model>/<id> URLs; 17's web client uses the hash route.
    return this.version.major >= 18 ? `${this.url}/odoo/${model}/${id}` : `${this.url}/web#id=${id}&model=${model}&view_type=form`;
  }

  private async withRetry<T>(what: string, fn: () => Promise<T>, idempotent: boolean): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof OdooError) || !err.transient || attempt >= this.retries) throw err;
        const neverRan = err.status === 429 || err.status === 503 || /ECONNREFUSED/.test(String(err.message));
        if (!idempotent && !neverRan) throw err;
        const delay = this.retryBaseMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
        this.logger?.warn({ what, attempt: attempt + 1, delayMs: Math.round(delay), err: err.message }, 'odoo call failed, retrying');
        await sleep(delay);
      }
    }
  }
}

function majorOf(info: (number | string)[], fallback: string): number {
  const first = info[0];
  if (typeof first === 'number') return first;
  // saas versions report e.g. "saas~18.2"
  const m = /(\d+)/.exec(typeof first === 'string' ? first : fallback);
  return m ? Number(m[1]) : 0;
}

/**
 * Finds the server version without credentials: `GET /web/version` (19), else `common.version` over JSON-RPC, else
 * over XML-RPC (some proxies only pass /xmlrpc).
 */
export async function detectOdooVersion(url: string, http: HttpOptions): Promise<OdooVersion & { via: OdooProtocol | 'web' }> {
  const base = url.replace(/\/+$/, '');
  try {
    const res = await httpRequest(`${base}/web/version`, { method: 'GET' }, http);
    if (res.status === 200) {
      const v = webVersionSchema.safeParse(JSON.parse(res.text));
      if (v.success) return { major: majorOf(v.data.version_info, v.data.version), serverVersion: v.data.version, via: 'web' };
    }
  } catch (err) {
    if (err instanceof OdooError && err.kind === 'unreachable') throw err;
    // Not JSON: an older server's HTML page. Fall through to RPC.
  }
  let lastError: unknown;
  for (const [via, rpc] of [
    ['jsonrpc', jsonRpcCall],
    ['xmlrpc', xmlRpcCall],
  ] as const) {
    try {
      const info = versionInfoSchema.parse(await rpc(base, 'common', 'version', [], http));
      return { major: majorOf(info.server_version_info, info.server_version), serverVersion: info.server_version, via };
    } catch (err) {
      lastError = err;
      if (err instanceof OdooError && err.kind === 'unreachable') throw err;
    }
  }
  throw lastError instanceof Error ? lastError : new OdooNotFoundError(`no Odoo external API found at ${base}`);
}

/**
 * Connects: detects the version, picks the transport (JSON-2 on 19+, JSON-RPC on 17/18, XML-RPC when /jsonrpc is
 * gone) unless one is forced, and checks the credentials once so a bad key fails here, not mid-sync.
 */
export async function connectOdoo(opts: OdooClientOptions): Promise<OdooClient> {
  const http: HttpOptions = { timeoutMs: opts.timeoutMs ?? 30_000, concurrency: opts.concurrency ?? 4 };
  const creds: Credentials = { url: opts.url.replace(/\/+$/, ''), db: opts.db, login: opts.login, apiKey: opts.apiKey };
  const retryOpts = { ...opts, ...creds };
  const version = await withConnectRetry(() => detectOdooVersion(creds.url, http), opts);
  const wanted = opts.protocol ?? 'auto';
  const make = (p: OdooProtocol): Transport =>
    p === 'json2' ? createJson2Transport(creds, http) : p === 'jsonrpc' ? createJsonRpcTransport(creds, http) : createXmlRpcTransport(creds, http);

  const candidates: OdooProtocol[] =
    wanted !== 'auto'
      ? [wanted]
      : version.major >= 19
        ? ['json2', 'jsonrpc', 'xmlrpc']
        : version.via === 'xmlrpc'
          ? ['xmlrpc']
          : ['jsonrpc', 'xmlrpc'];
  let lastError: unknown;
  for (const protocol of candidates) {
    const client = new OdooClient(make(protocol), { major: version.major, serverVersion: version.serverVersion }, retryOpts);
    try {
      await client.uid();
      opts.logger?.debug({ url: creds.url, version: version.serverVersion, protocol }, 'connected to Odoo');
      return client;
    } catch (err) {
      lastError = err;
      // Only a missing route means "try the next protocol"; a refused key or a down server is final.
      if (!(err instanceof OdooNotFoundError)) throw err;
    }
  }
  throw lastError instanceof Error ? lastError : new OdooNotFoundError('no usable Odoo protocol');
}

async function withConnectRetry<T>(fn: () => Promise<T>, opts: OdooClientOptions): Promise<T> {
  const retries = opts.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof OdooError) || !err.transient || attempt >= retries) throw err;
      await sleep((opts.retryBaseMs ?? 200) * 2 ** attempt);
    }
  }
}
