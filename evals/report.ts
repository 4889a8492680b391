/**
 * Renders an eval run three ways: a terminal table for the developer, a Markdown report a trainer can read (what the
 * numbers mean, what changed since the accepted baseline, and every failing question with what came back instead),
 * and JSON for tools.
 */
import { isAbsolute, relative } from 'node:path';
import type { Citation } from '../assistant/reply.js';
import type { MetricChange } from './baseline.js';
import { METRIC_LABELS, type FailureReason, type Metrics } from './metrics.js';
import type { CaseResult, EvalRun } from './runner.js';
import { repoRoot } from './suites.js';
import { belowGoal, describeBound, type ThresholdCheck } from './thresholds.js';

/** Metrics shown in the summary table, in reading order. */
const SUMMARY_METRICS: (keyof Metrics)[] = [
  'hit_at_1',
  'hit_at_5',
  'mrr_at_10',
  'ranking_hit_at_1',
  'ranking_hit_at_5',
  'ranking_mrr_at_10',
  'page_reached',
  'ndcg_at_10',
  'citation_precision',
  'must_include',
  'refusal',
  'refusal_unanswerable',
  'refusal_forbidden',
  'false_refusals',
  'forbidden_citations',
  'latency_p50_ms',
  'latency_p95_ms',
];

const EXPLANATIONS: Partial<Record<keyof Metrics, string>> = {
  hit_at_1: 'answerable questions whose first citation is the right SOP',
  hit_at_5: 'answerable questions with the right SOP among the first five cited',
  mrr_at_10: 'average of 1/rank of the right SOP (1 = always first)',
  ranking_hit_at_1: 'hit@1 of retrieval alone: a refused question scored on what it would have cited',
  ranking_hit_at_5: 'hit@5 of retrieval alone (refusing it counts in false refusals instead)',
  ranking_mrr_at_10: 'MRR@10 of retrieval alone',
  page_reached:
    'answerable questions whose right SOP the person saw: cited, or listed among the closest SOPs of a refusal',
  ndcg_at_10: 'ranking quality when several SOPs are right (1 = ideal order)',
  citation_precision: 'share of citations in answers that point to a right SOP',
  must_include: 'answers containing one of the key phrases the question needs',
  refusal: 'questions the SOPs do not answer (or only forbidden ones do) that were declined',
  refusal_unanswerable: 'declined when no SOP covers the question',
  refusal_forbidden: "declined when only SOPs the asker's role may not read cover it",
  false_refusals: 'answerable questions wrongly declined',
  forbidden_citations: 'citations of documents the role may not read — must be 0',
  latency_p50_ms: 'median time to answer, whole core in-process',
  latency_p95_ms: '95th-percentile time to answer',
};

const FAILURE_TITLES: Record<FailureReason, string> = {
  'forbidden-citation': 'Cited a document the role may not read (leak)',
  error: 'The assistant failed with an error',
  'false-refusal': 'Declined although an SOP the role can read covers it',
  'answered-forbidden': 'Answered although only forbidden SOPs cover it',
  'answered-unanswerable': 'Answered although no SOP covers it',
  'wrong-first-source': 'Answered, but the right SOP was not cited first',
  'expected-not-in-top-5': 'Right SOP not among the first five citations',
  'missing-must-include': 'Answer lacks the key phrase',
};

/** Each failing case is shown once, under its most serious reason (this order). */
const FAILURE_ORDER: FailureReason[] = [
  'forbidden-citation',
  'error',
  'answered-forbidden',
  'answered-unanswerable',
  'false-refusal',
  'wrong-first-source',
  'expected-not-in-top-5',
  'missing-must-include',
];

const COUNT_METRICS = new Set<keyof Metrics>([
  'forbidden_citations',
  'cases',
  'answerable',
  'unanswerable',
  'forbidden',
  'passed',
]);
const MS_METRICS = new Set<keyof Metrics>(['latency_p50_ms', 'latency_p95_ms']);

export function formatMetric(metric: keyof Metrics, value: number | null): string {
  if (value === null) return 'n/a';
  if (COUNT_METRICS.has(metric)) return String(value);
  if (MS_METRICS.has(metric)) return value.toFixed(1);
  return value.toFixed(3);
}

function formatDelta(change: MetricChange | undefined): string {
  if (!change || change.delta === null) return '';
  if (change.verdict === 'same') return '=';
  const sign = change.delta > 0 ? '+' : '−';
  const magnitude = formatMetric(change.metric, Math.abs(change.delta));
  const arrow = change.verdict === 'better' ? '▲' : change.verdict === 'worse' ? '▼' : '';
  return `${sign}${magnitude} ${arrow}`.trim();
}

