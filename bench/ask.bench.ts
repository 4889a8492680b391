/**
 * `ask` latency and quality, ours against the baseline most developers would build.
 *
 * Ours: the real assistant (`createAssistant`: hybrid SQL with the ACL inside both arms, rerank, confidence,
 * extractive answer, audit insert) on the embedded PGlite store, default embedder (`hash`).
 * Baseline: LangChain's `PGVectorStore` (@langchain/community, its own small package in bench/langchain-baseline/,
 * installed on demand) — dense only, the same embedder and the same vectors, the role filter as a metadata filter
 * (`acl: { arrayContains: principals }`), over `pg` to a PGlite served by pglite-socket (PGVectorStore needs a pg pool).
 *
 * Data: the odoo-docs corpus through the real pipeline (~520 chunks), then distractor documents (random sentences of
 * the corpus under real headings, re-embedded, folder ACLs) up to 10 000 and 50 000 chunks. Queries: the odoo-docs
 * eval set (each question as its role). Quality = hit@1/hit@5/MRR of the expected page over answerable questions (ours: citations, a refusal scoring 0, and "retrieval alone" with a refused question ranked on what it would have cited; baseline: the sources of its top 5 chunks) plus our
 * refusal figures; latency = wall time of one ask (query embedding included), p50/p95 after warm-up.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { silentLogger } from '../app/logger.js';
import { createAssistant } from '../assistant/index.js';
import type { Asker } from '../assistant/reply.js';
import { loadDataset } from '../evals/dataset.js';
import type { EvalCase } from '../evals/dataset.js';
import { createEmbedder } from '../ingestion/embedders/index.js';
import type { SopEmbeddings } from '../ingestion/embedders/index.js';
import { embeddingText } from '../ingestion/index-document.js';
import { FolderSource, loadAccessFile, runIngest } from '../ingestion/index.js';
import {
  analyzeChunks,
  hasVectorIndex,
  openStore,
  rebuildVectorIndex,
  upsertDocumentWithChunks,
} from '../store/index.js';
import type { Store } from '../store/index.js';
import { loadTuning } from '../retrieval/tuning.js';
import { createPglite } from '../store/pglite.js';
import { sharedBuffersMbFor } from '../store/shared-buffers.js';
import { percentile, rng } from './stats.js';
import type { Benchmark, BenchContext } from './types.js';

export interface ChunkRow {
  path: string;
  title: string;
  acl: string[];
  heading_path: string[];
  text: string;
}

interface Quality {
  hit1: number;
  hit5: number;
  mrr: number;
  refusal?: number;
  falseRefusal?: number;
  /** Ours only: retrieval alone — a refused question ranked on what it would have cited (the baseline never refuses). */
  ranking?: Pick<Quality, 'hit1' | 'hit5' | 'mrr'>;
  /**
   * Ours only: the right page in front of the person — among an answer's first five citations, or among the closest
   * SOPs a refusal lists (the baseline's own figure for this is its hit@5: it shows five chunks whatever they are).
   */
  reached?: number;
  /**
   * Baseline only: share of questions given fewer than the 5 chunks asked for. A plain HNSW scan checks the metadata
   * filter after the index has picked its candidates, so a role that reads a small slice can get less (or nothing).
   */
  shortResults?: number;
}

interface Latency {
  p50: number;
  p95: number;
}

/** What the bench uses of PGVectorStore (typed here: the baseline package is loaded at run time). */
interface BaselineStore {
  similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: Record<string, unknown>,
  ): Promise<[{ pageContent: string; metadata: Record<string, unknown> }, number][]>;
  createHnswIndex(config: { dimensions: number }): Promise<void>;
  end(): Promise<void>;
}

function rankOf(sources: string[], expected: string[]): number {
  const unique = [...new Set(sources)];
  return unique.findIndex((s) => expected.includes(s));
}

function summarizeRanks(ranks: number[]): Quality {
  const n = Math.max(ranks.length, 1);
  return {
    hit1: ranks.filter((r) => r === 0).length / n,
    hit5: ranks.filter((r) => r >= 0 && r < 5).length / n,
    mrr: ranks.reduce((a, r) => a + (r >= 0 && r < 10 ? 1 / (r + 1) : 0), 0) / n,
  };
}

const f2 = (x: number) => x.toFixed(2);
const ms = (x: number) => `${x.toFixed(1)} ms`;

