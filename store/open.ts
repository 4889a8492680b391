/**
 * Opens the store: a `pg` pool when a DATABASE_URL is given, otherwise embedded PGlite in `<dataDir>/pgdata`.
 * Migrations run before anything else can query, and both paths return numbers for int8 and `number[]` for vectors.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Db } from './db.js';
import { migrate } from './migrate.js';
import { createPglite, pgliteDb, registerPgliteTypes } from './pglite.js';
import { pgClientDb, pgPoolDb, typeParsers, vectorTypeOid } from './pg.js';
import { acquireDirLock } from './dir-lock.js';
import { sharedBuffersMbFor } from './shared-buffers.js';

export interface StoreOptions {
  /** Data directory for the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  /** `postgres://…`: use that server instead of the embedded database. */
  databaseUrl?: string;
  /** Pool size on the server path. */
  maxConnections?: number;
  /** Embedded path: PGlite's buffer pool in MB; by default sized to the database on disk (shared-buffers.ts). */
  sharedBuffersMb?: number;
}

export interface Store {
  readonly db: Db;
  readonly kind: Db['kind'];
  /** Where the data lives, for messages: the data directory or the server (password hidden). */
  readonly location: string;
  close(): Promise<void>;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  return options.databaseUrl
    ? openServerStore(options.databaseUrl, options.maxConnections)
    : openEmbeddedStore(options.dataDir, options.sharedBuffersMb);
}

async function openEmbeddedStore(dataDir: string, sharedBuffersMb?: number): Promise<Store> {
  const inMemory = dataDir.startsWith('memory://');
  const pgDir = inMemory ? dataDir : join(dataDir, 'pgdata');
  const release = inMemory ? async () => undefined : await lockDataDir(dataDir);
  try {
    const instance = await createPglite(pgDir, {
      sharedBuffersMb: sharedBuffersMb ?? (inMemory ? undefined : await sharedBuffersMbFor(pgDir)),
    });
    const db = pgliteDb(instance);
    await migrate(db, { advisoryLock: false });
    await registerPgliteTypes(instance);
    return {
      db,
      kind: 'pglite',
      location: inMemory ? 'in memory' : pgDir,
      close: async () => {
        await db.close();
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  return acquireDirLock(join(dataDir, 'pgdata.lock'));
}

async function openServerStore(databaseUrl: string, maxConnections = 10): Promise<Store> {
  // Migrations run on one dedicated connection holding the advisory lock; the pool is created afterwards so every
  // pooled connection knows the vector type's oid from its first query.
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let oid: number | undefined;
  try {
    await migrate(pgClientDb(client), { advisoryLock: true });
    oid = await vectorTypeOid(client);
  } finally {
    await client.end();
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: maxConnections, types: typeParsers(oid) });
  // An idle client losing its server must not crash the process; the next query reports the problem.
  pool.on('error', () => undefined);
  const db = pgPoolDb(pool);
  return { db, kind: 'pg', location: redactUrl(databaseUrl), close: () => db.close() };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres server';
  }
}
