import { describe, expect, it } from 'vitest';
import type { ChunkCandidate, TermStatistics } from '../store/search.js';
import { rerank } from './rerank.js';
import type { RerankWeights } from './rerank.js';

const stats: TermStatistics = {
  chunks: 1000,
  df: new Map([
    ['refund', 5],
    ['vendor', 50],
  ]),
};
const terms = { question: ['refund', 'vendor'], expansion: [] };

function candidate(id: number, documentId: string, over: Partial<ChunkCandidate> = {}): ChunkCandidate {
  return {
    chunkId: String(id),
    documentId,
    ordinal: id,
    headingPath: ['Vendor refunds'],
    text: 'text',
    source: 'folder',
    path: `${documentId}.md`,
    title: documentId,
    url: null,
    version: 'v1',
    vectorRank: null,
    vectorScore: null,
    similarity: 0.3,
    textRank: null,
    textScore: null,
    fused: 0.01,
    matchedLexemes: [],
    matchedHeadingLexemes: [],
    matchedTitleLexemes: [],
    lexemeCount: 40,
    ...over,
  };
}

const base: RerankWeights = { fused: 1, coverage: 1, headingCoverage: 0, vector: 1, steps: 0 };

describe('rerank', () => {
  it('scores every candidate by its cosine, also one only the full-text arm found', () => {
    const [top] = rerank(
      [candidate(1, 'a', { similarity: 0.2 }), candidate(2, 'b', { similarity: 0.6, vectorScore: null })],
      terms,
      stats,
      'other',
      base,
    );
    expect(top?.documentId).toBe('b');
    expect(top?.features.similarity).toBeCloseTo(0.6);
    expect(top?.features.vector).toBe(0);
  });

  it("counts a chunk the approximate vector scan missed as the vector arm's when its cosine clears the arm's last row", () => {
    const missed = candidate(1, 'a', { similarity: 0.55 });
    const below = candidate(2, 'b', { similarity: 0.35 });
    const found = candidate(3, 'c', { similarity: 0.5, vectorScore: 0.5, vectorRank: 1 });
    const features = (floor: number | null) =>
      new Map(
        rerank([missed, below, found], terms, stats, 'other', base, floor).map((c) => [
          c.documentId,
          c.features.vector,
        ]),
      );
    expect(Object.fromEntries(features(0.4))).toEqual({ a: 0.55, b: 0, c: 0.5 });
    // Without a floor (no vector rows) only the arm's own rows count.
    expect(Object.fromEntries(features(null))).toEqual({ a: 0, b: 0, c: 0.5 });
  });

  it('counts the question words in the document title, not in the copied heading path', () => {
    const lone = candidate(1, 'archive', { matchedHeadingLexemes: ['refund', 'vendor'] });
    const titled = candidate(2, 'refunds', { matchedTitleLexemes: ['refund', 'vendor'] });
    const ranked = rerank([lone, titled], terms, stats, 'other', { ...base, title: 0.5 });
    expect(ranked[0]?.documentId).toBe('refunds');
    expect(ranked[0]?.features.titleCoverage).toBe(1);
    expect(ranked[1]?.features.titleCoverage).toBe(0);
  });

  it('lifts the best chunk of a document that several candidates support, and only that chunk', () => {
    const lone = candidate(1, 'lone', { matchedLexemes: ['refund', 'vendor'] });
    const page = [2, 3, 4].map((id) => candidate(id, 'page', { matchedLexemes: ['refund'] }));
    const without = rerank([lone, ...page], terms, stats, 'other', base);
    expect(without[0]?.documentId).toBe('lone');
    const ranked = rerank([lone, ...page], terms, stats, 'other', { ...base, document: 1 });
    expect(ranked[0]?.documentId).toBe('page');
    expect(ranked[0]?.features.documentSupport).toBeGreaterThan(0);
    expect(ranked.filter((c) => c.features.documentSupport > 0)).toHaveLength(1);
    // The other chunks of the page keep their own score, below the lone chunk.
    expect(ranked[1]?.documentId).toBe('lone');
  });
});
