/**
 * Reranks the fused candidates with cheap, general signals that neither arm sees alone:
 * - coverage: how much of the question's information (IDF-weighted lexemes) the chunk contains — a chunk that
 *   matches the rare words of the question beats one that matches "odoo" and "order";
 * - heading coverage: the question's words in the SOP title or section heading (staff name the task they want);
 * - steps: a "how do I…" question prefers a passage with numbered steps;
 * - the fused rank and the vector similarity themselves.
 * The same features feed confidence calibration (confidence.ts), so rerank and refusal agree on what "relevant" means.
 */
import type { ChunkCandidate, TermStatistics } from '../store/search.js';
import type { QueryIntent } from './query.js';

export interface RerankWeights {
  fused: number;
  coverage: number;
  headingCoverage: number;
  vector: number;
  steps: number;
}

export interface QueryTerms {
  /** Lexemes of the question itself (and the previous question for a follow-up). */
  question: string[];
  /** Lexemes only the synonym expansion added. */
  expansion: string[];
}

export interface CandidateFeatures {
  fusedNorm: number;
  coverage: number;
  headingCoverage: number;
  vector: number;
  hasSteps: number;
}

export interface RankedCandidate extends ChunkCandidate {
  features: CandidateFeatures;
  score: number;
}

/** Smoothed IDF; a lexeme no chunk contains gets the IDF of a singleton (a typo or a word outside the library). */
export function idf(stats: TermStatistics, lexeme: string): number {
  const n = Math.max(stats.chunks, 1);
  const df = Math.max(stats.df.get(lexeme) ?? 0, 1);
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

const NUMBERED_STEP = /(^|\n)\s*(\d{1,2}[.)]|step \d+)\s+\S/i;

export function hasNumberedSteps(text: string): boolean {
  const m = text.match(new RegExp(NUMBERED_STEP.source, 'gi'));
  return (m?.length ?? 0) >= 2;
}

/** IDF mass of the question covered by `matched`, with expansion lexemes standing in for unmatched question ones. */
export function coverageOf(matched: Set<string>, terms: QueryTerms, stats: TermStatistics): number {
  let total = 0;
  let hit = 0;
  for (const l of terms.question) {
    const w = idf(stats, l);
    total += w;
    if (matched.has(l)) hit += w;
  }
  if (total === 0) return 0;
  let expansionHit = 0;
  for (const l of terms.expansion) if (matched.has(l)) expansionHit += idf(stats, l);
  return Math.min(1, (hit + Math.min(total - hit, expansionHit * 0.8)) / total);
}

export function featuresOf(
  c: ChunkCandidate,
  maxFused: number,
  terms: QueryTerms,
  stats: TermStatistics,
): CandidateFeatures {
  return {
    fusedNorm: maxFused > 0 ? c.fused / maxFused : 0,
    coverage: coverageOf(new Set(c.matchedLexemes), terms, stats),
    headingCoverage: coverageOf(new Set(c.matchedHeadingLexemes), terms, stats),
    vector: Math.max(0, c.vectorScore ?? 0),
    hasSteps: hasNumberedSteps(c.text) ? 1 : 0,
  };
}

export function rerank(
  candidates: ChunkCandidate[],
  terms: QueryTerms,
  stats: TermStatistics,
  intent: QueryIntent,
  w: RerankWeights,
): RankedCandidate[] {
  const maxFused = Math.max(0, ...candidates.map((c) => c.fused));
  return candidates
    .map((c) => {
      const f = featuresOf(c, maxFused, terms, stats);
      const score =
        w.fused * f.fusedNorm +
        w.coverage * f.coverage +
        w.headingCoverage * f.headingCoverage +
        w.vector * f.vector +
        (intent === 'how-to' ? w.steps * f.hasSteps : 0);
      return { ...c, features: f, score };
    })
    .sort((a, b) => b.score - a.score || Number(a.chunkId) - Number(b.chunkId));
}
