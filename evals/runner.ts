/**
 * The eval runner: asks every case of a dataset through an assistant (the real core in-process, see `harness.ts`),
 * scores what came back, checks the thresholds and compares with the baseline. It knows nothing about stores or
 * embedders — it gets an `ask` function — so the same runner scores the real core and a deliberately degraded one.
 */
import { performance } from 'node:perf_hooks';
import type { Citation, Reply } from '../assistant/reply.js';
import { replyToMarkdown } from '../assistant/reply.js';
import type { AccessOracle } from './access.js';
import { compareWithBaseline, type Baseline, type BaselineComparison } from './baseline.js';
import { caseKind, type CaseKind, type EvalCase } from './dataset.js';
import type { JudgedMetrics } from './judge.js';
import {
  computeMetrics,
  type CaseOutcome,
  type FailureReason,
  type ForbiddenHit,
  type Metrics,
} from './metrics.js';
import {
  checkThresholds,
  effectiveThresholds,
  type DatasetThresholds,
  type ThresholdCheck,
} from './thresholds.js';

export interface AskResult {
  reply: Reply;
  /** Sources of every chunk the core considered for this reply, when it exposes them (the audit record). */
  considered?: string[];
  /** Text of the passages the answer was composed from, when asked for (the LLM judge reads them). */
  passages?: string[];
  /**
   * For a refused reply: asks again with the confidence gate off and returns what would have been cited (for the
   * `ranking_*` metrics). Called after the latency is taken, so it never counts in it.
   */
  ungated?: () => Promise<Citation[]>;
}

/** Asks one question as a person holding exactly `role`. */
export type AskFn = (question: string, role: string) => Promise<AskResult>;

export interface CaseResult {
  id: string;
  question: string;
  role: string;
  expect: EvalCase['expect'];
  kind: CaseKind;
  expectedSources: string[];
  forbiddenSources: string[];
  mustIncludeAny: string[];
  tags: string[];
  answered: boolean;
  confidence: number;
  lead: string;
  citations: Citation[];
  latencyMs: number;
  /** Rank (1-based) of the first expected source among the cited sources, or null. */
  expectedRank: number | null;
  failures: FailureReason[];
  forbidden: ForbiddenHit[];
  error?: string;
}

export interface EvalRun {
  dataset: string;
  corpus?: { folder: string; access: string };
  embedder?: string;
  startedAt: string;
  metrics: Metrics;
  checks: ThresholdCheck[];
  /** True when no threshold is missed (forbidden citations = 0 included). */
  passed: boolean;
  comparison: BaselineComparison | null;
  /** LLM-judged metrics: run only when an LLM is configured (never in CI); otherwise why they were skipped. */
  llmJudge?: LlmJudgeSummary;
  /** Problems in the dataset itself (a typo in a source path, a "forbidden" source the role can read). */
  warnings: string[];
  cases: CaseResult[];
}

/** The judge's aggregate figures (per-case verdicts stay out of the run), or why it did not run. */
export type LlmJudgeSummary =
  { status: 'skipped'; reason: string } | ({ status: 'ran' } & Omit<JudgedMetrics, 'cases'>);

export interface EvaluateOptions {
  dataset: string;
  cases: readonly EvalCase[];
  ask: AskFn;
  access: AccessOracle;
  thresholds?: DatasetThresholds;
  baseline?: Baseline | null;
  embedder?: string;
  corpus?: { folder: string; access: string };
  onProgress?: (done: number, total: number) => void;
  /** Sees every raw answer (the LLM judge reads the answers and their passages from here). */
  onAnswer?: (c: EvalCase, result: AskResult) => void;
  /** Every source path in the corpus; expectations naming anything else are reported as dataset warnings. */
  knownSources?: readonly string[];
  /** Clock for `startedAt`; injectable so reports are reproducible in tests. */
  now?: () => Date;
}

function emptyReply(question: string): Reply {
  return {
    question,
    answered: false,
    lead: '',
    body: '',
    steps: [],
    citations: [],
    related: [],
    confidence: 0,
    actions: [],
    scope: { kind: 'personal' },
    auditId: '',
    latencyMs: 0,
  };
}

