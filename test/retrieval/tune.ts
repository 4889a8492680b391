/**
 * Measurement and tuning script for retrieval (not a test): indexes the eval corpora with the chosen embedder, runs
 * every eval question through the real retriever under several fusion settings, and reports ranking quality and
 * refusal quality; with --fit it fits the confidence model (logistic regression over the general signals of
 * retrieval/confidence.ts) and picks the threshold, printing YAML for data/retrieval.yml.
 *
 *   npx tsx test/retrieval/tune.ts --embedder hash [--datasets demo-hospital,odoo-docs]
 *     [--holdout odoo-docs-paraphrased,odoo-docs-blind] [--fit] [--verbose]
 *
 * `--datasets` are fitted on; `--holdout` sets are only measured (never fitted, never used to pick the threshold), so
 * their figures say how the model does on questions it has not seen. `--dump` and `--verbose` show fitted sets only,
 * so no run prints a held-out question for someone to tune against.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataset } from '../../evals/dataset.js';
import type { EvalCase } from '../../evals/dataset.js';
import { CONFIDENCE_FEATURES, calibrate, evidenceStems } from '../../retrieval/confidence.js';
import type { ConfidenceInputs, ConfidenceModel } from '../../retrieval/confidence.js';
import { citationsFor } from '../../retrieval/extractive.js';
import { createRetriever } from '../../retrieval/retriever.js';
import type { RetrievalResult } from '../../retrieval/retriever.js';
import { loadSynonyms } from '../../retrieval/synonyms.js';
import { loadTuning } from '../../retrieval/tuning.js';
import type { RetrievalTuning } from '../../retrieval/tuning.js';
import { DATASETS, DEMO_HOSPITAL, ODOO_DOCS, indexCorpus, principalsForRole } from './corpus.js';
import { makeEmbedder } from './embedders.js';

const { values } = parseArgs({
  options: {
    embedder: { type: 'string', default: 'hash' },
    datasets: { type: 'string', default: 'demo-hospital,odoo-docs' },
    holdout: { type: 'string', default: 'odoo-docs-paraphrased,odoo-docs-blind' },
    fit: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    cache: { type: 'string', default: '/tmp/sop-tune' },
    'max-false': { type: 'string', default: '0.03' },
    l2: { type: 'string', default: '0.01' },
    features: { type: 'string', default: CONFIDENCE_FEATURES.join(',') },
    variants: { type: 'string', default: 'rrf,weighted,text-only,vector-only' },
    dump: { type: 'string' },
  },
});

const root = new URL('../../', import.meta.url).pathname;
const baseTuning = loadTuning(join(root, 'data/retrieval.yml'));
const synonyms = loadSynonyms([join(root, 'data/synonyms.yml')]);

const VARIANTS: Record<string, Partial<RetrievalTuning>> = {
  rrf: { fusion: 'rrf' },
  weighted: { fusion: 'weighted' },
  'text-only': { fusion: 'rrf', vectorWeight: 0 },
  'vector-only': { fusion: 'rrf', vectorWeight: 1 },
  'rrf-k20': { fusion: 'rrf', rrfK: 20 },
  'rrf-v0.35': { fusion: 'rrf', vectorWeight: 0.35 },
  'rrf-v0.65': { fusion: 'rrf', vectorWeight: 0.65 },
  'weighted-v0.35': { fusion: 'weighted', vectorWeight: 0.35 },
  'weighted-v0.65': { fusion: 'weighted', vectorWeight: 0.65 },
  'no-rerank': { rerank: { fused: 1, coverage: 0, headingCoverage: 0, vector: 0, steps: 0 } },
};

interface Observation {
  c: EvalCase;
  r: RetrievalResult;
}

function rankedSources(r: RetrievalResult, t: RetrievalTuning): string[] {
  return citationsFor(r.passages, t.maxCitations, t.citationRelativeScore).map((c) => c.source);
}

interface Summary {
  hit1: number;
  hit5: number;
  mrr: number;
  refusal: number;
  falseRefusal: number;
  forbiddenCited: number;
  n: number;
}

function summarize(
  obs: Observation[],
  t: RetrievalTuning,
  model: ConfidenceModel,
  threshold: number,
): Summary {
  let hit1 = 0,
    hit5 = 0,
    mrr = 0,
    refused = 0,
    refusable = 0,
    falseRef = 0,
    forbidden = 0;
  const answerable = obs.filter((o) => o.c.expect === 'answer');
  for (const o of obs) {
    const conf = o.r.blocked ? 0 : calibrate(o.r.confidenceInputs, model);
    const answered = conf >= threshold && o.r.passages.length > 0;
    const ranked = answered ? rankedSources(o.r, t) : [];
    if (ranked.some((s) => o.c.forbidden_sources.includes(s))) forbidden++;
    if (o.c.expect === 'answer') {
      const rank = ranked.findIndex((s) => o.c.expected_sources.includes(s));
      if (!answered) falseRef++;
      if (rank === 0) hit1++;
      if (rank >= 0 && rank < 5) hit5++;
      if (rank >= 0) mrr += 1 / (rank + 1);
    } else {
      refusable++;
      if (!answered) refused++;
    }
  }
  const n = Math.max(answerable.length, 1);
  return {
    hit1: hit1 / n,
    hit5: hit5 / n,
    mrr: mrr / n,
    refusal: refused / Math.max(refusable, 1),
    falseRefusal: falseRef / n,
    forbiddenCited: forbidden,
    n: obs.length,
  };
}

/** Ranking quality ignoring refusal (what retrieval itself achieves). */
function rankingOnly(obs: Observation[], t: RetrievalTuning): { hit1: number; hit5: number; mrr: number } {
  const a = obs.filter((o) => o.c.expect === 'answer');
  let h1 = 0,
    h5 = 0,
    mrr = 0;
  for (const o of a) {
    const ranked = rankedSources(o.r, t);
    const rank = ranked.findIndex((s) => o.c.expected_sources.includes(s));
    if (rank === 0) h1++;
    if (rank >= 0 && rank < 5) h5++;
    if (rank >= 0) mrr += 1 / (rank + 1);
  }
  const n = Math.max(a.length, 1);
  return { hit1: h1 / n, hit5: h5 / n, mrr: mrr / n };
}

