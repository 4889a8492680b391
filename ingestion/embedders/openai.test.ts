import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEmbedder } from './index.js';
import {
  EmbedderError,
  OpenAICompatibleEmbeddings,
  batchForApi,
  type OpenAIEmbedderOptions,
} from './openai.js';
import { dot } from './types.js';

/**
 * A fake OpenAI-compatible server speaking the real `/v1/embeddings` wire format: JSON request
 * `{ model, input: string | string[], encoding_format? }`, response `{ object: 'list', data: [{ object: 'embedding',
 * index, embedding }], model, usage }`, with `embedding` a float array or, for `encoding_format: 'base64'` (what the
 * official client asks for), little-endian float32 bytes in base64. Errors use OpenAI's `{ error: { message, type,
 * code } }` body.
 */
const RequestSchema = z.object({
  model: z.string(),
  input: z.union([z.string(), z.array(z.string())]),
  encoding_format: z.enum(['float', 'base64']).optional(),
});

interface Seen {
  authorization: string | undefined;
  inputs: string[];
}

const DIMS = 8;
let server: Server;
let baseURL: string;
let seen: Seen[] = [];
/** Status codes to answer with, in order, before answering normally. */
let failures: number[] = [];

/** Deterministic, deliberately not unit-length vectors. */
function fakeVector(text: string): number[] {
  const v = Array.from(
    { length: DIMS },
    (_, i) => ((text.charCodeAt(i % Math.max(1, text.length)) || 1) % 17) + i,
  );
  v[0] = text.length;
  return v;
}

async function body(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const send = (status: number, payload: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        send(404, { error: { message: 'not found', type: 'invalid_request_error', code: null } });
        return;
      }
      const request = RequestSchema.parse(JSON.parse(await body(req)));
      const inputs = typeof request.input === 'string' ? [request.input] : request.input;
      seen.push({ authorization: req.headers.authorization, inputs });
      const failure = failures.shift();
      if (failure === 429) {
        send(429, {
          error: {
            message: 'Rate limit reached for requests',
            type: 'requests',
            param: null,
            code: 'rate_limit_exceeded',
          },
        });
        return;
      }
      if (failure !== undefined) {
        send(failure, {
          error: { message: `status ${failure}`, type: 'server_error', param: null, code: null },
        });
        return;
      }
      send(200, {
        object: 'list',
        model: request.model,
        data: inputs.map((text, index) => {
          const v = fakeVector(text);
          const embedding =
            request.encoding_format === 'base64'
              ? Buffer.from(Float32Array.from(v).buffer).toString('base64')
              : v;
          return { object: 'embedding', index, embedding };
        }),
        usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
  failures = [];
});

/** An embedder pointed at the fake server, with a known dimension (no probe) unless overridden. */
function fakeEmbedder(options: Partial<OpenAIEmbedderOptions> = {}): Promise<OpenAICompatibleEmbeddings> {
  return OpenAICompatibleEmbeddings.create({
    model: 'fake-embed',
    baseURL,
    apiKey: 'sk-test',
    dimensions: DIMS,
    retryBaseMs: 5,
    ...options,
  });
}

describe('OpenAICompatibleEmbeddings against a fake /v1/embeddings', () => {
  it('probes an unknown model for its dimension and names itself by it', async () => {
    const embedder = await OpenAICompatibleEmbeddings.create({
      model: 'fake-embed',
      baseURL,
      apiKey: 'sk-test',
    });
    expect(embedder).toMatchObject({ id: 'openai:fake-embed-8', dimensions: 8 });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorization).toBe('Bearer sk-test');
  });

  it('batches within the input limit, keeps order and returns unit vectors', async () => {
    const embedder = await fakeEmbedder({
      maxInputsPerRequest: 3,
    });
    const texts = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf'];
    const vectors = await embedder.embedDocuments(texts);
    expect(seen.map((s) => s.inputs.length)).toEqual([3, 3, 1]);
    expect(seen.flatMap((s) => s.inputs)).toEqual(texts);
    vectors.forEach((v, i) => {
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
      const raw = fakeVector(texts[i]!);
      const rawNorm = Math.sqrt(dot(raw, raw));
      expect(v[0]).toBeCloseTo(raw[0]! / rawNorm, 5);
    });
  });

  it('batches within the token limit', async () => {
    const embedder = await fakeEmbedder({
      maxTokensPerRequest: 110,
    });
    await embedder.embedDocuments(Array.from({ length: 4 }, () => 'x'.repeat(150)));
    expect(seen.map((s) => s.inputs.length)).toEqual([2, 2]);
  });

  it('retries after a 429 and after a 503, then succeeds', async () => {
    // retryBaseMs 5 keeps the back-off short in tests; production waits 0.5 s, 1 s, 2 s, …
    const embedder = await fakeEmbedder();
    failures = [429, 503];
    const vector = await embedder.embedQuery('receive goods');
    expect(vector).toHaveLength(DIMS);
    expect(seen).toHaveLength(3);
  });

  it('does not retry a 400', async () => {
    const embedder = await fakeEmbedder();
    failures = [400];
    await expect(embedder.embedQuery('x')).rejects.toThrow();
    expect(seen).toHaveLength(1);
  });

  it('gives up after maxRetries', async () => {
    const embedder = await fakeEmbedder({ retryBaseMs: 1, maxRetries: 2 });
    failures = [500, 500, 500, 500];
    await expect(embedder.embedDocuments(['x'])).rejects.toThrow();
    expect(seen).toHaveLength(3);
  });

  it('is what createEmbedder builds for EMBEDDINGS_PROVIDER=openai', async () => {
    const embedder = await createEmbedder(
      {
        EMBEDDINGS_PROVIDER: 'openai',
        OPENAI_BASE_URL: baseURL,
        OPENAI_API_KEY: 'sk-test',
        EMBEDDINGS_MODEL: 'fake-embed',
      },
      { dataDir: '/nonexistent' },
    );
    expect(embedder.id).toBe('openai:fake-embed-8');
  });

  it('refuses to start without a key or a base URL', async () => {
    await expect(
      OpenAICompatibleEmbeddings.create({ model: 'text-embedding-3-small' }),
    ).rejects.toBeInstanceOf(EmbedderError);
  });
});

describe('batchForApi', () => {
  it('never exceeds either limit and keeps every text once, in order', () => {
    const texts = Array.from({ length: 5000 }, (_, i) => 'w '.repeat(i % 400));
    const batches = batchForApi(texts, 2048, 300_000);
    expect(batches.flat()).toEqual(texts);
    for (const b of batches) {
      expect(b.length).toBeLessThanOrEqual(2048);
      expect(b.reduce((n, t) => n + Math.ceil(t.length / 3) + 1, 0)).toBeLessThanOrEqual(300_000);
    }
  });
});
