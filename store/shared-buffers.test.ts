import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './open.js';
import { sharedBuffersMbFor } from './shared-buffers.js';

const MB = 2 ** 20;
let dir: string;

afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A data directory whose relations add up to `mb` (sparse files: the size is what counts, not the disk used). */
async function pgdataOf(...mbs: number[]): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'sop-buffers-'));
  const base = join(dir, 'pgdata', 'base', '5');
  await mkdir(base, { recursive: true });
  for (const [i, mb] of mbs.entries()) {
    await writeFile(join(base, String(16384 + i)), '');
    await truncate(join(base, String(16384 + i)), mb * MB);
  }
  return join(dir, 'pgdata');
}

describe('sharedBuffersMbFor', () => {
  it("keeps Postgres' 128 MB for a new or small database", async () => {
    expect(await sharedBuffersMbFor(join(tmpdir(), 'sop-no-such-dir'))).toBe(128);
    expect(await sharedBuffersMbFor(await pgdataOf(10, 20))).toBe(128);
  });

  it('grows with the relations on disk, a quarter more in 64 MB steps, up to 1 GB', async () => {
    expect(await sharedBuffersMbFor(await pgdataOf(200, 200))).toBe(512);
    await rm(dir, { recursive: true, force: true });
    expect(await sharedBuffersMbFor(await pgdataOf(1000, 1000))).toBe(1024);
  });

  it('is what the embedded store starts with, unless the caller gives a size', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sop-buffers-'));
    const store = await openStore({ dataDir: dir, sharedBuffersMb: 160 });
    try {
      const r = await store.db.query<{ shared_buffers: string }>('show shared_buffers');
      expect(r.rows[0]?.shared_buffers).toBe('160MB');
    } finally {
      await store.close();
    }
  });
});
