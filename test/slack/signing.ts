/** Signs requests the way Slack does (HMAC-SHA256 of "v0:ts:body"), so tests exercise Bolt's real verification. */
import { createHmac } from 'node:crypto';

export function sign(secret: string, body: string, ts = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`,
  };
}

/** A form body as a string: fetch would add `;charset=UTF-8` to URLSearchParams, which Bolt then refuses. */
export const form = (o: Record<string, string>): string => new URLSearchParams(o).toString();

export const interactive = (payload: object): string => form({ payload: JSON.stringify(payload) });

export async function postSlack(
  url: string,
  secret: string,
  body: string,
  kind: 'json' | 'form',
  extra: Record<string, string> = {},
  ts?: number,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': kind === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
      ...sign(secret, body, ts),
      ...extra,
    },
  });
}

type Maybe<T> = T | undefined | false;

/** Polls until `check` returns a value (work after Slack's ack is asynchronous). */
export async function waitFor<T>(check: () => Maybe<T> | Promise<Maybe<T>>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
