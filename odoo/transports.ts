/**
 * The three Odoo wire protocols behind one `Transport` interface. Callers always pass named arguments (`kw`) and the
 * record ids separately; each transport puts them where its protocol wants them:
 * - JSON-2 (`/json/2/<model>/<method>`, Odoo 19+): a JSON object of named arguments, bearer API key.
 * - JSON-RPC (`/jsonrpc`) and XML-RPC (`/xmlrpc/2/object`): `execute_kw(db, uid, key, model, method, args, kw)` with
 *   the ids as `args[0]`. `create` is the exception: 17's `call_kw` reads `args[0]` to decide int-vs-list, so the
 *   values travel positionally.
 * Every protocol's error form is mapped to the typed errors in `errors.ts`.
 */
import { z } from 'zod';
import type {
  OdooError} from './errors.js';
import {
  errorFromOdooName,
  OdooAuthError,
  OdooNotFoundError,
  OdooServerError,
  OdooValidationError,
} from './errors.js';
import { httpRequest } from './http.js';
import type { HttpOptions, HttpResponse } from './http.js';
import { encodeMethodCall, parseMethodResponse, XmlRpcParseError } from './xmlrpc.js';

export type OdooProtocol = 'json2' | 'jsonrpc' | 'xmlrpc';

export interface OdooCall {
  model: string;
  method: string;
  /** Record ids for record methods (read, write, unlink, message_post); omitted for `@api.model` methods. */
  ids?: number[];
  kw: Record<string, unknown>;
}

export interface Transport {
  readonly protocol: OdooProtocol;
  call(call: OdooCall): Promise<unknown>;
  /** The uid the credentials belong to. */
  uid(): Promise<number>;
}

export interface Credentials {
  url: string;
  db: string;
  login: string;
  /** API key (preferred) or password. */
  apiKey: string;
}

const TRANSIENT_STATUSES = new Set([429, 502, 503, 504]);

function statusError(res: HttpResponse, what: string): OdooError {
  const snippet = res.text.slice(0, 200).trim();
  if (TRANSIENT_STATUSES.has(res.status)) {
    return new OdooServerError(`${what}: HTTP ${res.status} ${snippet}`, { status: res.status, transient: true });
  }
  if (res.status === 404) return new OdooNotFoundError(`${what}: HTTP 404 ${snippet}`, { status: 404 });
  return new OdooServerError(`${what}: HTTP ${res.status} ${snippet}`, { status: res.status });
}

function parseJson(res: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(res.text);
  } catch {
    // A proxy page or a truncated body: the server (or something before it) failed, not our request.
    throw new OdooServerError(`${what}: unreadable response (HTTP ${res.status})`, {
      status: res.status,
      transient: TRANSIENT_STATUSES.has(res.status) || res.status === 200,
    });
  }
}

// ---------------------------------------------------------------- JSON-RPC

const jsonRpcEnvelope = z.object({
  jsonrpc: z.string().optional(),
  id: z.unknown().optional(),
  result: z.unknown().optional(),
  error: z
    .object({
      code: z.number().optional(),
      message: z.string().optional(),
      data: z
        .object({ name: z.string().optional(), message: z.string().optional(), debug: z.string().optional() })
        .passthrough()
        .optional(),
    })
    .optional(),
});

let rpcId = 0;

export async function jsonRpcCall(
  url: string,
  service: string,
  method: string,
  args: unknown[],
  http: HttpOptions,
): Promise<unknown> {
  const what = `JSON-RPC ${service}.${method}`;
  const res = await httpRequest(
    `${url}/jsonrpc`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: ++rpcId, params: { service, method, args } }),
    },
    http,
  );
  if (res.status !== 200) throw statusError(res, what);
  const parsed = jsonRpcEnvelope.safeParse(parseJson(res, what));
  if (!parsed.success) throw new OdooServerError(`${what}: not a JSON-RPC envelope`);
  const { error } = parsed.data;
  if (error) {
    const message = error.data?.message ?? error.message ?? 'Odoo Server Error';
    if (error.data?.name) throw errorFromOdooName(error.data.name, message);
    if (error.code === 404) throw new OdooNotFoundError(message);
    if (error.code === 100) throw new OdooAuthError(message);
    throw new OdooServerError(message);
  }
  // 17/18 omit `result` when the method returned None.
  return parsed.data.result ?? null;
}

