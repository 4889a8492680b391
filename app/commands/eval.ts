/**
 * `eval --dataset FILE.jsonl [--json] [--report FILE] [--update-baseline]` and `eval --all`: runs eval suites through
 * the real assistant core in-process (see evals/), prints a table (or JSON), writes a Markdown report and exits
 * non-zero when a threshold in evals/thresholds.yml is missed. The store is in memory unless --data-dir is given
 * (then each suite keeps its index in <data-dir>/evals/<name> and re-runs ingest only what changed); the real
 * index in the data dir is never touched. DATABASE_URL is ignored on purpose: evals always run on their own store.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { baselineFromRun, type EvalRun } from '../../evals/runner.js';
import { writeBaseline } from '../../evals/baseline.js';
import { datasetName } from '../../evals/dataset.js';
import { createJudge, judgeUnavailableReason, type Judge } from '../../evals/judge.js';
import { renderMarkdown, renderTerminal } from '../../evals/report.js';
import { baselineFile, runSuite, type SuiteResult } from '../../evals/run-suite.js';
import { defaultReportsDir, findSuite, loadSuites, type Suite } from '../../evals/suites.js';
import { createEmbedder } from '../../ingestion/embedders/index.js';
import { ExitCode, UsageError } from '../errors.js';
import { commandConfig, commandLogger, withDataDir } from './options.js';

const optionsSchema = z.object({
  dataset: z.string().min(1).optional(),
  all: z.boolean().default(false),
  json: z.boolean().default(false),
  report: z.string().min(1).optional(),
  updateBaseline: z.boolean().default(false),
  folder: z.string().min(1).optional(),
  access: z.string().min(1).optional(),
  judge: z.boolean().default(true),
  thresholds: z.string().min(1).optional(),
  baselineDir: z.string().min(1).optional(),
  dataDir: z.string().min(1).optional(),
});

type EvalOptions = z.infer<typeof optionsSchema>;

/** Errors that mean "fix the dataset / eval files", reported like usage errors (exit code 2). */
const FILE_ERRORS = new Set(['DatasetError', 'SuitesFileError', 'ThresholdsFileError', 'BaselineError']);

async function selectSuites(options: EvalOptions): Promise<Suite[]> {
  if (options.all && options.dataset) throw new UsageError('give either --dataset FILE or --all, not both');
  if (options.all) {
    if (options.report)
      throw new UsageError('--report names one file; with --all each suite writes evals/reports/<name>.md');
    return loadSuites();
  }
  if (!options.dataset) throw new UsageError('give --dataset FILE.jsonl or --all');
  const dataset = resolve(options.dataset);
  const name = datasetName(dataset);
  if (options.folder) {
    const folder = resolve(options.folder);
    return [
      {
        name,
        dataset,
        folder,
        access: options.access ? resolve(options.access) : join(folder, 'access.yml'),
      },
    ];
  }
  const suite = findSuite(await loadSuites(), name);
  return [{ ...suite, dataset, ...(options.access ? { access: resolve(options.access) } : {}) }];
}

function progress(name: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total) => {
    process.stderr.write(`\r${name}: ${done}/${total}`);
    if (done === total) process.stderr.write('\n');
  };
}

export function registerEval(program: Command): void {
  withDataDir(
    program
      .command('eval')
      .description('run eval suites through the assistant core and gate on evals/thresholds.yml')
      .option(
        '--dataset <file>',
        'a JSONL dataset (its corpus comes from evals/suites.yml, or --folder/--access)',
      )
      .option('--all', 'run every suite in evals/suites.yml')
      .option('--json', 'print the results as JSON on stdout')
      .option('--report <file>', 'where to write the Markdown report (default evals/reports/<dataset>.md)')
      .option(
        '--update-baseline',
        'record this run as the committed baseline (evals/baseline/<dataset>.json)',
      )
      .option('--folder <dir>', 'corpus folder for a dataset that has no suite')
      .option('--access <file>', 'access.yml for the corpus (default <folder>/access.yml)')
      .option('--no-judge', 'skip LLM-judged metrics even when an LLM is configured')
      .option('--thresholds <file>', 'thresholds file (default evals/thresholds.yml)')
      .option('--baseline-dir <dir>', 'where baselines live (default evals/baseline)'),
  ).action(async (raw: unknown) => {
    const options = optionsSchema.parse(raw);
    const config = commandConfig(options);
    const logger = commandLogger(config);
    try {
      const suites = await selectSuites(options);
      const embedder = await createEmbedder(config, { dataDir: config.SOP_DATA_DIR });
      let judge: Judge | null = null;
      const judgeSkippedReason = options.judge ? judgeUnavailableReason(config) : 'disabled with --no-judge';
      if (!judgeSkippedReason) judge = await createJudge(config);
      if (judgeSkippedReason) process.stderr.write(`LLM-judged metrics skipped: ${judgeSkippedReason}\n`);

      const results: SuiteResult[] = [];
      for (const suite of suites) {
        const result = await runSuite({
          name: suite.name,
          datasetFile: suite.dataset,
          corpus: { folder: suite.folder, access: suite.access },
          embedder,
          logger,
          ...(options.dataDir ? { dataDir: join(resolve(options.dataDir), 'evals', suite.name) } : {}),
          ...(config.ANSWER_MIN_CONFIDENCE !== undefined
            ? { minConfidence: config.ANSWER_MIN_CONFIDENCE }
            : {}),
          judge,
          ...(judgeSkippedReason ? { judgeSkippedReason } : {}),
          ...(options.thresholds ? { thresholdsFile: resolve(options.thresholds) } : {}),
          ...(options.baselineDir ? { baselineDir: resolve(options.baselineDir) } : {}),
          onProgress: progress(suite.name),
        });
        results.push(result);
        await writeOutputs(result.run, options);
        if (!options.json) process.stdout.write(`${renderTerminal(result.run)}\n\n`);
      }
      if (options.json) {
        const passed = results.every((r) => r.run.passed);
        process.stdout.write(
          `${JSON.stringify({ passed, suites: results.map((r) => ({ ...r.run, ingest: summary(r) })) }, null, 2)}\n`,
        );
      }
      if (results.some((r) => !r.run.passed)) process.exitCode = ExitCode.failure;
    } catch (error) {
      if (error instanceof Error && FILE_ERRORS.has(error.name)) throw new UsageError(error.message);
      throw error;
    }
  });
}

function summary(result: SuiteResult) {
  const { documents, chunks, failed, seconds } = result.ingest;
  return { documents, chunks, failed, seconds };
}

async function writeOutputs(run: EvalRun, options: EvalOptions): Promise<void> {
  const reportFile = options.report ? resolve(options.report) : join(defaultReportsDir, `${run.dataset}.md`);
  await mkdir(dirname(reportFile), { recursive: true });
  await writeFile(reportFile, renderMarkdown(run));
  process.stderr.write(`report: ${reportFile}\n`);
  if (options.updateBaseline) {
    if (run.metrics.forbidden_citations > 0) {
      process.stderr.write(
        `baseline NOT updated for ${run.dataset}: a run with forbidden citations is never a baseline\n`,
      );
      return;
    }
    const file = baselineFile(run.dataset, options.baselineDir ? resolve(options.baselineDir) : undefined);
    await writeBaseline(file, baselineFromRun(run));
    process.stderr.write(`baseline updated: ${file}\n`);
  }
}