/** L2-regularised logistic regression by gradient descent; features are already on 0..1-ish scales. */
function fitLogistic(
  xs: ConfidenceInputs[],
  ys: number[],
  l2 = 0.01,
  epochs = 20000,
  lr = 1,
): ConfidenceModel {
  const used = new Set(values.features!.split(','));
  const f = CONFIDENCE_FEATURES.filter((k) => used.has(k));
  const w = new Array<number>(f.length).fill(0);
  let b = 0;
  // Balance the classes so the threshold, not the class ratio, decides the trade-off.
  const pos = ys.filter((y) => y === 1).length;
  const neg = ys.length - pos;
  const cw = (y: number) =>
    y === 1 ? ys.length / (2 * Math.max(pos, 1)) : ys.length / (2 * Math.max(neg, 1));
  for (let e = 0; e < epochs; e++) {
    const gw = new Array<number>(f.length).fill(0);
    let gb = 0;
    xs.forEach((x, i) => {
      let z = b;
      f.forEach((k, j) => (z += w[j]! * x[k]));
      const p = 1 / (1 + Math.exp(-z));
      const err = (p - ys[i]!) * cw(ys[i]!);
      f.forEach((k, j) => (gw[j]! += err * x[k]));
      gb += err;
    });
    f.forEach((_, j) => (w[j]! -= lr * (gw[j]! / xs.length + l2 * w[j]!)));
    b -= lr * (gb / xs.length);
  }
  const weights = Object.fromEntries(
    CONFIDENCE_FEATURES.map((k) => [k, f.includes(k) ? Math.round(w[f.indexOf(k)]! * 100) / 100 : 0]),
  ) as ConfidenceModel['weights'];
  return { bias: Math.round(b * 100) / 100, weights };
}

function fitOn(obs: Observation[], l2: number): ConfidenceModel {
  return fitLogistic(
    obs.map((o) => o.r.confidenceInputs),
    obs.map((o) => (o.c.expect === 'answer' ? 1 : 0)),
    l2,
  );
}

/** The question set an observation comes from: its id prefix (dh-, od-, ho-, bl-). */
function setOf(o: Observation): string {
  return o.c.id.split('-')[0]!;
}

