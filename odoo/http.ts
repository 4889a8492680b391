/**
 * The one place the Odoo client touches the network: a POST/GET with a timeout, under a per-host concurrency limit,
 * turning socket failures and timeouts into `OdooUnreachableError` so the retry policy can recognise them.
 */
import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import { OdooUnreachableError } from './errors.js';

export interface HttpResponse {
  status: number;
  contentType: string;
  text: string;
}

export interface HttpOptions {
  timeoutMs: number;
  /** Most requests in flight to one host at a time (Odoo workers are few; a sync must not starve the web client). */
  concurrency: number;
}

const limits = new Map<string, LimitFunction>();

function limiterFor(url: URL, concurrency: number): LimitFunction {
  const key = `${url.host}#${concurrency}`;
  let limit = limits.get(key);
  if (!limit) {
    limit = pLimit(concurrency);
    limits.set(key, limit);
  }
  return limit;
}

export async function httpRequest(
  url: string,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  opts: HttpOptions,
): Promise<HttpResponse> {
  const target = new URL(url);
  return limiterFor(target, opts.concurrency)(async () => {
    try {
      const res = await fetch(target, {
        method: init.method,
        headers: init.headers,
        body: init.body,
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      const text = await res.text();
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', text };
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new OdooUnreachableError(`Odoo at ${target.origin} did not answer within ${opts.timeoutMs} ms`, {
          cause: err,
        });
      }
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
      throw new OdooUnreachableError(`cannot reach Odoo at ${target.origin}: ${cause}`, { cause: err });
    }
  });
}
