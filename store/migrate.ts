/**
 * Versioned SQL migrations: `store/migrations/NNN_name.sql`, applied in order at open, each in its own
 * transaction together with its row in `schema_migrations`, so a crash never leaves one half-applied. On a server
 * the whole run holds a session advisory lock, so two processes starting at once apply each migration exactly once
 * (the second waits, then finds nothing to do). PGlite is single-process, so it needs no lock.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Arbitrary constant shared by every sop-assistant process: "the migration lock". */
const MIGRATION_LOCK_KEY = 4_242_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export async function loadMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_[\w-]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const match = /^(\d+)_([\w-]+)\.sql$/.exec(file);
      if (!match?.[1] || !match[2]) throw new Error(`Bad migration file name: ${file}`);
      return { version: Number(match[1]), name: match[2], sql: await readFile(`${dir}${file}`, 'utf8') };
    }),
  );
}

/** Applies pending migrations; returns the versions it applied (empty when the schema was current). */
export async function migrate(
  db: Db,
  options: { advisoryLock: boolean; migrations?: Migration[] },
): Promise<number[]> {
  const migrations = options.migrations ?? (await loadMigrations());
  if (options.advisoryLock) await db.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version int PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => Number(r.version)));
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await db.transaction(async (tx) => {
        await tx.exec(migration.sql);
        await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
      });
      done.push(migration.version);
    }
    return done;
  } finally {
    if (options.advisoryLock) await db.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}
