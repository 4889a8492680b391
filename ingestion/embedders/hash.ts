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
 * - Each feature is hashed (FNV-1a, finalised with murmur3's mixer, seeded per family) to one of `dimensions`
 *   buckets, and the hash's top bit, independent of the bucket bits, gives it a sign of ±1. Signs make collisions cancel on average instead of piling up, so
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

export interface FamilyWeights {
  unigram: number;
  bigram: number;
  chargram: number;
}

export const DEFAULT_FAMILY_WEIGHTS: Readonly<FamilyWeights> = { unigram: 1.0, bigram: 0.5, chargram: 0.6 };

/** FNV-1a over `text[start, end)`, seeded per feature family, finalised with murmur3's fmix32 mixer. */
function hash32(text: string, seed: number, start = 0, end = text.length): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // fmix32 spreads FNV's weak low bits over the whole word, so low bits (bucket) and the top bit (sign) are
  // independent enough.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const SEED = { unigram: 0x75, bigram: 0x62, chargram: 0x63 } as const;

const stemCache = new Map<string, string>();
function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = /^\p{L}+$/u.test(word) ? stemmer(word) : word;
    if (stemCache.size < 200_000) stemCache.set(word, s);
  }
  return s;
}

/** Term frequencies keyed by the feature's 32-bit hash (two features of one text sharing all 32 bits is negligible). */
function add(tf: Map<number, number>, h: number): void {
  tf.set(h, (tf.get(h) ?? 0) + 1);
}

export interface HashEmbedderOptions {
  dimensions?: number;
  /** Family weights; other than the defaults they become part of the id (vectors differ). */
  weights?: Partial<FamilyWeights>;
}

export class HashEmbeddings extends Embeddings implements SopEmbeddings {
  readonly id: string;
  readonly dimensions: number;
  private readonly weights: FamilyWeights;

  constructor(options: HashEmbedderOptions = {}) {
    super({});
    this.dimensions = options.dimensions ?? 512;
    this.weights = { ...DEFAULT_FAMILY_WEIGHTS, ...options.weights };
    const w = this.weights;
    const d = DEFAULT_FAMILY_WEIGHTS;
    const custom =
      w.unigram === d.unigram && w.bigram === d.bigram && w.chargram === d.chargram
        ? ''
        : `-w${w.unigram}_${w.bigram}_${w.chargram}`;
    this.id = `hash-v1${custom}-${this.dimensions}`;
  }

  /** Synchronous core, also used by the combined embedder. */
  embed(text: string): Float32Array {
    const content = words(text).filter((w) => !STOP_WORDS.has(w));
    const unigrams = new Map<number, number>();
    const bigrams = new Map<number, number>();
    const chargrams = new Map<number, number>();
    let previous: string | undefined;
    for (const word of content) {
      const s = stem(word);
      add(unigrams, hash32(s, SEED.unigram));
      if (previous !== undefined) add(bigrams, hash32(`${previous} ${s}`, SEED.bigram));
      previous = s;
      // Character n-grams hashed in place (no substrings): n = 3..5 over "<word>".
      const padded = `<${word}>`;
      for (let n = 3; n <= 5; n++) {
        for (let i = 0; i + n <= padded.length; i++) add(chargrams, hash32(padded, SEED.chargram, i, i + n));
      }
    }
    const out = new Float32Array(this.dimensions);
    this.addFamily(out, unigrams, this.weights.unigram);
    this.addFamily(out, bigrams, this.weights.bigram);
    this.addFamily(out, chargrams, this.weights.chargram);
    let norm = 0;
    for (let i = 0; i < out.length; i++) norm += out[i]! * out[i]!;
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let i = 0; i < out.length; i++) out[i]! *= inv;
    }
    return out;
  }

  private addFamily(out: Float32Array, tf: Map<number, number>, weight: number): void {
    if (tf.size === 0) return;
    const family = new Float32Array(this.dimensions);
    for (const [h, n] of tf) {
      const sign = h & 0x80000000 ? -1 : 1;
      family[h % this.dimensions]! += sign * (1 + Math.log(n));
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
