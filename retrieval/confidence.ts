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
import { withoutInjectionLines } from '../ingestion/guard.js';
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
  'focusUncovered',
  'focusUnreadable',
  'focusForbidden',
  'elsewhereGap',
  'rarestInTop',
  'phraseUnreadable',
] as const;

export type ConfidenceFeature = (typeof CONFIDENCE_FEATURES)[number];

export interface ConfidenceModel {
  bias: number;
  weights: Record<ConfidenceFeature, number>;
}

export type ConfidenceInputs = Record<ConfidenceFeature, number>;

/**
 * One content word of the question, as the answerability check sees it: the light stems that count as "this word is
 * there" (its own, plus those of its synonym/abbreviation expansions: "PO" is covered by "purchase order"), the IDF
 * of its indexed lexeme (how much of the question it carries), and whether the asker can read it anywhere.
 */
export interface FocusWord {
  word: string;
  stems: string[];
  idf: number;
  /** Chunks of the whole index holding the word (any access): > 0 but not readable means "in a document you can't read". */
  df: number;
  readable: boolean;
}

/**
 * Stems of what a passage really says: its heading path and every sentence, step or row except lines that read like
 * instructions to the assistant — those are never quoted, so they must not make a passage look like an answer.
 */
export function evidenceStems(headingPath: string[], text: string): Set<string> {
  return new Set(contentStems(`${headingPath.join(' ')} ${withoutInjectionLines(text)}`));
}

/**
 * Answerability of the question by the top passage, from its focus words. A question is carried by its rare words
 * ("payslip", "dropship", "careers"): when they are missing from the best passage, or from everything the asker may
 * read, the passage shares only the common words ("create", "employee") and does not answer. Masses are in IDF units
 * scaled by the index's maximum IDF, so one missing singleton word costs ~1 whatever the library's size.
 */
export function focusSignals(
  focus: FocusWord[],
  evidence: ReadonlySet<string>,
  maxIdf: number,
): Pick<ConfidenceInputs, 'focusUncovered' | 'focusUnreadable' | 'focusForbidden' | 'rarestInTop'> {
  if (focus.length === 0 || maxIdf <= 0)
    return { focusUncovered: 1, focusUnreadable: 1, focusForbidden: 0, rarestInTop: 0 };
  const has = (f: FocusWord) => f.stems.some((s) => evidence.has(s));
  let uncovered = 0;
  let unreadable = 0;
  let forbidden = 0;
  for (const f of focus) {
    if (!has(f)) uncovered += f.idf;
    if (!f.readable) unreadable += f.idf;
    if (!f.readable && f.df > 0) forbidden += f.idf;
  }
  const rarest = focus.reduce((a, b) => (b.idf > a.idf ? b : a));
  return {
    focusUncovered: uncovered / maxIdf,
    focusUnreadable: unreadable / maxIdf,
    focusForbidden: forbidden / maxIdf,
    rarestInTop: has(rarest) ? 1 : 0,
  };
}

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
  focus: FocusWord[] = [],
  access: Pick<ConfidenceInputs, 'elsewhereGap' | 'phraseUnreadable'> = { elsewhereGap: 0, phraseUnreadable: 0 },
): ConfidenceInputs {
  const maxIdf = Math.log(1 + (Math.max(stats.chunks, 1) - 0.5) / 1.5);
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
      ...focusSignals(focus, new Set(), maxIdf),
      ...access,
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
    ...focusSignals(focus, evidenceStems(top.headingPath, top.text), maxIdf),
    ...access,
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
