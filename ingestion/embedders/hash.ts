/**
 * `hash`: a lexical embedder that needs no model, no weights and no network — the offline default.
 *
 * Method (signed feature hashing, "the hashing trick"):
 * - Text is tokenised into lower-cased, accent-folded words (`tokenize.ts`). Three families of features are drawn:
 *   1. word unigrams: Porter-stemmed words minus stop words ("receiving" and "receipts" → `receiv`, `receipt`);
 *   2. word bigrams of those stems, in order (`goods receipt` differs from `receipt goods`' neighbours);
 *   3. character 3–5-grams of each content word wrapped in `<…>` (unstemmed), which match spelling variants,
 *      compounds and typos ("backorder" ~ "back order", "replenish" ~ "replenishment").
 * - Each feature's count is damped sublinearly (1 + ln tf) so a repeated word does not drown the rest.
 * - Each feature is hashed (FNV-1a, finalised with murmur3's mixer) to one of `dimensions` buckets, and a second,
 *   independent hash bit gives it a sign of ±1. Signs make collisions cancel on average instead of piling up, so
 *   the dot product of two hashed vectors is an unbiased estimate of the dot product of the unhashed ones.
 * - Each family is L2-normalised on its own and weighted (unigrams 1.0, bigrams 0.5, char n-grams 0.6) before they
 *   are summed and the result is L2-normalised, so long words (many n-grams) do not outweigh whole-word matches.
 * It is deterministic, stateless (no vocabulary, no IDF fitted on a corpus) and fast; it knows nothing of synonyms —
 * that is what the word-vector embedder adds.
 */
import { Embeddings } from '@langchain/core/embeddings';
import { stemmer } from 'stemmer';
import { STOP_WORDS, words } from './tokenize.js';
import type { SopEmbeddings } from './types.js';

const FAMILY_WEIGHTS = { unigram: 1.0, bigram: 0.5, chargram: 0.6 } as const;

function fnv1a(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // murmur3 fmix32: spreads FNV's weak low bits over the whole word.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const stemCache = new Map<string, string>();
function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = /^\p{L}+$/u.test(word) ? stemmer(word) : word;
    if (stemCache.size < 200_000) stemCache.set(word, s);
  }
  return s;
}

function count(features: string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const f of features) tf.set(f, (tf.get(f) ?? 0) + 1);
  return tf;
}

export interface HashEmbedderOptions {
  dimensions?: number;
}

export class HashEmbeddings extends Embeddings implements SopEmbeddings {
  readonly id: string;
  readonly dimensions: number;

  constructor(options: HashEmbedderOptions = {}) {
    super({});
    this.dimensions = options.dimensions ?? 512;
    this.id = `hash-v1-${this.dimensions}`;
  }

  /** Synchronous core, also used by the combined embedder. */
  embed(text: string): Float32Array {
    const content = words(text).filter((w) => !STOP_WORDS.has(w));
    const stems = content.map(stem);
    const bigrams: string[] = [];
    for (let i = 1; i < stems.length; i++) bigrams.push(`${stems[i - 1]} ${stems[i]}`);
    const chargrams: string[] = [];
    for (const w of content) {
      const padded = `<${w}>`;
      for (let n = 3; n <= 5; n++) {
        for (let i = 0; i + n <= padded.length; i++) chargrams.push(padded.slice(i, i + n));
      }
    }
    const out = new Float32Array(this.dimensions);
    this.addFamily(out, count(stems), 'u', FAMILY_WEIGHTS.unigram);
    this.addFamily(out, count(bigrams), 'b', FAMILY_WEIGHTS.bigram);
    this.addFamily(out, count(chargrams), 'c', FAMILY_WEIGHTS.chargram);
    let norm = 0;
    for (let i = 0; i < out.length; i++) norm += out[i]! * out[i]!;
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let i = 0; i < out.length; i++) out[i]! *= inv;
    }
    return out;
  }

  private addFamily(out: Float32Array, tf: Map<string, number>, prefix: string, weight: number): void {
    if (tf.size === 0) return;
    const family = new Float32Array(this.dimensions);
    for (const [feature, n] of tf) {
      const key = `${prefix}:${feature}`;
      const bucket = fnv1a(key, 0) % this.dimensions;
      const sign = fnv1a(key, 0x9e3779b9) & 1 ? 1 : -1;
      family[bucket]! += sign * (1 + Math.log(n));
    }
    let norm = 0;
    for (let i = 0; i < family.length; i++) norm += family[i]! * family[i]!;
    if (norm === 0) return;
    const scale = weight / Math.sqrt(norm);
    for (let i = 0; i < family.length; i++) out[i]! += family[i]! * scale;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => Array.from(this.embed(t)));
  }

  async embedQuery(text: string): Promise<number[]> {
    return Array.from(this.embed(text));
  }
}