function checkFor(run: EvalRun, metric: keyof Metrics): ThresholdCheck | undefined {
  return run.checks.find((c) => c.metric === metric);
}

function statusWord(check: ThresholdCheck | undefined): string {
  if (!check) return '';
  if (check.status === 'fail') return 'FAIL';
  if (check.status === 'n/a') return 'n/a';
  return check.meetsGoal === false ? 'ok, below goal' : 'ok';
}

function belowGoalText(run: EvalRun): string {
  return belowGoal(run.checks)
    .map(
      (c) => `${METRIC_LABELS[c.metric]} ${formatMetric(c.metric, c.value)} (goal ${describeGoal(c.bound)})`,
    )
    .join('; ');
}

function describeGoal(bound: ThresholdCheck['bound']): string {
  return `${bound.max !== undefined && bound.min === undefined ? '≤' : '≥'} ${bound.goal}`;
}

function primaryFailure(c: CaseResult): FailureReason {
  return FAILURE_ORDER.find((r) => c.failures.includes(r)) ?? c.failures[0] ?? 'error';
}

function failingCases(run: EvalRun): CaseResult[] {
  return run.cases.filter((c) => c.failures.length > 0);
}

function citationLine(c: Citation): string {
  return c.section ? `${c.source} › ${c.section}` : c.source;
}

function gotSummary(c: CaseResult): string {
  const state = c.error ? `error (${c.error})` : c.answered ? 'answered' : 'declined';
  const cited = c.citations.length ? c.citations.map(citationLine).join(' | ') : 'no citations';
  return `${state}, confidence ${c.confidence.toFixed(2)}; ${cited}`;
}

/** Corpus paths relative to the repository, as suites.yml writes them, so reports read the same on every machine. */
function displayPath(path: string): string {
  const rel = relative(repoRoot, path);
  return rel && !isAbsolute(rel) ? rel : path;
}

function judgeLine(run: EvalRun): string {
  const j = run.llmJudge;
  if (!j) return '';
  if (j.status === 'skipped') return `LLM-judged metrics skipped: ${j.reason}`;
  const f = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
  return (
    `faithfulness ${f(j.faithfulness)}, answer relevance ${f(j.answer_relevance)} ` +
    `(${j.judged} answers judged by ${j.model}, prompt ${j.prompt}${j.errors ? `, ${j.errors} unreadable verdicts` : ''})`
  );
}

