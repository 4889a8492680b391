/**
 * Ingest throughput: the real pipeline (parsers, chunker, the configured embedder — `hash` by default — and the
 * embedded PGlite store in a temp directory) over (1) the odoo-docs corpus and (2) a generated corpus of at least
 * 10 000 chunks, then the time to build the optional HNSW index over the latter. Pages are PDF pages plus one per
 * non-PDF document.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../app/config/index.js';
import { silentLogger } from '../app/logger.js';
import { createEmbedder } from '../ingestion/embedders/index.js';
import { FolderSource, loadAccessFile, runIngest } from '../ingestion/index.js';
import { openStore, rebuildVectorIndex } from '../store/index.js';
import { rng } from './stats.js';
import type { Benchmark, BenchContext } from './types.js';

const WORDS = (
  'receipt purchase order vendor delivery backorder quantity validate inventory stock location transfer lot serial ' +
  'expiry ward pharmacy requisition approval invoice bill payment journal reconcile asset maintenance request ' +
  'equipment calibration preventive schedule technician ticket helpdesk incident priority escalate team stage ' +
  'employee leave allocation timesheet shift planning project task milestone document folder tag workflow sign ' +
  'quality check control point alert product category unit measure price list supplier lead time reorder rule'
).split(' ');

function sentence(next: () => number): string {
  const n = 8 + Math.floor(next() * 12);
  const words = Array.from({ length: n }, () => WORDS[Math.floor(next() * WORDS.length)]!);
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** A Markdown SOP with `sections` sections of ~300 words each (one to two chunks per section). */
function generatedSop(index: number, sections: number): string {
  const next = rng(index + 1);
  const parts = [`# Generated procedure ${index}\n`, `${sentence(next)} ${sentence(next)}\n`];
  for (let s = 0; s < sections; s++) {
    parts.push(`## Section ${s + 1}: ${WORDS[Math.floor(next() * WORDS.length)]}\n`);
    for (let p = 0; p < 3; p++) parts.push(`${Array.from({ length: 6 }, () => sentence(next)).join(' ')}\n`);
    parts.push(Array.from({ length: 5 }, (_, i) => `${i + 1}. ${sentence(next)}`).join('\n') + '\n');
  }
  return parts.join('\n');
}

async function measure(
  context: BenchContext,
  label: string,
  folder: string,
  accessFile: string | null,
  options: { vectorIndex?: boolean } = {},
): Promise<{ chunks: number }> {
  const config = loadConfig(process.env);
  const dataDir = await mkdtemp(join(tmpdir(), 'sop-bench-store-'));
  const store = await openStore({ dataDir });
  try {
    const embedder = await createEmbedder(config, { dataDir });
    const access = accessFile ? await loadAccessFile(accessFile) : null;
    const run = () =>
      runIngest({
        store,
        embedder,
        source: new FolderSource({ root: folder, access, maxBytes: 50 * 1024 * 1024 }),
        logger: silentLogger(),
      });
    const first = await run();
    const second = await run();
    const s = first.seconds || 0.001;
    context.print(
      `${label}: ${first.added} docs, ${first.pagesParsed} pages, ${first.chunksWritten} chunks in ${first.seconds.toFixed(2)} s ` +
        `→ ${(first.pagesParsed / s).toFixed(1)} pages/s, ${(first.chunksWritten / s).toFixed(0)} chunks/s ` +
        `(embedder ${embedder.id}, ${first.failed} failed); unchanged re-run ${second.seconds.toFixed(2)} s`,
    );
    const st = first.stageSeconds;
    context.print(
      `  stages: parse ${st.parse.toFixed(2)} s, chunk ${st.chunk.toFixed(2)} s, embed ${st.embed.toFixed(2)} s, ` +
        `write ${st.write.toFixed(2)} s`,
    );
    if (options.vectorIndex) {
      const t0 = performance.now();
      await rebuildVectorIndex(store.db);
      context.print(
        `  HNSW build over ${first.chunks} chunks: ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
    return { chunks: first.chunksWritten };
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  name: 'ingest',
  description:
    'ingest throughput (pages/s, chunks/s) on the odoo-docs corpus and a generated ≥10 000-chunk corpus',
  async run(context) {
    const corpus = join(context.root, '..', 'shared', 'corpus', 'odoo-docs');
    await measure(context, 'odoo-docs', corpus, join(corpus, 'access.yml'));

    const generated = await mkdtemp(join(tmpdir(), 'sop-bench-corpus-'));
    try {
      const docs = 500;
      for (let i = 0; i < docs; i++) {
        const dir = join(generated, `Area${i % 10}`);
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, `sop-${i}.md`), generatedSop(i, 12));
      }
      const { chunks } = await measure(context, `generated (${docs} Markdown SOPs)`, generated, null, {
        vectorIndex: true,
      });
      if (chunks < 10_000) context.print(`note: generated corpus gave only ${chunks} chunks (< 10 000)`);
    } finally {
      await rm(generated, { recursive: true, force: true });
    }
  },
};
