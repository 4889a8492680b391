/**
 * `openai`: any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, …) through
 * LangChain's `OpenAIEmbeddings`.
 *
 * What this wrapper adds:
 * - Batching within the API's limits: at most 2048 inputs and about 300 000 tokens per request. Tokens are estimated
 *   as characters / 3 (pessimistic for English), so a batch never trips the token limit; LangChain's own batching is
 *   set to the same input count so one of our batches is one request.
 * - Retries on 429 and 5xx (and dropped connections) with exponential back-off and jitter, honouring `retry-after`;
 *   other 4xx and exhausted quota fail at once. This loop is ours, not LangChain's AsyncCaller: that one gives up on a
 *   429 that carries no `retry-after` header, which some compatible servers send.
 * - Known dimensions for OpenAI's models; any other model is asked once (one tiny request) at start.
 * - Unit-length vectors whatever the server returns (OpenAI's are already normalised; others' may not be).
 */
import { Embeddings } from '@langchain/core/embeddings';
import { OpenAIEmbeddings } from '@langchain/openai';
import type { SopEmbeddings } from './types.js';

const KNOWN_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

export class EmbedderError extends Error {
  override readonly name = 'EmbedderError';
}

interface ErrorLike {
  status?: unknown;
  code?: unknown;
  name?: unknown;
  headers?: unknown;
  error?: { code?: unknown };
}

function retryAfterMs(error: ErrorLike): number | undefined {
  const headers = error.headers;
  const read = (name: string): string | null | undefined =>
    headers instanceof Headers
      ? headers.get(name)
      : headers && typeof headers === 'object'
        ? ((headers as Record<string, string | undefined>)[name] ?? null)
        : undefined;
  const ms = Number(read('retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && read('retry-after-ms') != null) return ms;
  const seconds = Number(read('retry-after'));
  if (Number.isFinite(seconds) && seconds >= 0 && read('retry-after') != null) return seconds * 1000;
  return undefined;
}

/** 429 (except exhausted quota), 5xx and network failures are worth another try; other errors are not. */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as ErrorLike;
  if (e.code === 'insufficient_quota' || e.error?.code === 'insufficient_quota') return false;
  if (e.name === 'AbortError') return false;
  const status = typeof e.status === 'number' ? e.status : undefined;
  if (status === undefined)
    return (
      e.name === 'APIConnectionError' || e.name === 'APIConnectionTimeoutError' || e.code === 'ECONNRESET'
    );
  return status === 429 || status >= 500;
}

export interface OpenAIEmbedderOptions {
  model: string;
  baseURL?: string | undefined;
  apiKey?: string | undefined;
  maxInputsPerRequest?: number;
  maxTokensPerRequest?: number;
  maxRetries?: number;
  /** Skip the probe request when the caller knows the model's dimension. */
  dimensions?: number;
  /** First back-off delay; doubles per retry (with jitter), capped at 30 s. */
  retryBaseMs?: number;
}

async function withRetries<T>(call: () => Promise<T>, maxRetries: number, baseMs: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= maxRetries || !isRetryable(error)) throw error;
      const hinted = retryAfterMs(error as ErrorLike);
      const backoff = baseMs * 2 ** attempt * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, hinted ?? backoff)));
    }
  }
}

function normalise(v: number[]): number[] {
  let s = 0;
  for (const x of v) s += x * x;
  if (s === 0 || Math.abs(s - 1) < 1e-6) return v;
  const inv = 1 / Math.sqrt(s);
  return v.map((x) => x * inv);
}

/** Splits `texts` into consecutive batches within the count and estimated-token limits. */
export function batchForApi(texts: string[], maxInputs: number, maxTokens: number): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let tokens = 0;
  for (const text of texts) {
    const t = Math.ceil(text.length / 3) + 1;
    if (current.length > 0 && (current.length >= maxInputs || tokens + t > maxTokens)) {
      batches.push(current);
      current = [];
      tokens = 0;
    }
    current.push(text);
    tokens += t;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export class OpenAICompatibleEmbeddings extends Embeddings implements SopEmbeddings {
  readonly id: string;

  private constructor(
    private readonly inner: OpenAIEmbeddings,
    readonly dimensions: number,
    model: string,
    private readonly maxInputs: number,
    private readonly maxTokens: number,
    private readonly retry: <T>(call: () => Promise<T>) => Promise<T>,
  ) {
    super({});
    this.id = `openai:${model}-${dimensions}`;
  }

  static async create(options: OpenAIEmbedderOptions): Promise<OpenAICompatibleEmbeddings> {
    if (!options.apiKey && !options.baseURL) {
      throw new EmbedderError(
        'EMBEDDINGS_PROVIDER=openai needs OPENAI_API_KEY (for OpenAI) or OPENAI_BASE_URL (for a compatible server)',
      );
    }
    const maxInputs = options.maxInputsPerRequest ?? 2048;
    const inner = new OpenAIEmbeddings({
      model: options.model,
      // Local servers (Ollama, vLLM) often need no key, but the client insists on one.
      apiKey: options.apiKey || 'not-needed',
      batchSize: maxInputs,
      // Retries happen in `withRetries`; one attempt per call here.
      maxRetries: 0,
      maxConcurrency: 2,
      ...(options.baseURL ? { configuration: { baseURL: options.baseURL } } : {}),
    });
    const maxRetries = options.maxRetries ?? 6;
    const baseMs = options.retryBaseMs ?? 500;
    const retry = <T>(call: () => Promise<T>): Promise<T> => withRetries(call, maxRetries, baseMs);
    let dimensions = options.dimensions ?? KNOWN_DIMENSIONS[options.model];
    if (dimensions === undefined) {
      const probe = await retry(() => inner.embedQuery('dimension probe'));
      dimensions = probe.length;
    }
    return new OpenAICompatibleEmbeddings(
      inner,
      dimensions,
      options.model,
      maxInputs,
      options.maxTokensPerRequest ?? 300_000,
      retry,
    );
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (const batch of batchForApi(texts, this.maxInputs, this.maxTokens)) {
      const vectors = await this.retry(() => this.inner.embedDocuments(batch));
      for (const v of vectors) out.push(this.check(v));
    }
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.check(await this.retry(() => this.inner.embedQuery(text)));
  }

  private check(v: number[]): number[] {
    if (v.length !== this.dimensions) {
      throw new EmbedderError(
        `the embeddings endpoint returned ${v.length} dimensions, expected ${this.dimensions} (${this.id}); check EMBEDDINGS_MODEL`,
      );
    }
    return normalise(v);
  }
}