/**
 * How distractor documents draw their sentences. Neither is a real library; the bench prints which one it ran.
 * - `mixed` (default, the design of every figure before 2026-12-04 evening): from the whole corpus, under the ACL of a
 *   random page. Every sentence then sits under every folder's ACL ~20 times over at 10 000 chunks, so forbidden
 *   questions become answerable through distractors and the answers of answerable ones also sit where the asker
 *   can't read: refusal figures on it are not meaningful, ranking figures are.
 * - `folder`: from the pages of one folder, under that folder's ACL. The eval labels stay true (nothing a role can
 *   read gains another department's text), but each page's sentences recur in ~100 same-folder distractors at 50 000
 *   chunks: picking the original among its shuffled copies is far harder for every ranker, and the full-text arm and
 *   HNSW scans get slower (the question's words match thousands of readable chunks).
 */
export type DistractorDesign = 'folder' | 'mixed';

/**
 * Distractor documents: each chunk is 6–10 sentences drawn at random (see `DistractorDesign`), under a real heading
 * path of the same pool — text that looks like SOPs and shares their vocabulary, without being a near-copy of any one
 * page.
 */
export async function addDistractors(
  store: Store,
  embedder: SopEmbeddings,
  base: ChunkRow[],
  target: number,
  startCopy: number,
  design: DistractorDesign = 'mixed',
) {
  const sentencesOf = (chunks: ChunkRow[]) =>
    chunks.flatMap((c) => c.text.split(/(?<=[.!?])\s+|\n+/).filter((x) => x.trim().length > 30));
  const aclKey = (c: ChunkRow) => [...c.acl].sort().join(',');
  const pools = new Map<string, { chunks: ChunkRow[]; sentences: string[] }>();
  for (const c of base) {
    const key = design === 'folder' ? aclKey(c) : '*';
    const pool = pools.get(key) ?? { chunks: [], sentences: [] };
    pool.chunks.push(c);
    pools.set(key, pool);
  }
  for (const pool of pools.values()) pool.sentences = sentencesOf(pool.chunks);
  const current = Number(
    (await store.db.query<{ n: number }>('select count(*)::int as n from chunks')).rows[0]?.n ?? 0,
  );
  let needed = target - current;
  let copy = startCopy;
  const perDoc = 20;
  while (needed > 0) {
    const next = rng(copy);
    const model = base[Math.floor(next() * base.length)]!;
    const pool = pools.get(design === 'folder' ? aclKey(model) : '*')!;
    const n = Math.min(perDoc, needed);
    const texts = Array.from({ length: n }, () =>
      Array.from(
        { length: 6 + Math.floor(next() * 5) },
        () => pool.sentences[Math.floor(next() * pool.sentences.length)]!,
      ).join(' '),
    );
    const headings = Array.from(
      { length: n },
      () => pool.chunks[Math.floor(next() * pool.chunks.length)]!.heading_path,
    );
    const vectors = await embedder.embedDocuments(
      texts.map((t, i) => embeddingText({ headingPath: headings[i]!, text: t })),
    );
    const path = `distractors/${copy}.md`;
    await upsertDocumentWithChunks(
      store.db,
      { source: 'bench', externalId: path, path, title: `Archive ${copy}`, checksum: path, acl: model.acl },
      texts.map((t, i) => ({ ordinal: i, headingPath: headings[i]!, text: t, embedding: vectors[i]! })),
    );
    needed -= n;
    copy++;
  }
  return copy;
}

