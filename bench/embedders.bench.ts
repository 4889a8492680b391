/**
 * Embedder throughput and the word-vector cache's cost. Prints: the one-off conversion of the wink package's JSON
 * into the binary cache (in a fresh temp dir) and the load of that cache; then, for `hash`, `wink` and `hash+wink`,
 * chunks/s over every chunk of the odoo-docs corpus (parsed and chunked with the real parsers and chunker) and the
 * mean time to embed one short query. The `openai` embedder is network-bound and not measured here.
 * Then a dense-only retrieval check per embedder on both eval sets (odoo-docs corpus, demo hospital library): every
 * answerable question against every chunk by cosine alone — no full-text arm, no access filter, no rerank — scored
 * at the document level (hit@1, hit@5, MRR@10). It isolates what the embedder contributes; the product's figures
 * come from `sop-assistant eval`.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { chunkMarkdown } from '../ingestion/chunking/index.js';
import { HashWinkEmbeddings } from '../ingestion/embedders/combined.js';
import { dot } from '../ingestion/embedders/types.js';
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

interface CorpusChunk {
  file: string;
  text: string;
}

/** Every chunk of every document under `dir`, as the pipeline embeds it (heading path, then text). */
async function corpusChunks(dir: string): Promise<CorpusChunk[]> {
  const files = (await readdir(dir, { recursive: true }))
    .filter((f) => /\.(md|txt|html|pdf|docx)$/i.test(f) && !/(^|\/)README\.md$/i.test(f))
    .sort();
  const chunks: CorpusChunk[] = [];
  for (const file of files) {
    const doc = await parseDocument(
      { bytes: await readFile(join(dir, file)), filename: file },
      { maxBytes: 50e6 },
    );
    for (const chunk of chunkMarkdown(doc))
      chunks.push({ file, text: `${chunk.headingPath.join(' › ')}\n\n${chunk.text}` });
  }
  return chunks;
}

const QuestionSchema = z.object({
  question: z.string(),
  expect: z.string(),
  expected_sources: z.array(z.string()),
});

async function denseQuality(
  print: BenchContext['print'],
  embedders: SopEmbeddings[],
  chunks: CorpusChunk[],
  datasetFile: string,
): Promise<void> {
  const questions = (await readFile(datasetFile, 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => QuestionSchema.parse(JSON.parse(l)))
    .filter((q) => q.expect === 'answer' && q.expected_sources.length > 0);
  for (const embedder of embedders) {
    const vectors = await embedder.embedDocuments(chunks.map((c) => c.text));
    let hit1 = 0;
    let hit5 = 0;
    let mrr = 0;
    for (const q of questions) {
      const qv = await embedder.embedQuery(q.question);
      const ranked = vectors
        .map((v, i) => ({ file: chunks[i]!.file, score: dot(qv, v) }))
        .sort((a, b) => b.score - a.score);
      const files: string[] = [];
      for (const r of ranked) {
        if (!files.includes(r.file)) files.push(r.file);
        if (files.length === 10) break;
      }
      const rank = files.findIndex((f) => q.expected_sources.includes(f));
      if (rank === 0) hit1++;
      if (rank >= 0 && rank < 5) hit5++;
      if (rank >= 0) mrr += 1 / (rank + 1);
    }
    const n = questions.length;
    print(
      `  ${embedder.id.padEnd(18)} hit@1 ${(hit1 / n).toFixed(3)}  hit@5 ${(hit5 / n).toFixed(3)}  MRR@10 ${(mrr / n).toFixed(3)}  (${n} questions)`,
    );
  }
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

      const chunks = await corpusChunks(join(root, '../shared/corpus/odoo-docs'));
      const texts = chunks.map((c) => c.text);
      const avg = Math.round(texts.reduce((n, t) => n + t.length, 0) / texts.length);
      print(`corpus: ${texts.length} chunks, ${avg} chars on average`);
      const hash = new HashEmbeddings();
      const wink = new WinkEmbeddings(warm.vectors);
      for (const embedder of [hash, wink, new HashWinkEmbeddings(hash, wink)])
        await measure(print, embedder, texts);

      const hash1024 = new HashEmbeddings({ dimensions: 1024 });
      const candidates = [
        hash,
        hash1024,
        wink,
        new HashWinkEmbeddings(hash, wink, 0.5),
        new HashWinkEmbeddings(hash, wink),
        new HashWinkEmbeddings(hash1024, wink),
      ];
      print('dense-only retrieval, odoo-docs corpus (evals/datasets/odoo-docs.jsonl):');
      await denseQuality(print, candidates, chunks, join(root, 'evals/datasets/odoo-docs.jsonl'));
      print('dense-only retrieval, demo hospital (evals/datasets/demo-hospital.jsonl):');
      const demo = await corpusChunks(join(root, 'data/demo-hospital'));
      await denseQuality(print, candidates, demo, join(root, 'evals/datasets/demo-hospital.jsonl'));
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  },
};
