/**
 * The simulator's HTTP front: `/jsonrpc`, `/xmlrpc/2/common|object`, `/json/2/<model>/<method>` (19 only) and
 * `GET /web/version` (19 only), with the error forms of each protocol as Odoo produces them, plus fault injection
 * (latency, 5xx, 429, dropped connections) for the client's retry and the sync's resume tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { encodeFault, encodeMethodResponse, parseMethodCall } from '../xmlrpc.js';
import { OdooException } from './exceptions.js';
import { callMethod, dispatchCommon, dispatchObject, isExpired } from './rpc.js';
import type { SimState } from './rpc.js';

export interface FaultPlan {
  /** Added before every answer. */
  latencyMs: number;
  /** The next N requests get this HTTP status (502/503/500…) with an HTML body, as a proxy would send. */
  failNext: { count: number; status: number };
  /** The next N requests get 429 Too Many Requests. */
  rateLimitNext: number;
  /** The next N requests have their connection destroyed without an answer. */
  dropNext: number;
  /** The next N requests are never answered (the connection stays open until the server stops). */
  hangNext?: number;
  /** Only requests whose body contains this text count towards the faults above (e.g. a model name). */
  match?: string;
  /** This many matching requests pass untouched before the faults above apply. */
  passFirst?: number;
}

export function emptyFaults(): FaultPlan {
  return { latencyMs: 0, failNext: { count: 0, status: 503 }, rateLimitNext: 0, dropNext: 0 };
}

const traceback = (e: Error) => `Traceback (most recent call last):\n  File "odoo/service/model.py", line 1, in dispatch\n${e.name}: ${e.message}`;

function serializeException(err: unknown) {
  if (err instanceof OdooException) {
    return { name: err.odooName, message: err.message, arguments: [err.message], context: {}, debug: traceback(err) };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: 'builtins.Exception', message: e.message, arguments: [e.message], context: {}, debug: traceback(e) };
}

function xmlFaultCode(err: unknown): number {
  if (!(err instanceof OdooException)) return 1;
  switch (err.odooName) {
    case 'odoo.exceptions.AccessError':
      return 4;
    case 'odoo.exceptions.AccessDenied':
      return 3;
    case 'odoo.exceptions.UserError':
    case 'odoo.exceptions.ValidationError':
    case 'odoo.exceptions.MissingError':
      return 2;
    default:
      return 1;
  }
}