// ---------------------------------------------------------------- terminal

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows
    .map((r, i) => {
      const line = r
        .map((cell, col) => cell.padEnd(widths[col]!))
        .join('  ')
        .trimEnd();
      return i === 0 ? `${line}\n${widths.map((w) => '─'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

export function renderTerminal(run: EvalRun): string {
  const m = run.metrics;
  const change = new Map(run.comparison?.changes.map((c) => [c.metric, c]));
  const rows: string[][] = [['metric', 'value', 'threshold', 'baseline', 'change', 'status']];
  for (const metric of SUMMARY_METRICS) {
    const check = checkFor(run, metric);
    const delta = change.get(metric);
    rows.push([
      METRIC_LABELS[metric],
      formatMetric(metric, m[metric]),
      check ? describeBound(check.bound) : '',
      delta ? formatMetric(metric, delta.baseline) : '',
      formatDelta(delta),
      statusWord(check),
    ]);
  }
  const lines = [
    `eval ${run.dataset}: ${m.cases} cases (${m.answerable} answerable, ${m.unanswerable} unanswerable, ` +
      `${m.forbidden} forbidden), ${m.passed} passed${run.embedder ? ` — embedder ${run.embedder}` : ''}`,
    '',
    table(rows),
  ];
  const failing = failingCases(run);
  if (failing.length) {
    lines.push('', `failing cases (${failing.length}):`);
    for (const c of failing) {
      lines.push(`  ✗ ${c.id} [${c.failures.join(', ')}] (${c.role}) ${c.question}`);
      const expected =
        c.expect === 'answer' ? `expected ${c.expectedSources.join(' or ')}` : 'expected a refusal';
      lines.push(`      ${expected}; got ${gotSummary(c)}`);
      for (const f of c.forbidden) lines.push(`      LEAK: ${f.where} ${f.source} (${f.reason})`);
    }
  }
  if (run.llmJudge) lines.push('', judgeLine(run));
  if (run.warnings.length) {
    lines.push('', `dataset warnings (${run.warnings.length}):`, ...run.warnings.map((w) => `  ! ${w}`));
  }
  if (run.comparison) {
    const { newlyFailing, nowPassing } = run.comparison;
    lines.push('', `vs baseline: ${newlyFailing.length} newly failing, ${nowPassing.length} now passing`);
    if (newlyFailing.length) lines.push(`  newly failing: ${newlyFailing.join(', ')}`);
  } else {
    lines.push('', 'no baseline yet (run with --update-baseline to record one)');
  }
  const missed = run.checks.filter((c) => c.status === 'fail');
  lines.push(
    '',
    missed.length
      ? `GATE FAILED: ${missed.map((c) => `${METRIC_LABELS[c.metric]} ${formatMetric(c.metric, c.value)} (needs ${describeBound(c.bound)})`).join('; ')}`
      : 'gate passed',
  );
  if (belowGoal(run.checks).length)
    lines.push(`below the DESIGN goal (thresholds temporarily lowered): ${belowGoalText(run)}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------- markdown

function md(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function markdownCase(c: CaseResult, lines: string[]): void {
  lines.push(`#### \`${c.id}\` — ${md(c.question)}`, '');
  lines.push(`- Asked as: **${c.role}**`);
  if (c.expect === 'answer')
    lines.push(`- Expected: an answer from ${c.expectedSources.map((s) => `\`${s}\``).join(' or ')}`);
  else if (c.forbiddenSources.length) {
    lines.push(
      `- Expected: a refusal (only ${c.forbiddenSources.map((s) => `\`${s}\``).join(', ')} covers it, which this role may not read)`,
    );
  } else lines.push('- Expected: a refusal (no SOP covers it)');
  const state = c.error ? `failed with an error: ${md(c.error)}` : c.answered ? 'answered' : 'declined';
  lines.push(`- Got: ${state}, confidence ${c.confidence.toFixed(2)}${c.lead ? ` — “${md(c.lead)}”` : ''}`);
  if (c.citations.length) {
    lines.push('- Cited:');
    c.citations.forEach((cit, i) => {
      const leak = c.forbidden.some((f) => f.source === cit.source) ? ' **← may not read**' : '';
      lines.push(`  ${i + 1}. \`${cit.source}\`${cit.section ? ` › ${md(cit.section)}` : ''}${leak}`);
    });
  }
  for (const f of c.forbidden.filter((x) => x.where === 'related')) {
    lines.push(`- Pointed to \`${f.source}\` as a closest SOP, which this role may not read`);
  }
  for (const f of c.forbidden.filter((x) => x.where === 'considered')) {
    lines.push(`- Considered a chunk from \`${f.source}\`, which this role may not read`);
  }
  if (c.expectedRank && c.expectedRank > 1) lines.push(`- The right SOP came at position ${c.expectedRank}`);
  if (c.failures.includes('missing-must-include')) {
    lines.push(`- The answer should contain one of: ${c.mustIncludeAny.map((p) => `“${md(p)}”`).join(', ')}`);
  }
  lines.push(`- Problems: ${c.failures.map((r) => FAILURE_TITLES[r]).join('; ')}`, '');
}