/** Highest refusal rate with false refusals at most `maxFalse`; ties go to the lower threshold. */
function pickThreshold(
  obs: Observation[],
  t: RetrievalTuning,
  model: ConfidenceModel,
  maxFalse: number,
): number {
  let best = 0;
  let bestRefusal = -1;
  // The bar holds per question set: false refusals at most `maxFalse` on each dataset, not just on the pool.
  const sets = [...new Set(obs.map(setOf))].map((p) => obs.filter((o) => setOf(o) === p));
  for (let th = 0.05; th <= 0.951; th += 0.01) {
    const s = summarize(obs, t, model, th);
    const worstFalse = Math.max(...sets.map((set) => summarize(set, t, model, th).falseRefusal));
    if (worstFalse <= maxFalse && s.refusal > bestRefusal + 1e-9) {
      bestRefusal = s.refusal;
      best = Math.round(th * 100) / 100;
    }
  }
  return best;
}

/** Area under the ROC curve of a score for binary labels (ties count half). */
function auc(scores: number[], labels: number[]): number {
  let num = 0;
  let den = 0;
  scores.forEach((si, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((sj, j) => {
      if (labels[j] !== 0) return;
      den++;
      num += si > sj ? 1 : si === sj ? 0.5 : 0;
    });
  });
  return den ? num / den : 0;
}

const pct = (x: number) => (x * 100).toFixed(1).padStart(5);

