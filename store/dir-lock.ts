/**
 * PGlite keeps a whole Postgres in one process; two processes on the same data directory would corrupt it (think
 * `serve` running while someone starts `ingest`). A lock file with the owner's pid turns that into a clear error;
 * a lock left by a process that no longer exists is taken over.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { StoreBusyError } from './errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireDirLock(lockPath: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await unlink(lockPath).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new StoreBusyError(
          `The embedded database in ${lockPath.replace(/\/pgdata\.lock$/, '')} is in use by process ${owner}. ` +
            'Stop that process (for example `serve`) or point both at a Postgres server with DATABASE_URL.',
        );
      }
      if (owner === process.pid) {
        throw new StoreBusyError(`The embedded database behind ${lockPath} is already open in this process.`);
      }
      await unlink(lockPath).catch(() => undefined);
    }
  }
  throw new StoreBusyError(`Could not lock ${lockPath}.`);
}