/** Rows of "how did each group of questions fare": per role, or per dataset tag. */
function breakdown(title: string, groups: Map<string, CaseResult[]>, lines: string[]): void {
  if (groups.size === 0) return;
  lines.push(
    `### ${title}`,
    '',
    '| group | questions | as expected | declined wrongly | answered wrongly | wrong SOP first |',
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [key, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const count = (reason: FailureReason) => group.filter((c) => c.failures.includes(reason)).length;
    const ok = group.filter((c) => c.failures.length === 0).length;
    const wronglyAnswered = count('answered-unanswerable') + count('answered-forbidden');
    lines.push(
      `| ${md(key)} | ${group.length} | ${ok} | ${count('false-refusal')} | ${wronglyAnswered} | ${count('wrong-first-source')} |`,
    );
  }
  lines.push('');
}

function groupBy(cases: readonly CaseResult[], keys: (c: CaseResult) => string[]): Map<string, CaseResult[]> {
  const groups = new Map<string, CaseResult[]>();
  for (const c of cases) {
    for (const key of keys(c)) groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return groups;
}

export function renderMarkdown(run: EvalRun): string {
  const m = run.metrics;
  const missed = run.checks.filter((c) => c.status === 'fail');
  const lines: string[] = [
    `# Eval report: ${run.dataset}`,
    '',
    `Run ${run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} · ${m.cases} questions ` +
      `(${m.answerable} answerable, ${m.unanswerable} not covered by any SOP, ${m.forbidden} covered only by SOPs the role may not read)` +
      (run.embedder ? ` · embedder \`${run.embedder}\`` : '') +
      (run.corpus ? ` · corpus \`${displayPath(run.corpus.folder)}\`` : ''),
    '',
    missed.length
      ? `**Result: FAILED** — ${missed.length} threshold${missed.length > 1 ? 's' : ''} missed: ` +
        missed
          .map(
            (c) =>
              `${METRIC_LABELS[c.metric]} is ${formatMetric(c.metric, c.value)}, needs ${describeBound(c.bound)}`,
          )
          .join('; ') +
        '.'
      : '**Result: PASSED** — every threshold is met.',
    '',
    ...(belowGoal(run.checks).length
      ? [
          `**Below the product's quality goal** (these thresholds are temporarily set to the level reached, not to the ` +
            `goal in DESIGN.md): ${belowGoalText(run)}.`,
          '',
        ]
      : []),
    `${m.passed} of ${m.cases} questions handled as expected.`,
    '',
    '## Summary',
    '',
    '| measure | value | threshold | baseline | change | what it means |',
    '| --- | ---: | --- | ---: | --- | --- |',
  ];
  const change = new Map(run.comparison?.changes.map((c) => [c.metric, c]));
  for (const metric of SUMMARY_METRICS) {
    const check = checkFor(run, metric);
    const delta = change.get(metric);
    const status = check?.status === 'fail' ? ' ❌' : check?.status === 'pass' ? ' ✅' : '';
    lines.push(
      `| ${METRIC_LABELS[metric]} | ${formatMetric(metric, m[metric])}${status} | ${check ? describeBound(check.bound) : ''} | ` +
        `${delta ? formatMetric(metric, delta.baseline) : ''} | ${formatDelta(delta)} | ${EXPLANATIONS[metric] ?? ''} |`,
    );
  }
  if (run.llmJudge)
    lines.push('', run.llmJudge.status === 'ran' ? `LLM-judged: ${judgeLine(run)}` : judgeLine(run));
  lines.push('', '## Change since the baseline', '');
  if (!run.comparison) {
    lines.push(
      'No baseline recorded yet. Record this run as the baseline with `sop-assistant eval --dataset … --update-baseline`.',
    );
  } else {
    const { newlyFailing, nowPassing, embedderChanged } = run.comparison;
    const worse = run.comparison.changes.filter((c) => c.verdict === 'worse' && !MS_METRICS.has(c.metric));
    const better = run.comparison.changes.filter((c) => c.verdict === 'better' && !MS_METRICS.has(c.metric));
    if (embedderChanged)
      lines.push('> The baseline was measured with a different embedder; compare with care.', '');
    lines.push(
      worse.length
        ? `- Worse: ${worse.map((c) => `${METRIC_LABELS[c.metric]} (${formatDelta(c)})`).join(', ')}`
        : '- Nothing got worse.',
    );
    if (better.length)
      lines.push(
        `- Better: ${better.map((c) => `${METRIC_LABELS[c.metric]} (${formatDelta(c)})`).join(', ')}`,
      );
    const byId = new Map(run.cases.map((c) => [c.id, c]));
    lines.push(`- Newly failing questions: ${newlyFailing.length}`);
    for (const id of newlyFailing) lines.push(`  - \`${id}\` — ${md(byId.get(id)?.question ?? '')}`);
    lines.push(`- Questions fixed since the baseline: ${nowPassing.length}`);
    for (const id of nowPassing)
      lines.push(`  - \`${id}\` — ${md(byId.get(id)?.question ?? '(no longer in the dataset)')}`);
  }
  lines.push('', '## By role and by kind of question', '');
  breakdown(
    'By role',
    groupBy(run.cases, (c) => [c.role]),
    lines,
  );
  breakdown(
    'By tag',
    groupBy(run.cases, (c) => c.tags),
    lines,
  );
  const failing = failingCases(run);
  lines.push(`## Questions not handled as expected (${failing.length})`, '');
  if (!failing.length) lines.push('None.');
  for (const reason of FAILURE_ORDER) {
    const group = failing.filter((c) => primaryFailure(c) === reason);
    if (!group.length) continue;
    lines.push(`### ${FAILURE_TITLES[reason]} (${group.length})`, '');
    for (const c of group) markdownCase(c, lines);
  }
  if (run.warnings.length) {
    lines.push(
      '## Dataset warnings',
      '',
      'These expectations look wrong given the corpus and `access.yml`; fix the dataset line.',
      '',
    );
    for (const w of run.warnings) lines.push(`- ${md(w)}`);
    lines.push('');
  }
  lines.push(
    '## How to read this report',
    '',
    '- Each question in the dataset is asked as a person holding exactly one role, through the same core that answers',
    '  in Slack, Teams and the web page. Only SOPs that role may read (per `access.yml`) may ever be cited.',
    '- "Declined" means the assistant said the SOPs this person can read do not cover the question and offered to escalate.',
    '- A question may appear under one heading only (its most serious problem); all its problems are listed with it.',
    '- Fix a failing question by improving the SOP it should come from, or the dataset if the expectation was wrong.',
    '',
  );
  return lines.join('\n');
}

export function runToJson(run: EvalRun): string {
  return JSON.stringify(run, null, 2);
}
