/**
 * Eval metrics, computed from what the assistant returned for each case. Pure functions: no I/O, no clock.
 *
 * Ranking metrics look at the *distinct sources* of an answered reply's citations, in order (several passages of one
 * SOP count once, at their best rank). A refused reply ranks nothing, so it scores 0 on hit@k/MRR/nDCG: the person got
 * no answer. Relevance is binary: a source is relevant when it is in `expected_sources`.
 *
 * `ranking_*` are the same figures for retrieval alone, the way the bars and the BM25 reference read them:
 * a refused answerable question is scored on what the assistant would have cited with the confidence gate off, and
 * refusing it counts in `false_refusals` instead.
 *
 * Forbidden citations are counted over every case (answerable or not, answered or refused): any citation — any SOP a
 * refusal points to as closest, and any chunk the reply exposes as considered — whose source the case's role may not read (per access.yml) or that the case
 * lists in `forbidden_sources`. It must be 0, always.
 */
import { caseKind, type CaseKind, type EvalCase } from './dataset.js';
import type { AccessOracle } from './access.js';

export interface OutcomeCitation {
  source: string;
  title?: string;
  section?: string;
}

/** What came back for one case, reduced to what the metrics need. */
export interface CaseOutcome {
  case: EvalCase;
  answered: boolean;
  citations: OutcomeCitation[];
  /** For a refused reply: what it would have cited with the confidence gate off (retrieval's own ranking). */
  ungatedCitations?: OutcomeCitation[];
  /** A refusal's closest readable SOPs (`Reply.related`): shown to the person, so held to the same access rule. */
  related?: OutcomeCitation[];
  /** Sources of chunks the reply exposes as considered/returned, when it exposes them. */
  considered?: string[];
  confidence: number;
  /** The reply's text (lead, body, steps) as the person would read it. */
  answerText: string;
  latencyMs: number;
  /** Set when `ask` threw; the case then counts as refused with no citations. */
  error?: string;
}

export type ForbiddenReason = 'role-cannot-read' | 'listed-forbidden';

export interface ForbiddenHit {
  source: string;
  where: 'citation' | 'related' | 'considered';
  reason: ForbiddenReason;
}

export type FailureReason =
  | 'error'
  | 'false-refusal'
  | 'wrong-first-source'
  | 'expected-not-in-top-5'
  | 'missing-must-include'
  | 'answered-unanswerable'
  | 'answered-forbidden'
  | 'forbidden-citation';

export interface CaseScore {
  id: string;
  kind: CaseKind;
  hit1: boolean | null;
  hit5: boolean | null;
  reciprocalRank: number | null;
  /** The same three on retrieval's ranking (the gate's refusal ignored). */
  rankingHit1: boolean | null;
  rankingHit5: boolean | null;
  rankingReciprocalRank: number | null;
  /**
   * The expected page is in front of the person: among the answer's first five sources, or, on a refusal, among the
   * closest SOPs it lists. A refusal that lists the right page still costs a click, but leaves nobody stranded.
   */
  reached: boolean | null;
  ndcg10: number | null;
  citationPrecision: number | null;
  /** For refusal cases: did it refuse? */
  refused: boolean | null;
  /** For answerable cases with must_include_any: did the answer contain one of them? */
  mustInclude: boolean | null;
  forbidden: ForbiddenHit[];
  failures: FailureReason[];
}

export interface Metrics {
  cases: number;
  answerable: number;
  unanswerable: number;
  forbidden: number;
  passed: number;
  hit_at_1: number | null;
  hit_at_5: number | null;
  mrr_at_10: number | null;
  ranking_hit_at_1: number | null;
  ranking_hit_at_5: number | null;
  ranking_mrr_at_10: number | null;
  /** Share of answerable cases whose expected page was cited or, on a refusal, listed among the closest SOPs. */
  page_reached: number | null;
  ndcg_at_10: number | null;
  citation_precision: number | null;
  /** Share of unanswerable + forbidden cases refused. */
  refusal: number | null;
  refusal_unanswerable: number | null;
  refusal_forbidden: number | null;
  /** Share of answerable cases refused. */
  false_refusals: number | null;
  must_include: number | null;
  forbidden_citations: number;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
}

