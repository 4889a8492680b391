/**
 * Where the time of one `ask` goes, on the ask bench's cached index (run `npm run bench -- ask` once first):
 * `npx tsx bench/explain-ask.ts [--size 50000] [--distractors folder|mixed] [--roles a,b] [--questions N] [--analyze]`.
 *
 * Runs real questions of the odoo-docs eval set through the real assistant, captures the hybrid statement and its
 * parameters as the retriever sent them, and prints EXPLAIN ANALYZE of each arm alone and of the whole statement,
 * with the role's readable share of the index (roles of different selectivity behave differently).
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createAssistant } from '../assistant/index.js';
import { loadDataset } from '../evals/dataset.js';
import { createEmbedder } from '../ingestion/embedders/index.js';
import { analyzeChunks, openStore } from '../store/index.js';
import type { Db } from '../store/index.js';
import { loadTuning } from '../retrieval/tuning.js';
import { cacheDir } from './ask.bench.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '50000' },
    roles: { type: 'string' },
    questions: { type: 'string', default: '2' },
    analyze: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    distractors: { type: 'string', default: 'mixed' },
  },
});

const root = join(import.meta.dirname, '..');
const dataDir = await mkdtemp(join(tmpdir(), 'sop-explain-'));
const embedder = await createEmbedder(
  { EMBEDDINGS_PROVIDER: 'local', LOCAL_EMBEDDER: 'hash', EMBEDDINGS_MODEL: 'text-embedding-3-small' },
  { dataDir },
);
const cached = cacheDir(
  root,
  embedder.id,
  Number(values.size),
  z.enum(['folder', 'mixed']).parse(values.distractors),
);
await cp(join(cached, 'pgdata'), join(dataDir, 'pgdata'), { recursive: true });
const store = await openStore({ dataDir });

let captured: { sql: string; params: unknown[] } | undefined;
/** Time spent per kind of statement (--profile), to see what of an ask is SQL and which SQL. */
const spent = new Map<string, { ms: number; n: number }>();
async function timed<T>(sql: string, run: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await run();
  } finally {
    const key = sql.includes('with vec as') ? 'search' : sql.trim().replace(/\s+/g, ' ').slice(0, 50);
    const e = spent.get(key) ?? { ms: 0, n: 0 };
    e.ms += performance.now() - t0;
    e.n += 1;
    spent.set(key, e);
  }
}
const capture = (db: Db): Db => ({
  ...db,
  query: (sql, params) => {
    if (sql.includes('with vec as')) captured = { sql, params: params ?? [] };
    return timed(sql, () => db.query(sql, params));
  },
  transaction: (fn) => timed('transaction', () => db.transaction((tx) => fn(capture(tx)))),
});
const capturing = capture(store.db);

/** The two arms of the hybrid statement as standalone queries ($1 vector, $2 tsquery, $3 principals, $4 limit). */
function armSql(sql: string): [string, string] {
  const vec = /with vec as materialized \(([\s\S]*?)\n {4}\),/.exec(sql)?.[1] ?? '';
  const fts = /fts as \(([\s\S]*?)\n {4}\),/.exec(sql)?.[1] ?? '';
  return [
    vec,
    fts.replaceAll('$2::tsquery', '$1::tsquery').replaceAll('$3', '$2').replaceAll('$4', '$3'),
  ].map((x, i) => (i === 0 ? x.replaceAll('$3', '$2').replaceAll('$4', '$3') : x)) as [string, string];
}

