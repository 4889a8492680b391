/**
 * Proves the gate trips. Over the real demo-hospital index (ingested once for this file) it runs the suite three
 * more times with deliberately broken assistants and expects each run to fail the committed thresholds:
 * - a composer that throws away every passage of the best-ranked SOP (a ranking regression);
 * - an assistant wrapper that plants a leak: one extra citation of a document the asking role may not read;
 * - a wrapper that leaks only into the considered chunks (the audit record), never into a citation.
 * A leak must fail the gate on its own, even with no other threshold configured. To keep CI time down the ranking
 * regression runs over the answerable cases only and the leak runs over a slice of the dataset.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../app/config/index.js';
import { createEmbedder } from '../ingestion/embedders/index.js';
import type { Composer } from '../retrieval/composer.js';
import { createExtractiveComposer } from '../retrieval/extractive.js';
import { loadAccessOracle, type AccessOracle } from './access.js';
import { loadDataset, type EvalCase } from './dataset.js';
import { createEvalAsk, openEvalCorpus, type EvalCorpus } from './harness.js';
import { evaluate, type AskFn, type EvalRun } from './runner.js';
import { defaultThresholdsFile, findSuite, loadSuites } from './suites.js';
import { loadThresholds, type DatasetThresholds } from './thresholds.js';

// Whole suites through the real core on a shared 2-core machine: slow is not a failure here (latency is measured,
// not asserted; performance lives in `npm run bench`).
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const suite = findSuite(await loadSuites(), 'demo-hospital');
const config = loadConfig({});

let corpus: EvalCorpus;
let cases: EvalCase[];
let access: AccessOracle;
let thresholds: DatasetThresholds | undefined;
let honest: EvalRun;

async function run(
  ask: AskFn,
  subset: readonly EvalCase[],
  gates: DatasetThresholds | undefined = thresholds,
): Promise<EvalRun> {
  return evaluate({ dataset: suite.name, cases: subset, ask, access, thresholds: gates });
}

const answerable = () => cases.filter((c) => c.expect === 'answer');
/** Every role except the read-everything ones, so a leak can be planted for each case. */
const leakSlice = () => cases.filter((c) => unreadableBy(c.role)).slice(0, 40);

/** A source the role may not read (there is one for every role but trainer/super-user, who read everything). */
function unreadableBy(role: string): string | undefined {
  return corpus.sources.find((s) => !access.canRead(role, s));
}

beforeAll(async () => {
  const embedder = await createEmbedder(config, { dataDir: config.SOP_DATA_DIR });
  corpus = await openEvalCorpus({ corpus: suite, embedder });
  cases = await loadDataset(suite.dataset);
  access = await loadAccessOracle(suite.access);
  thresholds = (await loadThresholds(defaultThresholdsFile))[suite.name];
  honest = await run(createEvalAsk(corpus).ask, answerable());
});
afterAll(async () => {
  await corpus?.close();
});

describe('the eval gate trips on a degraded assistant', () => {
  it('fails when the best-ranked SOP is dropped before composing', async () => {
    const extractive = createExtractiveComposer();
    const dropBest: Composer = {
      name: 'drop-best-source',
      compose: (input) => {
        const best = input.passages[0]?.source;
        return extractive.compose({ ...input, passages: input.passages.filter((p) => p.source !== best) });
      },
    };
    const degraded = await run(createEvalAsk(corpus, { composer: dropBest }).ask, answerable());
    expect(degraded.metrics.hit_at_1!).toBeLessThan(honest.metrics.hit_at_1!);
    expect(degraded.passed).toBe(false);
    expect(degraded.checks.find((c) => c.metric === 'hit_at_1')?.status).toBe('fail');
  });

  it('fails on a planted leak: one citation the role may not read, even with no other threshold', async () => {
    const { ask } = createEvalAsk(corpus);
    const leaky: AskFn = async (question, role) => {
      const result = await ask(question, role);
      const leak = unreadableBy(role);
      if (!leak) return result;
      const citation = { source: leak, title: 'planted', section: '', url: null };
      return { ...result, reply: { ...result.reply, citations: [...result.reply.citations, citation] } };
    };
    const leaked = await run(leaky, leakSlice(), {});
    expect(leaked.metrics.forbidden_citations).toBeGreaterThan(0);
    expect(leaked.passed).toBe(false);
    expect(leaked.checks).toEqual([
      {
        metric: 'forbidden_citations',
        bound: { max: 0 },
        value: leaked.metrics.forbidden_citations,
        status: 'fail',
        meetsGoal: null,
      },
    ]);
    expect(leaked.cases.find((c) => c.forbidden.length > 0)?.failures).toContain('forbidden-citation');
  });

  it('fails when a forbidden chunk is only considered, never cited', async () => {
    const { ask } = createEvalAsk(corpus);
    let planted = false;
    const leaky: AskFn = async (question, role) => {
      const result = await ask(question, role);
      const leak = planted ? undefined : unreadableBy(role);
      if (!leak) return result;
      planted = true;
      return { ...result, considered: [...(result.considered ?? []), leak] };
    };
    const leaked = await run(leaky, leakSlice(), {});
    expect(leaked.metrics.forbidden_citations).toBe(1);
    expect(leaked.cases.flatMap((c) => c.forbidden.map((f) => f.where))).toEqual(['considered']);
    expect(leaked.passed).toBe(false);
  });

  it('the honest run over the same index leaks nothing', () => {
    expect(honest.metrics.forbidden_citations).toBe(0);
    expect(honest.cases.length).toBe(answerable().length);
  });
});