// ---------------------------------------------------------------- XML-RPC

function faultToError(code: number | string, faultString: string): OdooError {
  // Code 1 carries a full traceback; its last line is "<Class>: <message>".
  const lines = faultString.trim().split('\n');
  const last = lines[lines.length - 1] ?? faultString;
  if (typeof code === 'string') {
    // Legacy /xmlrpc/<service> string codes, e.g. "warning -- Access Denied\n\n..." or "AccessDenied".
    if (/AccessDenied|Access Denied/.test(code)) return new OdooAuthError(faultString || code);
    if (/AccessError/.test(code)) return errorFromOdooName('odoo.exceptions.AccessError', faultString || code);
    return new OdooValidationError(faultString || code);
  }
  switch (code) {
    case 3:
      return errorFromOdooName('odoo.exceptions.AccessDenied', faultString || 'Access Denied');
    case 4:
      return errorFromOdooName('odoo.exceptions.AccessError', faultString);
    case 2:
      if (/does not exist or has been deleted|Record does not exist/i.test(faultString)) {
        return errorFromOdooName('odoo.exceptions.MissingError', faultString);
      }
      return errorFromOdooName('odoo.exceptions.UserError', faultString);
    default: {
      const m = /^([\w.]+(?:Error|Exception|Denied|Warning)):\s*(.*)$/s.exec(last);
      if (m) return errorFromOdooName(m[1]!, m[2]!.trim() || last);
      return new OdooServerError(last);
    }
  }
}

export async function xmlRpcCall(
  url: string,
  service: string,
  method: string,
  args: unknown[],
  http: HttpOptions,
): Promise<unknown> {
  const what = `XML-RPC ${service}.${method}`;
  const res = await httpRequest(
    `${url}/xmlrpc/2/${service}`,
    { method: 'POST', headers: { 'content-type': 'text/xml' }, body: encodeMethodCall(method, args) },
    http,
  );
  if (res.status !== 200) throw statusError(res, what);
  let parsed;
  try {
    parsed = parseMethodResponse(res.text);
  } catch (err) {
    if (err instanceof XmlRpcParseError) {
      throw new OdooServerError(`${what}: malformed XML-RPC response (${err.message})`, { transient: true });
    }
    throw err;
  }
  if (!parsed.ok) throw faultToError(parsed.fault.faultCode, parsed.fault.faultString);
  return parsed.value;
}

/** XML-RPC gives bytes back as Uint8Array and dates as Date; the other protocols give strings. Make them agree. */
function fromXmlRpc(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return value.toISOString().slice(0, 19).replace('T', ' ');
  if (Array.isArray(value)) return value.map(fromXmlRpc);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromXmlRpc(v)]));
  }
  return value;
}

// ---------------------------------------------------------------- legacy (execute_kw) transports

type RpcFn = (url: string, service: string, method: string, args: unknown[], http: HttpOptions) => Promise<unknown>;

class ExecuteKwTransport implements Transport {
  private uidPromise: Promise<number> | undefined;

  constructor(
    readonly protocol: 'jsonrpc' | 'xmlrpc',
    private readonly creds: Credentials,
    private readonly http: HttpOptions,
    private readonly rpc: RpcFn,
  ) {}