export const METRIC_LABELS: Record<keyof Metrics, string> = {
  cases: 'cases',
  answerable: 'answerable',
  unanswerable: 'unanswerable',
  forbidden: 'forbidden (access)',
  passed: 'cases passed',
  hit_at_1: 'hit@1',
  hit_at_5: 'hit@5',
  mrr_at_10: 'MRR@10',
  ranking_hit_at_1: 'ranking hit@1',
  ranking_hit_at_5: 'ranking hit@5',
  ranking_mrr_at_10: 'ranking MRR@10',
  page_reached: 'page reached (cited or listed)',
  ndcg_at_10: 'nDCG@10',
  citation_precision: 'citation precision',
  refusal: 'refusal accuracy',
  refusal_unanswerable: 'refusal: unanswerable',
  refusal_forbidden: 'refusal: forbidden',
  false_refusals: 'false refusals',
  must_include: 'must-include coverage',
  forbidden_citations: 'forbidden citations',
  latency_p50_ms: 'latency p50 (ms)',
  latency_p95_ms: 'latency p95 (ms)',
};

/** Distinct sources in citation order (best first). */
export function rankedSources(citations: readonly OutcomeCitation[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const c of citations) {
    if (!seen.has(c.source)) {
      seen.add(c.source);
      out.push(c.source);
    }
  }
  return out;
}

export function hitAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): boolean {
  return ranked.slice(0, k).some((s) => relevant.has(s));
}

export function reciprocalRankAtK(
  ranked: readonly string[],
  relevant: ReadonlySet<string>,
  k: number,
): number {
  const index = ranked.slice(0, k).findIndex((s) => relevant.has(s));
  return index < 0 ? 0 : 1 / (index + 1);
}