/** Expectations that cannot be right given the corpus and access.yml; they make a case fail for the wrong reason. */
export function datasetWarnings(
  cases: readonly EvalCase[],
  access: AccessOracle,
  knownSources?: readonly string[],
): string[] {
  const known = knownSources ? new Set(knownSources) : null;
  const warnings: string[] = [];
  for (const c of cases) {
    if (!access.roles.includes(c.role)) warnings.push(`${c.id}: role "${c.role}" is not in access.yml`);
    for (const s of c.expected_sources) {
      if (known && !known.has(s)) warnings.push(`${c.id}: expected source "${s}" is not in the corpus`);
      else if (!access.canRead(c.role, s))
        warnings.push(`${c.id}: expected source "${s}" is not readable by ${c.role}`);
    }
    for (const s of c.forbidden_sources) {
      if (known && !known.has(s)) warnings.push(`${c.id}: forbidden source "${s}" is not in the corpus`);
      else if (access.canRead(c.role, s))
        warnings.push(`${c.id}: forbidden source "${s}" is readable by ${c.role}`);
    }
  }
  return warnings;
}

async function askCase(
  c: EvalCase,
  ask: AskFn,
): Promise<{ outcome: CaseOutcome; reply: Reply; result: AskResult }> {
  const started = performance.now();
  let result: AskResult;
  let error: string | undefined;
  try {
    result = await ask(c.question, c.role);
  } catch (err) {
    // A crash on one question is a failing case, not a crashed run: the report then shows all of them.
    error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    result = { reply: emptyReply(c.question) };
  }
  const latencyMs = performance.now() - started;
  const { reply } = result;
  const ungated = !reply.answered && !error && result.ungated ? await result.ungated() : undefined;
  const outcome: CaseOutcome = {
    case: c,
    answered: reply.answered && !error,
    citations: reply.citations,
    related: reply.related,
    ...(ungated ? { ungatedCitations: ungated } : {}),
    considered: result.considered,
    confidence: reply.confidence,
    // The answer's own words: a refusal's list of closest SOP titles is not answer text for must-include coverage.
    answerText: [replyToMarkdown({ ...reply, related: [] }), ...reply.steps].join('\n'),
    latencyMs,
    error,
  };
  return { outcome, reply, result };
}

export async function evaluate(options: EvaluateOptions): Promise<EvalRun> {
  const startedAt = (options.now ?? (() => new Date()))().toISOString();
  const outcomes: CaseOutcome[] = [];
  const replies: Reply[] = [];
  // Sequential on purpose: the embedded store is single-connection, and latency figures stay honest.
  for (const c of options.cases) {
    const { outcome, reply, result } = await askCase(c, options.ask);
    options.onAnswer?.(c, result);
    outcomes.push(outcome);
    replies.push(reply);
    options.onProgress?.(outcomes.length, options.cases.length);
  }
  const { metrics, scores } = computeMetrics(outcomes, options.access);
  const checks = checkThresholds(metrics, effectiveThresholds(options.thresholds));
  const cases = outcomes.map((o, i): CaseResult => {
    const score = scores[i]!;
    const reply = replies[i]!;
    const rr = score.reciprocalRank;
    return {
      id: o.case.id,
      question: o.case.question,
      role: o.case.role,
      expect: o.case.expect,
      kind: caseKind(o.case),
      expectedSources: o.case.expected_sources,
      forbiddenSources: o.case.forbidden_sources,
      mustIncludeAny: o.case.must_include_any,
      tags: o.case.tags ?? [],
      answered: o.answered,
      confidence: o.confidence,
      lead: reply.lead,
      citations: reply.citations,
      latencyMs: o.latencyMs,
      expectedRank: rr ? Math.round(1 / rr) : null,
      failures: score.failures,
      forbidden: score.forbidden,
      ...(o.error ? { error: o.error } : {}),
    };
  });
  const failing = cases.filter((c) => c.failures.length > 0).map((c) => c.id);
  return {
    dataset: options.dataset,
    ...(options.corpus ? { corpus: options.corpus } : {}),
    ...(options.embedder ? { embedder: options.embedder } : {}),
    startedAt,
    metrics,
    checks,
    passed: checks.every((c) => c.status !== 'fail'),
    warnings: datasetWarnings(options.cases, options.access, options.knownSources),
    comparison: options.baseline
      ? compareWithBaseline(options.baseline, metrics, failing, options.embedder)
      : null,
    cases,
  };
}

/** The baseline this run would commit. */
export function baselineFromRun(run: EvalRun): Baseline {
  return {
    dataset: run.dataset,
    ...(run.embedder ? { embedder: run.embedder } : {}),
    metrics: run.metrics,
    failing_cases: run.cases.filter((c) => c.failures.length > 0).map((c) => c.id),
  };
}
