import { stat } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { HashWinkEmbeddings } from './combined.js';
import { HashEmbeddings } from './hash.js';
import { createEmbedder } from './index.js';
import { TEST_CACHE_DIR } from './test-cache.js';
import { dot } from './types.js';
import { WinkEmbeddings } from './wink.js';
import { cachePaths, loadWinkVectors, sifWeight, type WinkVectors } from './wink-vectors.js';

let vectors: WinkVectors;

beforeAll(async () => {
  vectors = await loadWinkVectors(TEST_CACHE_DIR);
});

const norm = (v: number[]): number => Math.sqrt(dot(v, v));

describe('wink word-vector cache', () => {
  it('holds the whole vocabulary in frequency order as a compact binary', async () => {
    expect(vectors.dims).toBe(100);
    expect(vectors.rows).toBeGreaterThan(300_000);
    expect(vectors.index.get('the')).toBe(0);
    expect(vectors.index.get('receipt')).toBeLessThan(vectors.index.get('backorder') ?? Infinity);
    const { bin } = cachePaths(TEST_CACHE_DIR);
    // int8 + one scale per row: about a quarter of float32.
    expect((await stat(bin)).size).toBeLessThan(vectors.rows * 100 * 4 * 0.3);
    expect(await loadWinkVectors(TEST_CACHE_DIR)).toBe(vectors);
  });

  it('weights frequent words down (SIF)', () => {
    const rows = vectors.rows;
    expect(sifWeight(vectors.index.get('the')!, rows)).toBeLessThan(0.05);
    expect(sifWeight(vectors.index.get('requisition')!, rows)).toBeGreaterThan(0.9);
  });
});

describe('WinkEmbeddings (SIF)', () => {
  it('is deterministic and unit length; unknown words give the zero vector', async () => {
    const embedder = new WinkEmbeddings(vectors);
    expect(embedder).toMatchObject({ id: 'wink-sif-100', dimensions: 100 });
    const [a, b] = await embedder.embedDocuments(['Count the ward stock', 'Count the ward stock']);
    expect(a).toEqual(b);
    expect(norm(a!)).toBeCloseTo(1, 5);
    expect(norm(await embedder.embedQuery('zzqxv qqxzv'))).toBe(0);
  });

  it('puts paraphrases closer than unrelated requests', async () => {
    const embedder = new WinkEmbeddings(vectors);
    const [receive, receipt, leave, timeOff] = await embedder.embedDocuments([
      'receive goods from vendor',
      'goods receipt from supplier',
      'approve employee leave',
      'request time off for an employee',
    ]);
    expect(dot(receive!, receipt!)).toBeGreaterThan(dot(receive!, leave!));
    expect(dot(leave!, timeOff!)).toBeGreaterThan(dot(leave!, receipt!));
    expect(dot(receive!, receipt!)).toBeGreaterThan(0.6);
  });
});

describe('HashWinkEmbeddings', () => {
  it('concatenates both unit blocks so the similarity is their weighted mean (0.7 hash, 0.3 wink)', async () => {
    const hash = new HashEmbeddings();
    const wink = new WinkEmbeddings(vectors);
    const both = new HashWinkEmbeddings(hash, wink);
    expect(both).toMatchObject({ id: 'hash+wink-612', dimensions: 612 });
    const texts = ['receive goods from vendor', 'goods receipt from supplier'];
    const [a, b] = await both.embedDocuments(texts);
    expect(norm(a!)).toBeCloseTo(1, 5);
    const [ha, hb] = await hash.embedDocuments(texts);
    const [wa, wb] = await wink.embedDocuments(texts);
    expect(dot(a!, b!)).toBeCloseTo(0.7 * dot(ha!, hb!) + 0.3 * dot(wa!, wb!), 5);
    expect(new HashWinkEmbeddings(hash, wink, 0.5).id).toBe('hash+wink-h50-612');
    expect(await both.embedQuery(texts[0]!)).toEqual(a);
  });
});

describe('createEmbedder (local)', () => {
  it('picks the embedder named by LOCAL_EMBEDDER, hash by default', async () => {
    const options = { dataDir: '/nonexistent', cacheDir: TEST_CACHE_DIR };
    expect((await createEmbedder({}, options)).id).toBe('hash-v1-512');
    expect((await createEmbedder({ EMBEDDINGS_PROVIDER: 'local', LOCAL_EMBEDDER: 'wink' }, options)).id).toBe(
      'wink-sif-100',
    );
    const both = await createEmbedder({ EMBEDDINGS_PROVIDER: 'local', LOCAL_EMBEDDER: 'hash+wink' }, options);
    expect(both).toMatchObject({ id: 'hash+wink-612', dimensions: 612 });
    const wide = await createEmbedder({ LOCAL_EMBEDDER: 'hash+wink', HASH_DIMENSIONS: 1024 }, options);
    expect(wide).toMatchObject({ id: 'hash+wink-1124', dimensions: 1124 });
  });

  it('rejects an unknown embedder name', async () => {
    await expect(
      createEmbedder({ LOCAL_EMBEDDER: 'bert' as 'hash' }, { dataDir: '/nonexistent' }),
    ).rejects.toThrow(/LOCAL_EMBEDDER/);
  });
});
