import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../app/logger.js';
import {
  IndexMismatchError,
  bindIndex,
  getIndexBinding,
  hasVectorIndex,
  listDocuments,
  openStore,
  type Store,
} from '../store/index.js';
import { parseAccessFile } from './access.js';
import { type DocumentEmbedder } from './index-document.js';
import { runIngest } from './pipeline.js';
import { runReindex } from './pipeline-reindex.js';
import { FolderSource } from './sources/folder.js';

/** Deterministic fake of our embedder port: letter-frequency vectors of a chosen size, counting calls. */
function letterEmbedder(id: string, dimensions: number): DocumentEmbedder & { texts: string[] } {
  const texts: string[] = [];
  return {
    id,
    dimensions,
    texts,
    async embedDocuments(batch) {
      texts.push(...batch);
      return batch.map((text) => {
        const v = new Array<number>(dimensions).fill(0.001);
        for (const ch of text.toLowerCase()) v[ch.charCodeAt(0) % dimensions]! += 1;
        const norm = Math.hypot(...v);
        return v.map((x) => x / norm);
      });
    },
  };
}

describe('runReindex', () => {
  let dir: string;
  let store: Store;
  const logger = silentLogger();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sop-reindex-'));
    await writeFile(
      join(dir, 'receipts.md'),
      '# Receipts\n\n## Steps\n1. Open the receipt.\n2. Validate it.\n',
    );
    await writeFile(join(dir, 'bills.md'), '# Vendor bills\n\nMatch the bill to the purchase order first.\n');
    store = await openStore({ dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('re-embeds stored chunk text with a new embedder without re-parsing, and rebinds the index', async () => {
    const first = letterEmbedder('letters-16', 16);
    const source = new FolderSource({
      root: dir,
      access: parseAccessFile('roles:\n  a: ["**"]\n'),
      maxBytes: 1e6,
    });
    const ingested = await runIngest({ store, embedder: first, source, logger, vectorIndexMinChunks: 1 });
    expect(ingested).toMatchObject({ added: 2, vectorIndexBuilt: true });

    const second = letterEmbedder('letters-24', 24);
    await expect(runIngest({ store, embedder: second, source, logger })).rejects.toBeInstanceOf(
      IndexMismatchError,
    );

    const before = await listDocuments(store.db);
    const report = await runReindex({ store, embedder: second, logger, batchSize: 1 });
    expect(report).toMatchObject({
      from: 'letters-16',
      to: 'letters-24',
      dimensions: 24,
      chunks: ingested.chunks,
      vectorIndexRebuilt: true,
    });
    // Exactly the texts the first embedder saw: stored chunks, same embedding text, nothing re-parsed.
    expect([...second.texts].sort()).toEqual([...first.texts].sort());
    expect(await getIndexBinding(store.db)).toEqual({ embedder: 'letters-24', dimensions: 24 });
    await bindIndex(store.db, second);
    expect(await listDocuments(store.db)).toEqual(before);
    expect(await hasVectorIndex(store.db)).toBe(true);
    expect(
      await runIngest({ store, embedder: second, source, logger, vectorIndexMinChunks: 1 }),
    ).toMatchObject({
      unchanged: 2,
      vectorIndexBuilt: false,
    });
  });
});
