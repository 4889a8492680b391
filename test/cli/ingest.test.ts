/**
 * `sop-assistant ingest` end to end, as a user runs it (the package's bin, a real process, the embedded store on
 * disk) on the real odoo-docs corpus: every manifest file indexed, a re-run all unchanged, broken files reported by
 * name while the good ones are indexed, and exit code 3 when nothing can be indexed.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeEmptyDocx, seededBytes } from '../../ingestion/parsers/__fixtures__/make-fixtures.js';
import { listDocuments, openStore } from '../../store/index.js';
import { runCli } from './run-cli.js';

const repo = resolve(import.meta.dirname, '..', '..');
const corpus = resolve(repo, '..', 'shared', 'corpus', 'odoo-docs');

const summarySchema = z.strictObject({
  added: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  removed: z.number(),
  failed: z.number(),
  failures: z.array(z.strictObject({ file: z.string(), reason: z.string() })),
  documents: z.number(),
  chunks: z.number(),
  seconds: z.number(),
});

const cli = (args: string[]) =>
  runCli(args, { cwd: repo, env: { NODE_ENV: 'test', DATABASE_URL: '', EMBEDDINGS_PROVIDER: 'local' } });

async function manifestFiles(): Promise<string[]> {
  const manifest = z
    .array(z.object({ file: z.string() }))
    .parse(JSON.parse(await readFile(join(corpus, 'manifest.json'), 'utf8')));
  return manifest.map((m) => m.file).sort();
}

async function indexedPaths(dataDir: string): Promise<string[]> {
  const store = await openStore({ dataDir });
  try {
    return (await listDocuments(store.db))
      .filter((d) => d.status === 'indexed')
      .map((d) => d.path)
      .sort();
  } finally {
    await store.close();
  }
}

describe('sop-assistant ingest', { timeout: 240_000 }, () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'sop-cli-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('indexes every manifest file of the odoo-docs corpus, then reports all unchanged', async () => {
    const dataDir = join(work, 'data-corpus');
    const args = [
      'ingest',
      '--data-dir',
      dataDir,
      '--folder',
      corpus,
      '--access',
      join(corpus, 'access.yml'),
      '--json',
    ];
    const files = await manifestFiles();

    const first = await cli(args);
    expect(first.code, first.stderr).toBe(0);
    const summary = summarySchema.parse(JSON.parse(first.stdout));
    expect(summary).toMatchObject({
      added: files.length,
      updated: 0,
      removed: 0,
      failed: 0,
      documents: files.length,
    });
    expect(summary.chunks).toBeGreaterThanOrEqual(files.length);
    expect(await indexedPaths(dataDir)).toEqual(files);

    const again = await cli(args);
    expect(again.code).toBe(0);
    expect(summarySchema.parse(JSON.parse(again.stdout))).toMatchObject({
      added: 0,
      updated: 0,
      unchanged: files.length,
      removed: 0,
      failed: 0,
      documents: files.length,
      chunks: summary.chunks,
    });
  });

  it('reports a corrupt PDF, an empty DOCX and random bytes named .docx by name while the rest is indexed', async () => {
    const folder = join(work, 'corpus-with-broken-files');
    await cp(corpus, folder, { recursive: true });
    const pdfHeader = new TextEncoder().encode('%PDF-1.7\n');
    await writeFile(
      join(folder, 'Inventory', 'corrupt.pdf'),
      new Uint8Array([...pdfHeader, ...seededBytes(3000, 7)]),
    );
    await writeFile(join(folder, 'HR', 'empty.docx'), await makeEmptyDocx());
    await writeFile(join(folder, 'Finance', 'random.docx'), seededBytes(4096, 11));
    const files = await manifestFiles();

    const run = await cli(['ingest', '--data-dir', join(work, 'data-broken'), '--folder', folder, '--json']);
    expect(run.code).toBe(0);
    const summary = summarySchema.parse(JSON.parse(run.stdout));
    expect(summary.added).toBe(files.length);
    expect(summary.failed).toBe(3);
    expect(summary.failures.map((f) => f.file).sort()).toEqual([
      'Finance/random.docx',
      'HR/empty.docx',
      'Inventory/corrupt.pdf',
    ]);
    expect(summary.failures.find((f) => f.file === 'HR/empty.docx')?.reason).toBe('empty');
    expect(await indexedPaths(join(work, 'data-broken'))).toEqual(files);
  });

  it('exits 3 with a message when nothing can be indexed', async () => {
    const folder = join(work, 'only-broken');
    await cp(join(corpus, 'access.yml'), join(folder, 'access.yml'));
    await writeFile(join(folder, 'random.docx'), seededBytes(1024, 3));
    const run = await cli(['ingest', '--data-dir', join(work, 'data-empty'), '--folder', folder]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/random\.docx/);
    expect(run.stderr).toMatch(/Nothing could be indexed/);
  });
});