function json2Status(err: unknown): number {
  if (!(err instanceof OdooException)) return 500;
  if (err.json2Status) return err.json2Status;
  switch (err.odooName) {
    case 'odoo.exceptions.AccessError':
    case 'odoo.exceptions.AccessDenied':
      return 403;
    case 'odoo.exceptions.MissingError':
      return 404;
    case 'odoo.exceptions.UserError':
    case 'odoo.exceptions.ValidationError':
      return 422;
    default:
      return 500;
  }
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const NOT_FOUND_HTML =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';

export interface SimServer {
  server: http.Server;
  url: string;
  faults: FaultPlan;
  requests: number;
  /** Most requests the server was handling at the same time (for concurrency-limit tests). */
  maxInFlight: number;
  close(): Promise<void>;
}

export interface ProtocolSwitches {
  /** JSON-2 on 19 (an Odoo 19 may run without the `rpc` JSON-2 routes). Default true. */
  json2?: boolean;
  /** /jsonrpc and /xmlrpc/2 (newer Odoo answer 404 unless `rpc.use_deprecated_services` is set). Default true. */
  legacyRpc?: boolean;
}

export async function listen(
  state: SimState,
  opts: { port?: number; host?: string; logger?: Logger; protocols?: ProtocolSwitches },
): Promise<SimServer> {
  const json2On = opts.protocols?.json2 !== false;
  const legacyOn = opts.protocols?.legacyRpc !== false;
  const sim: SimServer = { server: undefined as unknown as http.Server, url: '', faults: emptyFaults(), requests: 0, maxInFlight: 0, close: async () => {} };
  let inFlight = 0;
  const log = opts.logger;

  const handleJsonRpc = (body: string, res: http.ServerResponse, contentType: string) => {
    if (!/^application\/json(-rpc)?\b/.test(contentType)) {
      return send(res, 415, 'text/html; charset=utf-8', `<p>Unsupported mimetype ${contentType}, expected application/json</p>`);
    }
    let request: { id?: unknown; params?: { service?: unknown; method?: unknown; args?: unknown } };
    try {
      request = JSON.parse(body) as typeof request;
    } catch {
      return send(res, 400, 'text/plain; charset=utf-8', 'Invalid JSON data');
    }
    const id = request.id ?? null;
    const params = request.params;
    if (state.version >= 19) log?.warn('The /jsonrpc route is deprecated since Odoo 19 and scheduled for removal in Odoo 22');
    try {
      if (!params || typeof params !== 'object' || Array.isArray(params)) throw new OdooException('builtins.TypeError', 'params must be an object');
      const args = Array.isArray(params.args) ? params.args : [];
      const method = String(params.method);
      const result =
        params.service === 'common'
          ? dispatchCommon(state, method, args)
          : params.service === 'object'
            ? dispatchObject(state, method, args, 'jsonrpc')
            : (() => {
                throw new OdooException('builtins.Exception', `No such service ${String(params.service)}`);
              })();
      // 17/18 leave out `result` when the method returned None.
      const envelope: Record<string, unknown> = { jsonrpc: '2.0', id };
      if (result !== null && result !== undefined) envelope['result'] = result;
      else if (state.version >= 19) envelope['result'] = null;
      return send(res, 200, 'application/json', JSON.stringify(envelope));
    } catch (err) {
      const error = { code: state.version >= 19 ? 0 : 200, message: 'Odoo Server Error', data: serializeException(err) };
      return send(res, 200, 'application/json', JSON.stringify({ jsonrpc: '2.0', id, error }));
    }
  };

  const handleXmlRpc = (service: string, body: string, res: http.ServerResponse) => {
    if (state.version >= 19) log?.warn('The /xmlrpc/2 route is deprecated since Odoo 19 and scheduled for removal in Odoo 22');
    try {
      const { method, params } = parseMethodCall(body);
      const result = service === 'common' ? dispatchCommon(state, method, params) : dispatchObject(state, method, params, 'xmlrpc');
      return send(res, 200, 'text/xml; charset=utf-8', encodeMethodResponse(result));
    } catch (err) {
      const code = xmlFaultCode(err);
      const message = err instanceof Error ? err.message : String(err);
      const faultString = code === 1 && err instanceof Error ? serializeException(err).debug : message;
      return send(res, 200, 'text/xml; charset=utf-8', encodeFault({ faultCode: code, faultString }));
    }
  };

  const json2Error = (res: http.ServerResponse, status: number, name: string, message: string) =>
    send(res, status, 'application/json; charset=utf-8', JSON.stringify({ name, message, arguments: [message, status], context: {}, debug: `Traceback (most recent call last):\n${name}: ${message}` }));

  const handleJson2 = (model: string, method: string, req: http.IncomingMessage, body: string, res: http.ServerResponse) => {
    const auth = /^bearer\s+(.+)$/i.exec(req.headers['authorization'] ?? '');
    const key = auth ? state.apiKeys.get(auth[1]!.trim()) : undefined;
    if (!key || isExpired(state, key) || state.orm.table('res.users').get(key.uid)?.['active'] === false) {
      return json2Error(res, 401, 'werkzeug.exceptions.Unauthorized', 'Invalid apikey');
    }
    const dbHeader = req.headers['x-odoo-database'];
    if (dbHeader !== undefined && dbHeader !== state.db) {
      return json2Error(res, 404, 'werkzeug.exceptions.NotFound', `database ${String(dbHeader)} not found`);
    }
    let payload: unknown;
    try {
      payload = body.trim() ? JSON.parse(body) : {};
    } catch (err) {
      return json2Error(res, 400, 'werkzeug.exceptions.BadRequest', `could not parse the body as json: ${(err as Error).message}`);
    }
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
      return json2Error(res, 400, 'werkzeug.exceptions.BadRequest', 'could not parse the body, the body must be a json object');
    }
    const { ids, context, ...kw } = payload as Record<string, unknown>;
    if (!state.orm.models.has(model)) return json2Error(res, 404, 'werkzeug.exceptions.NotFound', `the model '${model}' does not exist`);
    try {
      const env = state.orm.env(key.uid, (context as Record<string, unknown> | undefined) ?? {});
      const result = callMethod(state, env, model, method, Array.isArray(ids) ? (ids as number[]) : undefined, [], kw, 'json2');
      return send(res, 200, 'application/json; charset=utf-8', JSON.stringify(result ?? null));
    } catch (err) {
      const status = json2Status(err);
      const e = serializeException(err);
      const message = status === 404 && err instanceof OdooException && err.odooName === 'builtins.AttributeError' ? `The method '${model}.${method}' does not exist` : e.message;
      return json2Error(res, status, e.name, message);
    }
  };

  const server = http.createServer((req, res) => {
    inFlight++;
    sim.maxInFlight = Math.max(sim.maxInFlight, inFlight);
    let counted = true;
    const done = () => {
      if (counted) inFlight--;
      counted = false;
    };
    res.once('close', done);
    void (async () => {
      const body = await readBody(req);
      sim.requests++;
      const f = sim.faults;
      let counts = !f.match || body.includes(f.match);
      if (counts && f.passFirst) {
        f.passFirst--;
        counts = false;
      }
      if (f.latencyMs) await new Promise((r) => setTimeout(r, f.latencyMs));
      if (counts && f.hangNext && f.hangNext > 0) {
        f.hangNext--;
        return;
      }
      if (counts && f.dropNext > 0) {
        f.dropNext--;
        req.socket.destroy();
        return;
      }
      if (counts && f.rateLimitNext > 0) {
        f.rateLimitNext--;
        res.setHeader('retry-after', '1');
        return send(res, 429, 'text/html; charset=utf-8', '<h1>Too Many Requests</h1>');
      }
      if (counts && f.failNext.count > 0) {
        f.failNext.count--;
        return send(res, f.failNext.status, 'text/html; charset=utf-8', `<html><body><h1>${f.failNext.status} Service Unavailable</h1></body></html>`);
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      const contentType = String(req.headers['content-type'] ?? '');
      if (legacyOn && req.method === 'POST' && path === '/jsonrpc') return handleJsonRpc(body, res, contentType);
      const xml = /^\/xmlrpc\/2\/(common|object)$/.exec(path);
      if (legacyOn && req.method === 'POST' && xml) return handleXmlRpc(xml[1]!, body, res);
      if (state.version >= 19) {
        if (req.method === 'GET' && path === '/web/version') {
          return send(res, 200, 'application/json', JSON.stringify({ version_info: [state.version, 0, 0, 'final', 0, ''], version: `${state.version}.0` }));
        }
        const j2 = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
        if (j2 && json2On) {
          if (req.method !== 'POST') return json2Error(res, 404, 'werkzeug.exceptions.NotFound', 'Did you mean POST /json/2/<model>/<method>?');
          return handleJson2(decodeURIComponent(j2[1]!), decodeURIComponent(j2[2]!), req, body, res);
        }
      }
      return send(res, 404, 'text/html; charset=utf-8', NOT_FOUND_HTML);
    })().catch((err: unknown) => {
      log?.error({ err }, 'simulator request failed');
      if (!res.headersSent) send(res, 500, 'text/plain', 'Internal Server Error');
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  sim.server = server;
  sim.url = `http://${opts.host ?? '127.0.0.1'}:${addr.port}`;
  sim.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return sim;
}