async function measureOurs(
  store: Store,
  embedder: SopEmbeddings,
  cases: EvalCase[],
  vectorMode: 'exact' | 'hnsw',
  rounds = 1,
): Promise<{ quality: Quality; latency: Latency }> {
  const tuning = loadTuning(new URL('../data/retrieval.yml', import.meta.url).pathname);
  const assistantWith = (minConfidence?: number) =>
    createAssistant({
      db: store.db,
      embedder,
      tuning: { ...tuning, exactScanMaxChunks: vectorMode === 'exact' ? Number.MAX_SAFE_INTEGER : 0 },
      ...(minConfidence !== undefined ? { minConfidence } : {}),
    });
  const assistant = assistantWith();
  // The confidence gate off, untimed: what a refused question would have cited, for the like-for-like ranking row.
  const ungated = assistantWith(0);
  const asker = (role: string): Asker => ({
    id: `bench-${role}`,
    principals: [`role:${role}`],
    roles: [role],
    surface: 'cli',
  });
  for (const c of cases.slice(0, 20)) await assistant.ask(c.question, asker(c.role)); // warm-up (stats cache, JIT)
  const times: number[] = [];
  const ranks: number[] = [];
  const rankingRanks: number[] = [];
  let refused = 0;
  let refusable = 0;
  let falseRefused = 0;
  let reached = 0;
  // Later rounds only add timings (the machine is shared and noisy: ≥ 200 timed questions per row).
  for (let round = 1; round < rounds; round++)
    for (const c of cases) {
      const t0 = performance.now();
      await assistant.ask(c.question, asker(c.role));
      times.push(performance.now() - t0);
    }
  for (const c of cases) {
    const t0 = performance.now();
    const reply = await assistant.ask(c.question, asker(c.role));
    times.push(performance.now() - t0);
    if (c.expect === 'answer') {
      const rank = (citations: { source: string }[]) =>
        rankOf(
          citations.map((x) => x.source),
          c.expected_sources,
        );
      ranks.push(reply.answered ? rank(reply.citations) : -1);
      const shown = reply.answered ? rank(reply.citations) : rank(reply.related);
      if (shown >= 0 && shown < 5) reached++;
      rankingRanks.push(
        reply.answered
          ? rank(reply.citations)
          : rank((await ungated.ask(c.question, asker(c.role))).citations),
      );
      if (!reply.answered) falseRefused++;
    } else {
      refusable++;
      if (!reply.answered) refused++;
    }
  }
  const answerable = cases.filter((c) => c.expect === 'answer').length;
  return {
    quality: {
      ...summarizeRanks(ranks),
      refusal: refused / Math.max(refusable, 1),
      falseRefusal: falseRefused / Math.max(answerable, 1),
      ranking: summarizeRanks(rankingRanks),
      reached: reached / Math.max(answerable, 1),
    },
    latency: { p50: percentile(times, 50), p95: percentile(times, 95) },
  };
}

/**
 * Built indexes are cached per size (PGlite data directory copied after the load, with its HNSW index), keyed by the
 * embedder and the distractor seed: rebuilding 50 000 chunks and their HNSW graph takes minutes. Delete the folder
 * (or set SOP_BENCH_ASK_CACHE=0) after changing the schema, the chunker or the corpus.
 */
const DISTRACTOR_SEED = 1;
export function cacheDir(root: string, embedderId: string, size: number, design: DistractorDesign): string {
  // `mixed` keeps the key it had before `folder` existed, so its cached indexes stay valid.
  const key = `ask-${embedderId.replace(/[^\w.+-]/g, '_')}-odoo-docs-seed${DISTRACTOR_SEED}${design === 'mixed' ? '' : `-${design}`}`;
  return join(root, 'node_modules', '.cache', 'sop-assistant', 'bench', key, String(size));
}

/** Installs the baseline's own package on first use (kept out of the main install; see its package.json). */
function ensureBaselinePackage(dir: string, print: (l: string) => void): boolean {
  if (existsSync(join(dir, 'node_modules', '@langchain', 'community'))) return true;
  print('installing bench/langchain-baseline (once)…');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: dir,
    stdio: 'inherit',
  });
  return r.status === 0;
}