async function main(): Promise<void> {
  const embedder = await makeEmbedder(values.embedder!);
  const fitted = values.datasets!.split(',').filter((n) => existsSync(join(DATASETS, `${n}.jsonl`)));
  const measured = values.holdout!.split(',').filter((n) => n && existsSync(join(DATASETS, `${n}.jsonl`)));
  const names = [...fitted, ...measured];
  const variants = values.variants!.split(',');
  const all: Record<string, Record<string, Observation[]>> = {};
  for (const name of names) {
    const folder = name.startsWith('odoo-docs') ? ODOO_DOCS : DEMO_HOSPITAL;
    const t0 = performance.now();
    // Indexes persist between runs (incremental ingest re-parses nothing when nothing changed).
    const corpus = await indexCorpus(
      folder,
      embedder,
      join(values.cache!, `${folder === ODOO_DOCS ? 'odoo-docs' : 'demo-hospital'}-${embedder.id}`),
    );
    console.log(
      `# ${name}: ${corpus.documents} documents, ${corpus.chunks} chunks, ${corpus.failed} failed, indexed in ${((performance.now() - t0) / 1000).toFixed(1)} s with ${embedder.id}`,
    );
    const cases = await loadDataset(join(DATASETS, `${name}.jsonl`));
    const retriever = createRetriever({ db: corpus.store.db, embedder, synonyms, tuning: baseTuning });
    all[name] = {};
    for (const v of variants) {
      const obs: Observation[] = [];
      for (const c of cases) {
        const r = await retriever.retrieve(c.question, principalsForRole(c.role), {
          tuning: VARIANTS[v] ?? {},
        });
        obs.push({ c, r });
      }
      all[name]![v] = obs;
    }
    await corpus.store.close();
  }

  console.log('\nranking (citations as the composer makes them, refusal ignored): hit@1 / hit@5 / MRR');
  for (const v of variants) {
    const cells = names.map((n) => {
      const s = rankingOnly(all[n]![v]!, { ...baseTuning, ...VARIANTS[v] });
      return `${n}: ${pct(s.hit1)} ${pct(s.hit5)} ${pct(s.mrr)}`;
    });
    console.log(`  ${v.padEnd(16)} ${cells.join('   ')}`);
  }

  const main = variants[0]!;
  if (values.dump) {
    // Signals of every question (first variant) for offline model experiments.
    const rows = fitted.flatMap((n) =>
      all[n]![main]!.map((o) => ({
        dataset: n,
        id: o.c.id,
        expect: o.c.expect,
        blocked: Boolean(o.r.blocked),
        hit1: o.c.expected_sources.includes(rankedSources(o.r, baseTuning)[0] ?? ''),
        inputs: o.r.confidenceInputs,
        question: o.c.question,
        role: o.c.role,
        top: o.r.ranked[0] && {
          path: o.r.ranked[0].path,
          heading: o.r.ranked[0].headingPath,
          text: o.r.ranked[0].text,
        },
        next: o.r.ranked.slice(1, 3).map((c) => ({ path: c.path, heading: c.headingPath, text: c.text })),
        focus: o.r.focus.map((f) => ({
          ...f,
          inTop: f.stems.some((s) =>
            o.r.ranked[0] ? evidenceStems(o.r.ranked[0].headingPath, o.r.ranked[0].text).has(s) : false,
          ),
        })),
      })),
    );
    writeFileSync(values.dump, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
  {
    const obs = fitted.flatMap((n) => all[n]![main]!);
    const ys = obs.map((o) => (o.c.expect === 'answer' ? 1 : 0));
    const aucs = CONFIDENCE_FEATURES.map(
      (f) =>
        `${f}=${auc(
          obs.map((o) => o.r.confidenceInputs[f]),
          ys,
        ).toFixed(3)}`,
    );
    console.log(`\nfeature AUC (answerable vs refuse, ${main}): ${aucs.join(' ')}`);
  }
  let model = baseTuning.confidence;
  let threshold = baseTuning.threshold;
  if (values.fit) {
    const l2 = Number(values.l2);
    const maxFalse = Number(values['max-false']);
    const obs = fitted.flatMap((n) => all[n]![main]!);
    model = fitOn(obs, l2);
    threshold = pickThreshold(obs, baseTuning, model, maxFalse);
    // Leave one set out: fit on the others, measure on it — how the model does on phrasing it has not seen.
    if (fitted.length > 1) {
      for (const out of fitted) {
        const rest = fitted.filter((n) => n !== out).flatMap((n) => all[n]![main]!);
        const m = fitOn(rest, l2);
        const s = summarize(all[out]![main]!, baseTuning, m, pickThreshold(rest, baseTuning, m, maxFalse));
        console.log(
          `leave-one-out, fit without ${out}: refusal ${pct(s.refusal)} false refusals ${pct(s.falseRefusal)} hit@1 ${pct(s.hit1)} hit@5 ${pct(s.hit5)}`,
        );
      }
    }
    console.log(`\nfitted confidence (${main}):\nconfidence:\n  bias: ${model.bias}\n  weights:`);
    for (const f of CONFIDENCE_FEATURES) console.log(`    ${f}: ${model.weights[f]}`);
    console.log(`threshold: ${threshold}`);
  }

  console.log(
    `\nend to end at threshold ${threshold}: hit@1 / hit@5 / MRR / refusal / false refusals / forbidden cited`,
  );
  for (const v of variants) {
    const cells = names.map((n) => {
      const s = summarize(all[n]![v]!, { ...baseTuning, ...VARIANTS[v] }, model, threshold);
      return `${n}: ${pct(s.hit1)} ${pct(s.hit5)} ${pct(s.mrr)} ${pct(s.refusal)} ${pct(s.falseRefusal)} ${s.forbiddenCited}`;
    });
    console.log(`  ${v.padEnd(16)} ${cells.join('   ')}`);
  }

  if (values.verbose) {
    const obs = fitted.flatMap((n) => all[n]![main]!);
    const sorted = [...obs].sort(
      (a, b) => calibrate(a.r.confidenceInputs, model) - calibrate(b.r.confidenceInputs, model),
    );
    console.log('\nlowest-confidence answerable / highest-confidence refusable:');
    for (const o of sorted.filter((o) => o.c.expect === 'answer').slice(0, 12))
      console.log(
        `  A ${calibrate(o.r.confidenceInputs, model).toFixed(2)} ${o.c.id} ${o.c.question} -> ${rankedSources(o.r, baseTuning)[0]}`,
      );
    for (const o of sorted.filter((o) => o.c.expect === 'refuse').slice(-25))
      console.log(
        `  R ${calibrate(o.r.confidenceInputs, model).toFixed(2)} ${o.c.id} [${o.c.role}] ${o.c.question} -> ${rankedSources(o.r, baseTuning)[0]}`,
      );
  }
  if (values.verbose && process.env.ALL_FAILURES) {
    for (const n of fitted) {
      for (const o of all[n]![main]!) {
        const conf = calibrate(o.r.confidenceInputs, model);
        const ranked = rankedSources(o.r, baseTuning);
        const ok =
          o.c.expect === 'answer'
            ? conf >= threshold && ranked[0] !== undefined && o.c.expected_sources.includes(ranked[0])
            : conf < threshold;
        if (ok) continue;
        const ci = Object.entries(o.r.confidenceInputs)
          .map(([k, x]) => `${k}=${x.toFixed(2)}`)
          .join(' ');
        console.log(
          `${o.c.id} [${o.c.role}] ${o.c.expect} conf=${conf.toFixed(2)} q="${o.c.question}"\n   expected=${o.c.expected_sources.join(',')} got=${ranked.slice(0, 3).join(',')}\n   ${ci}`,
        );
      }
    }
  }
}

await main();