try {
  if (values.analyze) await analyzeChunks(store.db);
  const stats = await store.db.query<{ n: number }>(
    `select count(*)::int as n from pg_stats where tablename = 'chunks'`,
  );
  const total = Number(
    (await store.db.query<{ n: number }>('select count(*)::int as n from chunks')).rows[0]?.n,
  );
  console.log(
    `${total} chunks; planner statistics on chunks: ${stats.rows[0]?.n ? 'yes' : 'NO (never analyzed)'}`,
  );
  const tuning = loadTuning(join(root, 'data/retrieval.yml'));
  const assistant = createAssistant({
    db: capturing,
    embedder,
    tuning: { ...tuning, exactScanMaxChunks: 0 },
  });
  const cases = await loadDataset(join(root, 'evals/datasets/odoo-docs.jsonl'));
  const roles = values.roles?.split(',') ?? [...new Set(cases.map((c) => c.role))];
  if (values.profile) {
    const asker = (role: string) => ({
      id: 'p',
      principals: [`role:${role}`],
      roles: [role],
      surface: 'cli' as const,
    });
    for (const c of cases.slice(0, 20)) await assistant.ask(c.question, asker(c.role));
    spent.clear();
    let total = 0;
    const perRole = new Map<string, number[]>();
    const arms = { vec: 0, fts: 0, plan: 0 };
    for (const c of cases) {
      const t0 = performance.now();
      await assistant.ask(c.question, asker(c.role));
      const t = performance.now() - t0;
      total += t;
      perRole.set(c.role, [...(perRole.get(c.role) ?? []), t]);
      const cap = captured;
      if (!cap) continue;
      const [vecSql, ftsSql] = armSql(cap.sql);
      await store.db.transaction(async (tx) => {
        await tx.query(`select set_config('hnsw.iterative_scan', 'relaxed_order', true)`);
        await tx.query(`select set_config('hnsw.ef_search', '40', true)`);
        await tx.query(`select set_config('enable_seqscan', 'off', true)`);
        let t1 = performance.now();
        await tx.query(vecSql, [cap.params[0], cap.params[2], cap.params[3]]);
        arms.vec += performance.now() - t1;
        t1 = performance.now();
        await tx.query(ftsSql, [cap.params[1], cap.params[2], cap.params[3]]);
        arms.fts += performance.now() - t1;
        const plan = await tx.query<{ 'QUERY PLAN': string }>(
          `explain (analyze, summary on, timing off) ${cap.sql}`,
          cap.params,
        );
        const pl = plan.rows.map((r) => r['QUERY PLAN']).find((l) => l.startsWith('Planning Time'));
        arms.plan += Number(/([\d.]+) ms/.exec(pl ?? '')?.[1] ?? 0);
      });
    }
    console.log(
      `arms alone (ms per question): vector ${(arms.vec / cases.length).toFixed(1)}, full-text ${(arms.fts / cases.length).toFixed(1)}, planning of the whole statement ${(arms.plan / cases.length).toFixed(1)}`,
    );
    console.log(
      `ask total ${(total / cases.length).toFixed(1)} ms per question; SQL by statement (ms per question):`,
    );
    for (const [k, v] of [...spent].sort((a, b) => b[1].ms - a[1].ms))
      console.log(`  ${(v.ms / cases.length).toFixed(2).padStart(7)}  ×${v.n}  ${k}`);
    for (const [role, ts] of perRole) {
      const sorted = [...ts].sort((a, b) => a - b);
      console.log(
        `  ${role.padEnd(26)} mean ${(ts.reduce((a, b) => a + b, 0) / ts.length).toFixed(1)}  max ${sorted.at(-1)?.toFixed(1)}`,
      );
    }
    process.exit(0);
  }
  for (const role of roles) {
    const readable = Number(
      (
        await store.db.query<{ n: number }>(`select count(*)::int as n from chunks where acl && $1::text[]`, [
          [`role:${role}`],
        ])
      ).rows[0]?.n,
    );
    for (const c of cases.filter((x) => x.role === role).slice(0, Number(values.questions))) {
      const asker = { id: 'explain', principals: [`role:${role}`], roles: [role], surface: 'cli' as const };
      await assistant.ask(c.question, asker); // warm the statistics cache and the buffers
      const t0 = performance.now();
      await assistant.ask(c.question, asker);
      const askMs = performance.now() - t0;
      if (!captured) throw new Error('the hybrid statement was not captured');
      const { sql, params } = captured;
      const lexemes = String(params[1]).split(' | ').length;
      console.log(
        `\n=== ${role} (reads ${readable} = ${((100 * readable) / total).toFixed(0)} %), ${lexemes} lexemes, ask ${askMs.toFixed(1)} ms: ${c.question}`,
      );
      await store.db.transaction(async (tx) => {
        await tx.query(`select set_config('hnsw.iterative_scan', 'relaxed_order', true)`);
        await tx.query(`select set_config('hnsw.ef_search', '40', true)`);
        await tx.query(`select set_config('enable_seqscan', 'off', true)`);
        const plan = await tx.query<{ 'QUERY PLAN': string }>(
          `explain (analyze, buffers off) ${sql}`,
          params,
        );
        for (const r of plan.rows) {
          const l = r['QUERY PLAN'];
          if (
            /CTE|Scan|Limit|Sort|Execution|Planning|Bitmap|rows=/.test(l) &&
            !/^\s+(Output|Filter):/.test(l)
          )
            console.log(`  ${l}`);
        }
      });
    }
  }
} finally {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
}
