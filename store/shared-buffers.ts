/**
 * How much of the embedded database PGlite keeps in memory (Postgres `shared_buffers`, fixed at start). Postgres'
 * 128 MB default holds a few thousand chunks; past that, every HNSW step and ACL check that misses the buffer pool
 * reads through the WASM file system. Measured on the ask bench at 50 000 chunks (~400 MB of tables and indexes):
 * 128 MB → 512 MB took p50 / p95 from 24.5 / 40.9 to 16.7 / 24.2 ms (49.8 ms instead of 81.9 ms on the harder
 * folder-scoped library); 1 GB gained nothing more. Buffers cost resident memory whether used or not (512 MB adds
 * ~430 MB RSS at start), so the size follows the database: what is on disk plus room to grow, from 128 MB up to 1 GB.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const MIN_SHARED_BUFFERS_MB = 128;
export const MAX_SHARED_BUFFERS_MB = 1024;

/** Bytes of the files below `dir` (0 when it does not exist yet). */
async function sizeOf(dir: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const e of entries) if (e.isFile()) total += (await stat(join(e.parentPath, e.name))).size;
  return total;
}

/** Buffer pool for a PGlite data directory: its relations (`base/`) plus a quarter, in 64 MB steps, within bounds. */
export async function sharedBuffersMbFor(pgDataDir: string): Promise<number> {
  const mb = (await sizeOf(join(pgDataDir, 'base'))) / 2 ** 20;
  const wanted = Math.ceil((mb * 1.25) / 64) * 64;
  return Math.min(MAX_SHARED_BUFFERS_MB, Math.max(MIN_SHARED_BUFFERS_MB, wanted));
}