async function measureBaseline(
  dataDir: string,
  baselineDir: string,
  embedder: SopEmbeddings,
  cases: EvalCase[],
  hnsw: boolean,
): Promise<{ quality: Quality; latency: Latency }> {
  // The same buffer pool as ours gets from openStore (sized to the database), so neither side reads more from disk.
  const pgDir = join(dataDir, 'pgdata');
  const pg = await createPglite(pgDir, { sharedBuffersMb: await sharedBuffersMbFor(pgDir) });
  const server = new PGLiteSocketServer({ db: pg, port: 0, host: '127.0.0.1', maxConnections: 4 });
  await server.start();
  const address = server.getServerConn();
  const require = createRequire(join(baselineDir, 'package.json'));
  const { PGVectorStore } = (await import(
    pathToFileURL(require.resolve('@langchain/community/vectorstores/pgvector')).href
  )) as { PGVectorStore: { initialize(e: unknown, c: unknown): Promise<BaselineStore> } };
  const [host, port] = address.split(':');
  // A fresh table each time: PGVectorStore creates it, and no index from an earlier row lingers.
  await pg.exec('drop table if exists langchain_baseline');
  const store = await PGVectorStore.initialize(embedder, {
    postgresConnectionOptions: { host, port: Number(port), user: 'postgres', database: 'postgres', max: 2 },
    tableName: 'langchain_baseline',
    dimensions: embedder.dimensions,
    distanceStrategy: 'cosine',
  });
  try {
    // Same data, loaded inside the database (every chunk, its vector and its metadata) instead of re-embedding it.
    await pg.exec(`insert into langchain_baseline (id, text, metadata, embedding)
      select gen_random_uuid(), c.text, jsonb_build_object('source', d.path, 'acl', to_jsonb(c.acl)), c.embedding
      from chunks c join documents d on d.id = c.document_id`);
    if (hnsw) await store.createHnswIndex({ dimensions: embedder.dimensions });
    const ask = async (c: EvalCase) => {
      const q = await embedder.embedQuery(c.question);
      return store.similaritySearchVectorWithScore(q, 5, { acl: { arrayContains: [`role:${c.role}`] } });
    };
    for (const c of cases.slice(0, 20)) await ask(c);
    const times: number[] = [];
    const ranks: number[] = [];
    let short = 0;
    for (const c of cases) {
      const t0 = performance.now();
      const hits = await ask(c);
      times.push(performance.now() - t0);
      if (hits.length < 5) short++;
      if (c.expect === 'answer')
        ranks.push(
          rankOf(
            hits.map(([d]) => String(d.metadata['source'])),
            c.expected_sources,
          ),
        );
    }
    return {
      quality: { ...summarizeRanks(ranks), shortResults: short / cases.length },
      latency: { p50: percentile(times, 50), p95: percentile(times, 95) },
    };
  } finally {
    await store.end();
    await server.stop();
    await pg.close();
  }
}

function line(context: BenchContext, label: string, q: Quality, l: Latency): void {
  const refusal =
    q.refusal === undefined
      ? `refusal n/a (never refuses); fewer than 5 chunks for ${f2(q.shortResults ?? 0)} of questions`
      : `refused ${f2(q.refusal)} of unanswerable+forbidden, ${f2(q.falseRefusal ?? 0)} of answerable`;
  const ranking = q.ranking
    ? `  (retrieval alone: hit@1 ${f2(q.ranking.hit1)}  hit@5 ${f2(q.ranking.hit5)}  MRR ${f2(q.ranking.mrr)}; page reached ${f2(q.reached ?? 0)})`
    : '';
  context.print(
    `  ${label.padEnd(34)} p50 ${ms(l.p50).padStart(9)}  p95 ${ms(l.p95).padStart(9)}   hit@1 ${f2(q.hit1)}  hit@5 ${f2(q.hit5)}  MRR ${f2(q.mrr)}  ${refusal}${ranking}`,
  );
}

