/**
 * A fake OpenAI-compatible endpoint for tests: answers `POST /v1/chat/completions` in the real wire format with queued
 * texts (or a default), and records every request. Only the network edge is fake; the client is the real ChatOpenAI.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  path: string;
  body: { model: string; messages: { role: string; content: string }[] };
}

export interface FakeChatServer {
  /** Base URL to use as OPENAI_BASE_URL (ends in /v1). */
  readonly baseUrl: string;
  readonly requests: ChatRequest[];
  /** Queue the next reply texts; when the queue is empty, `fallback` is sent. */
  reply(...texts: string[]): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export async function startFakeChatServer(fallback = ''): Promise<FakeChatServer> {
  const queue: string[] = [];
  const requests: ChatRequest[] = [];
  const server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as ChatRequest['body'];
    requests.push({ path: req.url ?? '', body });
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      return;
    }
    const content = queue.shift() ?? fallback;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: 1_796_000_000,
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content, refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    reply: (...texts) => queue.push(...texts),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
