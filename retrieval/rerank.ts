/**
 * Reranks the fused candidates with cheap, general signals that neither arm sees alone:
 * - coverage: how much of the question's information (IDF-weighted lexemes) the chunk contains — a chunk that
 *   matches the rare words of the question beats one that matches "odoo" and "order";
 * - heading coverage: the question's words in the SOP title or section heading (staff name the task they want);
 * - title coverage: the question's words in the document's own title — evidence about the document, where a chunk's
 *   heading path only says where its text sits (and any copy or excerpt of a page carries the same headings);
 * - steps: a "how do I…" question prefers a passage with numbered steps;
 * - the fused rank and the vector similarity themselves (the similarity of every candidate, not only the vector arm's);
 * - document support: a real answer page usually brings several related chunks into the candidates, while a chunk
 *   that merely contains the question's words out of context brings itself alone. Each document's best chunk gets a
 *   bonus from the scores of its other candidates (CombSUM with decay, capped), so documents compete as documents.
 *   Only the best chunk gets it, so one page does not crowd the citations.
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
  /** Optional so older tuning files and experiment overrides still parse; absent means 0. */
  title?: number;
  document?: number;
}

/** Other candidates of a document counted in its support, and the decay from one to the next. */
const DOCUMENT_SUPPORT_CHUNKS = 3;
const DOCUMENT_SUPPORT_DECAY = 0.5;

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
  titleCoverage: number;
  /**
   * Cosine similarity when the chunk ranks among the vector arm's rows, else 0 (a confidence signal: the arms agree).
   * "Ranks among" is judged by similarity against the arm's last row, so a chunk an approximate scan happened to miss
   * counts as an exact scan would have counted it.
   */
  vector: number;
  /** Cosine similarity of every candidate, whichever arm found it (the rerank signal). */
  similarity: number;
  hasSteps: number;
  /** Bonus from the document's other candidates (0 for all but the document's best chunk). */
  documentSupport: number;
}

export interface RankedCandidate extends ChunkCandidate {
  features: CandidateFeatures;
  score: number;
}

/**
 * Rarity saturates at this share of the index: a word in fewer chunks weighs as if it were in this many. Without it
 * a word the library never uses (staff's "gone", "sit") weighs ln N, so its share of a question grows with the
 * library while the words an SOP does use keep theirs, and the same question answered from the same passage lost
 * confidence as the library grew. Measured on the ask bench (odoo-docs questions, label-true `folder` distractors):
 * answerable questions wrongly refused 0.113 → 0.052 at 10 000 chunks and 0.165 → 0.103 at 50 000, refusals of the
 * rest 0.80 → 0.78; on both eval sets (197 and 520 chunks: a floor of ≤ 2 chunks) every decision is unchanged.
 */
export const RARE_DF_SHARE = 0.004;

/** Smoothed IDF; a lexeme no chunk contains gets the IDF of the rarest (a typo or a word outside the library). */
export function idf(stats: TermStatistics, lexeme: string): number {
  const n = Math.max(stats.chunks, 1);
  const df = Math.max(stats.df.get(lexeme) ?? 0, 1, n * RARE_DF_SHARE);
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
  vectorFloor: number | null = null,
): CandidateFeatures {
  const similarity = Math.max(0, c.similarity ?? c.vectorScore ?? 0);
  const inVectorArm =
    c.vectorScore !== null || (vectorFloor !== null && c.similarity !== null && c.similarity >= vectorFloor);
  return {
    fusedNorm: maxFused > 0 ? c.fused / maxFused : 0,
    coverage: coverageOf(new Set(c.matchedLexemes), terms, stats),
    headingCoverage: coverageOf(new Set(c.matchedHeadingLexemes), terms, stats),
    titleCoverage: coverageOf(new Set(c.matchedTitleLexemes), terms, stats),
    vector: inVectorArm ? similarity : 0,
    similarity,
    hasSteps: hasNumberedSteps(c.text) ? 1 : 0,
    documentSupport: 0,
  };
}

export function rerank(
  candidates: ChunkCandidate[],
  terms: QueryTerms,
  stats: TermStatistics,
  intent: QueryIntent,
  w: RerankWeights,
  vectorFloor: number | null = null,
): RankedCandidate[] {
  const maxFused = Math.max(0, ...candidates.map((c) => c.fused));
  const scored = candidates
    .map((c) => {
      const f = featuresOf(c, maxFused, terms, stats, vectorFloor);
      const score =
        w.fused * f.fusedNorm +
        w.coverage * f.coverage +
        w.headingCoverage * f.headingCoverage +
        (w.title ?? 0) * f.titleCoverage +
        w.vector * f.similarity +
        (intent === 'how-to' ? w.steps * f.hasSteps : 0);
      return { ...c, features: f, score };
    })
    .sort(byScore);
  return withDocumentSupport(scored, w.document ?? 0);
}

function byScore(a: RankedCandidate, b: RankedCandidate): number {
  return b.score - a.score || Number(a.chunkId) - Number(b.chunkId);
}

/**
 * Adds to each document's best chunk `weight × Σ decay^i × (score of its i-th other candidate / best score overall)`
 * over its next `DOCUMENT_SUPPORT_CHUNKS` candidates. `ranked` must be sorted best first.
 */
export function withDocumentSupport(ranked: RankedCandidate[], weight: number): RankedCandidate[] {
  const best = ranked[0]?.score ?? 0;
  if (weight === 0 || best <= 0) return ranked;
  const byDocument = new Map<string, RankedCandidate[]>();
  for (const c of ranked) {
    const list = byDocument.get(c.documentId);
    if (list) list.push(c);
    else byDocument.set(c.documentId, [c]);
  }
  const support = new Map<string, number>();
  for (const [documentId, list] of byDocument) {
    const others = list.slice(1, 1 + DOCUMENT_SUPPORT_CHUNKS);
    support.set(
      documentId,
      others.reduce((sum, c, i) => sum + DOCUMENT_SUPPORT_DECAY ** i * (Math.max(0, c.score) / best), 0),
    );
  }
  const seen = new Set<string>();
  return ranked
    .map((c) => {
      if (seen.has(c.documentId)) return c;
      seen.add(c.documentId);
      const documentSupport = support.get(c.documentId) ?? 0;
      if (documentSupport === 0) return c;
      return {
        ...c,
        features: { ...c.features, documentSupport },
        score: c.score + weight * documentSupport,
      };
    })
    .sort(byScore);
}
