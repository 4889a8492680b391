/**
 * One suite end to end: load the dataset, ingest its corpus, ask every case through the real core, score, check the
 * thresholds, compare with the baseline and — only when an LLM judge is given — add the LLM-judged metrics.
 * Used by `sop-assistant eval`; the CI gate test composes the same parts itself so it can ingest once and also run
 * deliberately degraded assistants over the same store.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { IngestReport } from '../ingestion/index.js';
import { loadAccessOracle } from './access.js';
import { readBaseline } from './baseline.js';
import { loadDataset } from './dataset.js';
import { createEvalAsk, openEvalCorpus, type CorpusRef, type EvalEmbedder } from './harness.js';
import { judgeCases, type Judge, type JudgedMetrics, type JudgeInput } from './judge.js';
import { evaluate, type EvalRun } from './runner.js';
import { defaultBaselineDir, defaultThresholdsFile } from './suites.js';
import { loadThresholds } from './thresholds.js';

export interface RunSuiteOptions {
  name: string;
  datasetFile: string;
  corpus: CorpusRef;
  embedder: EvalEmbedder;
  /** Store location; default in memory. */
  dataDir?: string;
  logger?: Logger;
  minConfidence?: number;
  thresholdsFile?: string;
  baselineDir?: string;
  /** LLM judge; when absent, LLM-judged metrics are skipped with `judgeSkippedReason`. */
  judge?: Judge | null;
  judgeSkippedReason?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface SuiteResult {
  run: EvalRun;
  ingest: IngestReport;
  judged: JudgedMetrics | null;
}

export function baselineFile(name: string, dir = defaultBaselineDir): string {
  return join(dir, `${name}.json`);
}

export async function runSuite(options: RunSuiteOptions): Promise<SuiteResult> {
  const cases = await loadDataset(options.datasetFile);
  const access = await loadAccessOracle(options.corpus.access);
  const thresholds = (await loadThresholds(options.thresholdsFile ?? defaultThresholdsFile))[options.name];
  const baseline = await readBaseline(baselineFile(options.name, options.baselineDir));
  const corpus = await openEvalCorpus({
    corpus: options.corpus,
    embedder: options.embedder,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  try {
    const { ask } = createEvalAsk(corpus, {
      ...(options.minConfidence !== undefined ? { minConfidence: options.minConfidence } : {}),
      withPassages: Boolean(options.judge),
    });
    const toJudge: (JudgeInput & { id: string })[] = [];
    const run = await evaluate({
      dataset: options.name,
      cases,
      ask,
      access,
      thresholds,
      baseline,
      embedder: options.embedder.id,
      corpus: options.corpus,
      knownSources: corpus.sources,
      onProgress: options.onProgress,
      onAnswer: (c, result) => {
        if (!options.judge || !result.reply.answered) return;
        const { reply } = result;
        const answer = [reply.lead, reply.body, ...reply.steps.map((s, i) => `${i + 1}. ${s}`)]
          .filter(Boolean)
          .join('\n');
        toJudge.push({ id: c.id, question: c.question, answer, passages: result.passages ?? [] });
      },
    });
    const judged = options.judge ? await judgeCases(options.judge, toJudge) : null;
    if (judged) {
      const { cases: _perCase, ...figures } = judged;
      run.llmJudge = { status: 'ran', ...figures };
    } else {
      run.llmJudge = { status: 'skipped', reason: options.judgeSkippedReason ?? 'no LLM judge given' };
    }
    return { run, ingest: corpus.ingest, judged };
  } finally {
    await corpus.close();
  }
}
