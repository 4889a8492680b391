/**
 * `npm run bench [-- NAME…]`: runs every `bench/*.bench.ts` (or only the named ones) one after another and prints
 * their figures. Benchmarks print; they never assert on time — the numbers go into issues and the README.
 * Each module exports `benchmark: Benchmark` (see `bench/types.ts`); add a file to add a benchmark.
 */
import { readdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Benchmark } from './types.js';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const root = join(benchDir, '..');

async function loadBenchmarks(): Promise<Benchmark[]> {
  const files = (await readdir(benchDir)).filter((f) => f.endsWith('.bench.ts')).sort();
  const loaded: Benchmark[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(benchDir, file)).href)) as { benchmark?: Benchmark };
    if (module.benchmark) loaded.push(module.benchmark);
    else process.stderr.write(`bench/${file} does not export \`benchmark\` (see bench/types.ts); skipped\n`);
  }
  return loaded;
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const all = await loadBenchmarks();
const unknown = wanted.filter((w) => !all.some((b) => b.name === w));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark(s): ${unknown.join(', ')}; available: ${all.map((b) => b.name).join(', ')}\n`,
  );
  process.exit(2);
}
const selected = wanted.length > 0 ? all.filter((b) => wanted.includes(b.name)) : all;
process.stdout.write(
  `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'})\n`,
);
for (const benchmark of selected) {
  process.stdout.write(`\n## ${benchmark.name} — ${benchmark.description}\n`);
  await benchmark.run({ root, print: (line) => process.stdout.write(`${line}\n`) });
}