/** Binary-relevance nDCG@k: DCG = Σ rel_i / log2(i + 1) over ranks i = 1..k, normalised by the ideal ordering. */
export function ndcgAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  let dcg = 0;
  ranked.slice(0, k).forEach((s, i) => {
    if (relevant.has(s)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(relevant.size, k); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

function normaliseText(text: string): string {
  return text.toLowerCase().replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim();
}

/** True when the text contains any of the phrases (case-, emphasis- and whitespace-insensitive). */
export function includesAny(text: string, phrases: readonly string[]): boolean {
  const haystack = normaliseText(text);
  return phrases.some((p) => haystack.includes(normaliseText(p)));
}

export function forbiddenHits(outcome: CaseOutcome, access: AccessOracle): ForbiddenHit[] {
  const { role, forbidden_sources: listed } = outcome.case;
  const hits: ForbiddenHit[] = [];
  const check = (source: string, where: ForbiddenHit['where']) => {
    if (!access.canRead(role, source)) hits.push({ source, where, reason: 'role-cannot-read' });
    else if (listed.includes(source)) hits.push({ source, where, reason: 'listed-forbidden' });
  };
  for (const c of outcome.citations) check(c.source, 'citation');
  for (const c of outcome.related ?? []) check(c.source, 'related');
  for (const s of outcome.considered ?? []) check(s, 'considered');
  return hits;
}

export function scoreCase(outcome: CaseOutcome, access: AccessOracle): CaseScore {
  const c = outcome.case;
  const kind = caseKind(c);
  const forbidden = forbiddenHits(outcome, access);
  const failures: FailureReason[] = [];
  if (outcome.error) failures.push('error');
  const score: CaseScore = {
    id: c.id,
    kind,
    hit1: null,
    hit5: null,
    reciprocalRank: null,
    rankingHit1: null,
    rankingHit5: null,
    rankingReciprocalRank: null,
    reached: null,
    ndcg10: null,
    citationPrecision: null,
    refused: null,
    mustInclude: null,
    forbidden,
    failures,
  };

  if (kind === 'answerable') {
    const relevant = new Set(c.expected_sources);
    const ranked = outcome.answered ? rankedSources(outcome.citations) : [];
    score.hit1 = hitAtK(ranked, relevant, 1);
    score.hit5 = hitAtK(ranked, relevant, 5);
    score.reciprocalRank = reciprocalRankAtK(ranked, relevant, 10);
    score.ndcg10 = ndcgAtK(ranked, relevant, 10);
    const retrieved = outcome.answered ? ranked : rankedSources(outcome.ungatedCitations ?? []);
    score.rankingHit1 = hitAtK(retrieved, relevant, 1);
    score.rankingHit5 = hitAtK(retrieved, relevant, 5);
    score.rankingReciprocalRank = reciprocalRankAtK(retrieved, relevant, 10);
    score.reached = outcome.answered ? score.hit5 : hitAtK(rankedSources(outcome.related ?? []), relevant, 5);
    if (outcome.answered && outcome.citations.length > 0) {
      const good = outcome.citations.filter((x) => relevant.has(x.source)).length;
      score.citationPrecision = good / outcome.citations.length;
    }
    if (c.must_include_any.length > 0)
      score.mustInclude = includesAny(outcome.answerText, c.must_include_any);
    if (!outcome.answered) failures.push('false-refusal');
    else {
      if (!score.hit1) failures.push('wrong-first-source');
      if (!score.hit5) failures.push('expected-not-in-top-5');
      if (score.mustInclude === false) failures.push('missing-must-include');
    }
  } else {
    score.refused = !outcome.answered;
    if (outcome.answered)
      failures.push(kind === 'forbidden' ? 'answered-forbidden' : 'answered-unanswerable');
  }
  if (forbidden.length > 0) failures.push('forbidden-citation');
  return score;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function share(flags: readonly boolean[]): number | null {
  return mean(flags.map((f) => (f ? 1 : 0)));
}

function defined<T>(values: readonly (T | null)[]): T[] {
  return values.filter((v): v is T => v !== null);
}

export function summarize(scores: readonly CaseScore[], latenciesMs: readonly number[]): Metrics {
  const answerable = scores.filter((s) => s.kind === 'answerable');
  const unanswerable = scores.filter((s) => s.kind === 'unanswerable');
  const forbidden = scores.filter((s) => s.kind === 'forbidden');
  const refusalCases = [...unanswerable, ...forbidden];
  return {
    cases: scores.length,
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    forbidden: forbidden.length,
    passed: scores.filter((s) => s.failures.length === 0).length,
    hit_at_1: share(defined(answerable.map((s) => s.hit1))),
    hit_at_5: share(defined(answerable.map((s) => s.hit5))),
    mrr_at_10: mean(defined(answerable.map((s) => s.reciprocalRank))),
    ranking_hit_at_1: share(defined(answerable.map((s) => s.rankingHit1))),
    ranking_hit_at_5: share(defined(answerable.map((s) => s.rankingHit5))),
    ranking_mrr_at_10: mean(defined(answerable.map((s) => s.rankingReciprocalRank))),
    page_reached: share(defined(answerable.map((s) => s.reached))),
    ndcg_at_10: mean(defined(answerable.map((s) => s.ndcg10))),
    citation_precision: mean(defined(answerable.map((s) => s.citationPrecision))),
    refusal: share(defined(refusalCases.map((s) => s.refused))),
    refusal_unanswerable: share(defined(unanswerable.map((s) => s.refused))),
    refusal_forbidden: share(defined(forbidden.map((s) => s.refused))),
    false_refusals: share(answerable.map((s) => s.failures.includes('false-refusal'))),
    must_include: share(defined(answerable.map((s) => s.mustInclude))),
    forbidden_citations: scores.reduce((n, s) => n + s.forbidden.length, 0),
    latency_p50_ms: percentile(latenciesMs, 50),
    latency_p95_ms: percentile(latenciesMs, 95),
  };
}

/** Scores every outcome and summarises them. */
export function computeMetrics(
  outcomes: readonly CaseOutcome[],
  access: AccessOracle,
): { metrics: Metrics; scores: CaseScore[] } {
  const scores = outcomes.map((o) => scoreCase(o, access));
  return {
    metrics: summarize(
      scores,
      outcomes.map((o) => o.latencyMs),
    ),
    scores,
  };
}