  uid(): Promise<number> {
    this.uidPromise ??= (async () => {
      const uid = await this.rpc(
        this.creds.url,
        'common',
        'authenticate',
        [this.creds.db, this.creds.login, this.creds.apiKey, {}],
        this.http,
      );
      if (typeof uid !== 'number' || uid <= 0) {
        throw new OdooAuthError(`Odoo refused the login "${this.creds.login}" on database "${this.creds.db}" (wrong login or API key, or the key expired)`);
      }
      return uid;
    })();
    // A failed authentication must not poison the cache: a later call may succeed once Odoo is back.
    this.uidPromise.catch(() => {
      this.uidPromise = undefined;
    });
    return this.uidPromise;
  }

  async call({ model, method, ids, kw }: OdooCall): Promise<unknown> {
    const uid = await this.uid();
    let args: unknown[] = ids ? [ids] : [];
    let kwargs = kw;
    if (method === 'create' && 'vals_list' in kw) {
      const { vals_list, ...rest } = kw;
      args = [vals_list];
      kwargs = rest;
    }
    const result = await this.rpc(
      this.creds.url,
      'object',
      'execute_kw',
      [this.creds.db, uid, this.creds.apiKey, model, method, args, kwargs],
      this.http,
    );
    return this.protocol === 'xmlrpc' ? fromXmlRpc(result) : result;
  }
}

export function createJsonRpcTransport(creds: Credentials, http: HttpOptions): Transport {
  return new ExecuteKwTransport('jsonrpc', creds, http, jsonRpcCall);
}

export function createXmlRpcTransport(creds: Credentials, http: HttpOptions): Transport {
  return new ExecuteKwTransport('xmlrpc', creds, http, xmlRpcCall);
}

// ---------------------------------------------------------------- JSON-2

const json2ErrorBody = z
  .object({ name: z.string(), message: z.string().optional(), arguments: z.array(z.unknown()).optional() })
  .passthrough();

class Json2Transport implements Transport {
  readonly protocol = 'json2' as const;
  private uidPromise: Promise<number> | undefined;

  constructor(
    private readonly creds: Credentials,
    private readonly http: HttpOptions,
  ) {}

  async call({ model, method, ids, kw }: OdooCall): Promise<unknown> {
    const what = `JSON-2 ${model}.${method}`;
    const body = ids ? { ids, ...kw } : kw;
    const res = await httpRequest(
      `${this.creds.url}/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `bearer ${this.creds.apiKey}`,
          'x-odoo-database': this.creds.db,
          'user-agent': 'sop-assistant',
        },
        body: JSON.stringify(body),
      },
      this.http,
    );
    if (res.status === 200) return parseJson(res, what);
    const parsedBody = json2ErrorBody.safeParse(safeJson(res.text));
    if (!parsedBody.success) throw statusError(res, what);
    const message = parsedBody.data.message ?? `HTTP ${res.status}`;
    switch (res.status) {
      case 401:
        throw new OdooAuthError(message, { odooName: parsedBody.data.name, status: 401 });
      case 403:
        throw errorFromOdooName('odoo.exceptions.AccessError', message, 403);
      case 404:
        throw new OdooNotFoundError(message, { odooName: parsedBody.data.name, status: 404 });
      case 409:
        throw new OdooServerError(message, { odooName: parsedBody.data.name, status: 409, transient: true });
      case 422:
        throw new OdooValidationError(message, { odooName: parsedBody.data.name, status: 422 });
      default:
        if (TRANSIENT_STATUSES.has(res.status)) {
          throw new OdooServerError(message, { odooName: parsedBody.data.name, status: res.status, transient: true });
        }
        throw new OdooServerError(message, { odooName: parsedBody.data.name, status: res.status });
    }
  }

  uid(): Promise<number> {
    this.uidPromise ??= (async () => {
      const ctx = z.object({ uid: z.number() }).passthrough().parse(
        await this.call({ model: 'res.users', method: 'context_get', kw: {} }),
      );
      return ctx.uid;
    })();
    this.uidPromise.catch(() => {
      this.uidPromise = undefined;
    });
    return this.uidPromise;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function createJson2Transport(creds: Credentials, http: HttpOptions): Transport {
  return new Json2Transport(creds, http);
}
