/**
 * The CI gate: both eval suites run through the real assistant core (real ingest into an in-memory PGlite, real
 * retrieval, extractive answers) and must meet evals/thresholds.yml — forbidden citations = 0 always. Each corpus is
 * ingested once for this file. On failure the assertion message is the same table `npm run eval` prints.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../app/config/index.js';
import { createEmbedder } from '../ingestion/embedders/index.js';
import { loadAccessOracle } from './access.js';
import { readBaseline } from './baseline.js';
import { loadDataset } from './dataset.js';
import { createEvalAsk, openEvalCorpus, type EvalCorpus } from './harness.js';
import { renderTerminal } from './report.js';
import { baselineFile } from './run-suite.js';
import { evaluate } from './runner.js';
import { defaultThresholdsFile, loadSuites } from './suites.js';
import { loadThresholds } from './thresholds.js';

// Whole suites through the real core on a shared 2-core machine: slow is not a failure here (latency is measured,
// not asserted; performance lives in `npm run bench`).
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

// Defaults only (no .env, no keys): CI is offline and must not depend on a developer's environment.
const config = loadConfig({});
const suites = await loadSuites();

describe.each(suites.map((s) => [s.name, s] as const))('eval gate: %s', (name, suite) => {
  let corpus: EvalCorpus;

  beforeAll(async () => {
    const embedder = await createEmbedder(config, { dataDir: config.SOP_DATA_DIR });
    corpus = await openEvalCorpus({ corpus: suite, embedder });
  });
  afterAll(async () => {
    await corpus?.close();
  });

  it('meets every threshold, with zero forbidden citations', async () => {
    expect(corpus.ingest.failed, `ingest failures: ${JSON.stringify(corpus.ingest.failures)}`).toBe(0);
    const run = await evaluate({
      dataset: name,
      cases: await loadDataset(suite.dataset),
      ask: createEvalAsk(corpus).ask,
      access: await loadAccessOracle(suite.access),
      thresholds: (await loadThresholds(defaultThresholdsFile))[name],
      baseline: await readBaseline(baselineFile(name)),
      embedder: corpus.embedder.id,
      knownSources: corpus.sources,
    });
    const table = renderTerminal(run);
    expect(run.metrics.forbidden_citations, table).toBe(0);
    expect(
      run.checks.filter((c) => c.status === 'fail').map((c) => c.metric),
      table,
    ).toEqual([]);
    expect(run.passed).toBe(true);
  });
});
