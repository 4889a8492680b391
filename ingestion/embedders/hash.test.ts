import { describe, expect, it } from 'vitest';
import { HashEmbeddings } from './hash.js';
import { dot } from './types.js';

const norm = (v: number[]): number => Math.sqrt(dot(v, v));

describe('HashEmbeddings', () => {
  const embedder = new HashEmbeddings();

  it('names itself by method and dimension', () => {
    expect(embedder.id).toBe('hash-v1-512');
    expect(embedder.dimensions).toBe(512);
    expect(new HashEmbeddings({ dimensions: 384 }).id).toBe('hash-v1-384');
    // Other family weights give other vectors, so they are part of the id.
    expect(new HashEmbeddings({ weights: { chargram: 0 } }).id).toBe('hash-v1-w1_0.5_0-512');
  });

  it('is deterministic across calls and instances, and embedQuery matches embedDocuments', async () => {
    const text = 'Validate the receipt and create a backorder for the missing quantity.';
    const [a] = await embedder.embedDocuments([text]);
    const b = await new HashEmbeddings().embedQuery(text);
    expect(a).toEqual(b);
    expect(a).toHaveLength(512);
  });

  it('returns unit-length vectors, and the zero vector for text without words', async () => {
    const vectors = await embedder.embedDocuments([
      'Receipts',
      'A much longer text about cycle counts in the ward store.',
    ]);
    for (const v of vectors) expect(norm(v)).toBeCloseTo(1, 5);
    expect(norm(await embedder.embedQuery('… — !!'))).toBe(0);
  });

  it('matches inflections through stems and spelling variants through character n-grams', async () => {
    const [query, inflected, unrelated, variant] = await embedder.embedDocuments([
      'receiving purchase orders',
      'receive a purchase order',
      'approve employee leave',
      'back-order handling',
    ]);
    expect(dot(query!, inflected!)).toBeGreaterThan(0.6);
    expect(dot(query!, unrelated!)).toBeLessThan(0.15);
    const backorder = await embedder.embedQuery('backorder handling');
    expect(dot(backorder, variant!)).toBeGreaterThan(dot(backorder, unrelated!) + 0.3);
  });

  it('ranks the document sharing the query terms first', async () => {
    const docs = [
      'Quality alerts are raised when a product fails a quality check.',
      'To receive a partial delivery, validate the receipt and create a backorder.',
      'Time off requests are approved by the employee manager.',
    ];
    const vectors = await embedder.embedDocuments(docs);
    const q = await embedder.embedQuery('partial delivery backorder');
    const scores = vectors.map((v) => dot(q, v));
    expect(scores.indexOf(Math.max(...scores))).toBe(1);
  });
});
