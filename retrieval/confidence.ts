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
import { unitsOf } from './extractive.js';
import { coverageOf, idf } from './rerank.js';
import { contentStems } from './text.js';

export const CONFIDENCE_FEATURES = [
  'coverage',
  'unitCoverage',
  'docCoverage',
  'headingCoverage',
  'readable',
  'vector',
  'rareFound',
  'bothArms',
  'armsAgree',
  'rareReadable',
  'margin',
  'unknownShare',
  'phrase',
  'coverageXvector',
  'unitXheading',
] as const;

export type ConfidenceFeature = (typeof CONFIDENCE_FEATURES)[number];

export interface ConfidenceModel {
  bias: number;
  weights: Record<ConfidenceFeature, number>;
}

export type ConfidenceInputs = Record<ConfidenceFeature, number>;

/**
 * @param readable question lexemes that occur somewhere the asker may read (from the search statement itself, so
 *   this never looks outside the asker's access).
 */
export function confidenceInputs(
  ranked: RankedCandidate[],
  terms: QueryTerms,
  stats: TermStatistics,
  readable: ReadonlySet<string>,
  wordWeights: ReadonlyMap<string, number> = new Map(),
  questionText = '',
): ConfidenceInputs {
  const question = [...new Set(terms.question)];
  const weight = (ls: string[]) => ls.reduce((a, l) => a + idf(stats, l), 0);
  const total = weight(question);
  const readableShare = total > 0 ? weight(question.filter((l) => readable.has(l))) / total : 0;
  const unknown = question.filter((l) => !readable.has(l)).length;
  const top = ranked[0];
  if (!top) {
    return {
      coverage: 0,
      unitCoverage: 0,
      docCoverage: 0,
      headingCoverage: 0,
      readable: readableShare,
      vector: 0,
      rareFound: 0,
      bothArms: 0,
      armsAgree: 0,
      rareReadable: 0,
      margin: 0,
      unknownShare: question.length ? unknown / question.length : 1,
      phrase: 0,
      coverageXvector: 0,
      unitXheading: 0,
    };
  }
  // The two most specific words of the question: are they in the best passage?
  const rare = [...question].sort((a, b) => idf(stats, b) - idf(stats, a) || a.localeCompare(b)).slice(0, 2);
  const inTop = new Set(top.matchedLexemes);
  const rareFound = rare.length ? rare.filter((l) => inTop.has(l)).length / rare.length : 0;
  const rareReadable = rare.length ? rare.filter((l) => readable.has(l)).length / rare.length : 0;
  // Does each arm on its own put the top document first?
  const vectorBest = ranked.reduce<RankedCandidate | undefined>(
    (b, c) => (c.vectorRank !== null && (b === undefined || c.vectorRank < b.vectorRank!) ? c : b),
    undefined,
  );
  const textBest = ranked.reduce<RankedCandidate | undefined>(
    (b, c) => (c.textRank !== null && (b === undefined || c.textRank < b.textRank!) ? c : b),
    undefined,
  );
  const armsAgree =
    ((vectorBest?.documentId === top.documentId ? 1 : 0) +
      (textBest?.documentId === top.documentId ? 1 : 0)) /
    2;
  const inDoc = new Set(
    ranked.filter((c) => c.documentId === top.documentId).flatMap((c) => c.matchedLexemes),
  );
  const second = ranked.find((c) => c.documentId !== top.documentId);
  const unitCoverage = Math.max(...ranked.slice(0, 3).map((c) => bestUnitCoverage(c.text, wordWeights)));
  return {
    coverage: top.features.coverage,
    unitCoverage,
    phrase: phraseCoverage(questionText, `${top.headingPath.join(' ')} ${top.text}`),
    coverageXvector: top.features.coverage * top.features.vector,
    unitXheading: unitCoverage * top.features.headingCoverage,
    docCoverage: coverageOf(inDoc, terms, stats),
    headingCoverage: top.features.headingCoverage,
    readable: readableShare,
    vector: top.features.vector,
    rareFound,
    bothArms: top.vectorRank !== null && top.textRank !== null ? 1 : 0,
    armsAgree,
    rareReadable,
    margin: second ? Math.max(0, top.score - second.score) : top.score,
    unknownShare: question.length ? unknown / question.length : 1,
  };
}

/**
 * IDF-weighted share of the question's content words found together in ONE sentence, step or table row of the
 * passage. An answer usually sits in one sentence; a passage that only shares scattered words with the question does
 * not answer it.
 */
export function bestUnitCoverage(text: string, wordWeights: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const w of wordWeights.values()) total += w;
  if (total === 0) return 0;
  let best = 0;
  for (const u of unitsOf(text)) {
    const stems = new Set(contentStems(u.text));
    let hit = 0;
    for (const [s, w] of wordWeights) if (stems.has(s)) hit += w;
    best = Math.max(best, hit / total);
  }
  return best;
}

/**
 * Share of the question's adjacent content-word pairs ("purchase request", "vendor bill") that also sit next to
 * each other in the passage: a phrase match is far more specific than the same two words apart.
 */
export function phraseCoverage(question: string, passage: string): number {
  const q = contentStems(question);
  const pairs = new Set<string>();
  for (let i = 1; i < q.length; i++) pairs.add(`${q[i - 1]} ${q[i]}`);
  if (pairs.size === 0) return 0;
  const p = contentStems(passage);
  const inPassage = new Set<string>();
  for (let i = 1; i < p.length; i++) inPassage.add(`${p[i - 1]} ${p[i]}`);
  let hit = 0;
  for (const x of pairs) if (inPassage.has(x)) hit++;
  return hit / pairs.size;
}

export function calibrate(inputs: ConfidenceInputs, model: ConfidenceModel): number {
  let z = model.bias;
  for (const f of CONFIDENCE_FEATURES) z += model.weights[f] * inputs[f];
  const p = 1 / (1 + Math.exp(-z));
  return Math.round(p * 1000) / 1000;
}
