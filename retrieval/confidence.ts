/**
 * Confidence in 0..1 that the best passage answers the question, from a small logistic model over general signals of
 * the reranked list. The model's weights are data (`data/retrieval.yml`), fitted on labelled question sets with
 * `tsx test/retrieval/tune.ts`; refusal is then "confidence below the threshold".
 *
 * Why these signals: refusing well is mostly about noticing that the question's *specific* words are nowhere in what
 * this person may read. A forbidden or out-of-scope question still finds loosely related passages (shared words such
 * as "order", "approve"), so similarity alone cannot separate them; the IDF-weighted coverage of the question by the
 * best passage, and whether its rarest words are found at all, can.
 */
import type { TermStatistics } from '../store/search.js';
import type { QueryTerms, RankedCandidate } from './rerank.js';
import { idf } from './rerank.js';

export const CONFIDENCE_FEATURES = [
  'coverage',
  'headingCoverage',
  'vector',
  'rareFound',
  'bothArms',
  'margin',
  'unknownShare',
] as const;

export type ConfidenceFeature = (typeof CONFIDENCE_FEATURES)[number];

export interface ConfidenceModel {
  bias: number;
  weights: Record<ConfidenceFeature, number>;
}

export type ConfidenceInputs = Record<ConfidenceFeature, number>;

export function confidenceInputs(ranked: RankedCandidate[], terms: QueryTerms, stats: TermStatistics): ConfidenceInputs {
  const top = ranked[0];
  if (!top) {
    return { coverage: 0, headingCoverage: 0, vector: 0, rareFound: 0, bothArms: 0, margin: 0, unknownShare: 1 };
  }
  // The two most specific words of the question: are they in the best passage (or its synonyms)?
  const byIdf = [...new Set(terms.question)].sort((a, b) => idf(stats, b) - idf(stats, a) || a.localeCompare(b));
  const rare = byIdf.slice(0, 2);
  const inTop = new Set(top.matchedLexemes);
  const expansionHit = terms.expansion.some((l) => inTop.has(l));
  const rareFound = rare.length
    ? rare.filter((l) => inTop.has(l)).length / rare.length
    : 0;
  const unknown = terms.question.filter((l) => !stats.df.has(l)).length;
  const second = ranked.find((c) => c.documentId !== top.documentId);
  return {
    coverage: top.features.coverage,
    headingCoverage: top.features.headingCoverage,
    vector: top.features.vector,
    rareFound: expansionHit ? Math.max(rareFound, 0.5) : rareFound,
    bothArms: top.vectorRank !== null && top.textRank !== null ? 1 : 0,
    margin: second ? Math.max(0, top.score - second.score) : top.score,
    unknownShare: terms.question.length ? unknown / terms.question.length : 1,
  };
}

export function calibrate(inputs: ConfidenceInputs, model: ConfidenceModel): number {
  let z = model.bias;
  for (const f of CONFIDENCE_FEATURES) z += model.weights[f] * inputs[f];
  const p = 1 / (1 + Math.exp(-z));
  return Math.round(p * 1000) / 1000;
}