export const benchmark: Benchmark = {
  name: 'ask',
  description:
    'ask latency p50/p95 and quality at corpus size, 10 000 and 50 000 chunks — ours vs LangChain PGVectorStore (dense, metadata filter)',
  async run(context) {
    const corpus = join(context.root, '..', 'shared', 'corpus', 'odoo-docs');
    const cases = await loadDataset(join(context.root, 'evals', 'datasets', 'odoo-docs.jsonl'));
    const baselineDir = join(context.root, 'bench', 'langchain-baseline');
    const haveBaseline = ensureBaselinePackage(baselineDir, context.print);
    if (!haveBaseline) context.print('baseline package could not be installed; baseline rows skipped');
    const dataDir = await mkdtemp(join(tmpdir(), 'sop-bench-ask-'));
    const embedder = await createEmbedder(
      { EMBEDDINGS_PROVIDER: 'local', LOCAL_EMBEDDER: 'hash', EMBEDDINGS_MODEL: 'text-embedding-3-small' },
      { dataDir },
    );
    let copy = DISTRACTOR_SEED;
    let base: ChunkRow[] = [];
    const useCache = process.env['SOP_BENCH_ASK_CACHE'] !== '0';
    const modes = (process.env['SOP_BENCH_ASK_MODES'] ?? 'exact,hnsw').split(',');
    const design = z
      .enum(['folder', 'mixed'])
      .parse(process.env['SOP_BENCH_ASK_DISTRACTORS'] ?? 'mixed') satisfies DistractorDesign;
    context.print(
      `embedder ${embedder.id}; ${cases.length} questions (odoo-docs eval set) per row; distractors: ${design}`,
    );
    const rounds = Math.max(1, Number(process.env['SOP_BENCH_ASK_ROUNDS'] ?? 2));
    const withBaseline = process.env['SOP_BENCH_ASK_BASELINE'] !== '0';
    context.print(`${rounds} round(s) of the eval set timed per row after 20 warm-up questions`);
    try {
      // SOP_BENCH_ASK_SIZES=0,2000 gives a quick run; the default is the full comparison.
      const sizes = (process.env['SOP_BENCH_ASK_SIZES'] ?? '0,10000,50000').split(',').map(Number);
      for (const size of sizes) {
        const cached = cacheDir(context.root, embedder.id, size, design);
        const restored = useCache && existsSync(join(cached, 'pgdata'));
        if (restored) {
          await rm(join(dataDir, 'pgdata'), { recursive: true, force: true });
          await cp(join(cached, 'pgdata'), join(dataDir, 'pgdata'), { recursive: true });
          context.print(`restored the ${size || 'corpus'}-chunk index from ${cached}`);
        }
        const store = await openStore({ dataDir });
        let chunks = 0;
        try {
          if (restored) {
            if (size === 0 || base.length === 0)
              base = (
                await store.db.query<ChunkRow>(
                  `select d.path, d.title, c.acl, c.heading_path, c.text from chunks c join documents d on d.id = c.document_id
                   where d.source <> 'bench' order by c.id`,
                )
              ).rows;
            // Distractor documents are numbered from the seed on; the next size continues after the last one.
            copy =
              DISTRACTOR_SEED +
              Number(
                (
                  await store.db.query<{ n: number }>(
                    `select count(*)::int as n from documents where source = 'bench'`,
                  )
                ).rows[0]?.n ?? 0,
              );
          } else if (size === 0) {
            const access = await loadAccessFile(join(corpus, 'access.yml'));
            await runIngest({
              store,
              embedder,
              source: new FolderSource({ root: corpus, access, maxBytes: 50 * 1024 * 1024 }),
              logger: silentLogger(),
            });
            base = (
              await store.db.query<ChunkRow>(
                `select d.path, d.title, c.acl, c.heading_path, c.text from chunks c join documents d on d.id = c.document_id order by c.id`,
              )
            ).rows;
          } else {
            const t0 = performance.now();
            await store.db.exec('drop index if exists chunks_embedding_hnsw');
            copy = await addDistractors(store, embedder, base, size, copy, design);
            await analyzeChunks(store.db);
            context.print(
              `loaded distractors up to ${size} chunks in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
            );
          }
          chunks = Number(
            (await store.db.query<{ n: number }>('select count(*)::int as n from chunks')).rows[0]?.n ?? 0,
          );
          context.print(`\n${chunks} chunks${size === 0 ? ' (the odoo-docs corpus itself)' : ''}:`);
          if (size >= 2_000 && !(await hasVectorIndex(store.db))) {
            const t0 = performance.now();
            await rebuildVectorIndex(store.db);
            context.print(`  (HNSW index built in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
          }
        } finally {
          await store.close();
        }
        if (useCache && !restored) {
          await rm(cached, { recursive: true, force: true });
          await mkdir(cached, { recursive: true });
          await cp(join(dataDir, 'pgdata'), join(cached, 'pgdata'), { recursive: true });
        }
        const measured = await openStore({ dataDir });
        try {
          if (modes.includes('exact')) {
            const exact = await measureOurs(measured, embedder, cases, 'exact', rounds);
            line(context, 'ours, exact scan', exact.quality, exact.latency);
          }
          if (size >= 2_000 && modes.includes('hnsw')) {
            const ann = await measureOurs(measured, embedder, cases, 'hnsw', rounds);
            line(context, 'ours, HNSW + iterative scan', ann.quality, ann.latency);
          }
        } finally {
          await measured.close();
        }
        if (haveBaseline && withBaseline) {
          const b = await measureBaseline(dataDir, baselineDir, embedder, cases, false);
          line(context, 'LangChain PGVectorStore, exact', b.quality, b.latency);
          if (size >= 2_000) {
            const bh = await measureBaseline(dataDir, baselineDir, embedder, cases, true);
            line(context, 'LangChain PGVectorStore, HNSW', bh.quality, bh.latency);
          }
        }
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
