/**
 * Embedder throughput and the word-vector cache's cost. Prints: the one-off conversion of the wink package's JSON
 * into the binary cache (in a fresh temp dir) and the load of that cache; then, for `hash`, `wink` and `hash+wink`,
 * chunks/s over every chunk of the odoo-docs corpus (parsed and chunked with the real parsers and chunker) and the
 * mean time to embed one short query. The `openai` embedder is network-bound and not measured here.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { chunkMarkdown } from '../ingestion/chunking/index.js';
import { HashWinkEmbeddings } from '../ingestion/embedders/combined.js';
import { HashEmbeddings } from '../ingestion/embedders/hash.js';
import type { SopEmbeddings } from '../ingestion/embedders/index.js';
import { WinkEmbeddings } from '../ingestion/embedders/wink.js';
import { readWinkVectorsUnshared } from '../ingestion/embedders/wink-vectors.js';
import { parseDocument } from '../ingestion/parsers/index.js';
import type { Benchmark, BenchContext } from './types.js';

const QUERIES = [
  'how do I receive a partial delivery against a PO?',
  'who approves a purchase requisition over the threshold',
  'cycle count for the ICU store',
  'request time off',
  'what is a 3-way match',
];

async function corpusChunks(root: string): Promise<string[]> {
  const dir = join(root, '../shared/corpus/odoo-docs');
  const manifest = z
    .array(z.object({ file: z.string() }))
    .parse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
  const texts: string[] = [];
  for (const { file } of manifest) {
    const doc = await parseDocument(
      { bytes: await readFile(join(dir, file)), filename: file },
      { maxBytes: 50e6 },
    );
    for (const chunk of chunkMarkdown(doc)) texts.push(`${chunk.headingPath.join(' › ')}\n\n${chunk.text}`);
  }
  return texts;
}

async function measure(
  print: BenchContext['print'],
  embedder: SopEmbeddings,
  texts: string[],
): Promise<void> {
  await embedder.embedDocuments(texts.slice(0, 20)); // warm-up (JIT, stem cache)
  const t0 = performance.now();
  await embedder.embedDocuments(texts);
  const docMs = performance.now() - t0;
  const rounds = 200;
  const t1 = performance.now();
  for (let i = 0; i < rounds; i++) await embedder.embedQuery(QUERIES[i % QUERIES.length]!);
  const queryMs = (performance.now() - t1) / rounds;
  print(
    `${embedder.id.padEnd(16)} ${String(Math.round(texts.length / (docMs / 1000))).padStart(7)} chunks/s` +
      `   ${queryMs.toFixed(3)} ms/query`,
  );
}

export const benchmark: Benchmark = {
  name: 'embedders',
  description: 'local embedder throughput and word-vector cache conversion/load time',
  async run({ print, root }) {
    const cacheDir = await mkdtemp(join(tmpdir(), 'sop-wink-bench-'));
    try {
      const rssBefore = process.memoryUsage().rss;
      const cold = await readWinkVectorsUnshared(cacheDir);
      print(
        `wink cache: convert JSON → binary ${(cold.convertMs / 1000).toFixed(1)} s (once per data dir), ` +
          `read ${Math.round(cold.readMs)} ms; rss +${Math.round((process.memoryUsage().rss - rssBefore) / 1e6)} MB`,
      );
      const warm = await readWinkVectorsUnshared(cacheDir);
      print(
        `wink cache: warm load ${Math.round(warm.readMs + warm.convertMs)} ms (${warm.vectors.rows} words)`,
      );

      const texts = await corpusChunks(root);
      const avg = Math.round(texts.reduce((n, t) => n + t.length, 0) / texts.length);
      print(`corpus: ${texts.length} chunks, ${avg} chars on average`);
      const hash = new HashEmbeddings();
      const wink = new WinkEmbeddings(warm.vectors);
      for (const embedder of [hash, wink, new HashWinkEmbeddings(hash, wink)])
        await measure(print, embedder, texts);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  },
};
