/**
 * `Db` over embedded PGlite (Postgres compiled to WASM) with the pgvector extension. PGlite is a single
 * connection: it already serialises queries and holds other callers back while a transaction runs, so this adapter
 * only translates. Inside `transaction`, use the `tx` handed to you — calling the outer `db` there waits for the
 * transaction to end, i.e. forever.
 */
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import type { Db, QueryResult } from './db.js';

/**
 * Opens PGlite at `dataDir` (a directory on disk, or `memory://` for a throw-away database), with a buffer pool of
 * `sharedBuffersMb` (Postgres' default, 128 MB, when not given; see shared-buffers.ts).
 */
export async function createPglite(
  dataDir: string,
  options: { sharedBuffersMb?: number } = {},
): Promise<PGlite> {
  const buffers = options.sharedBuffersMb;
  return PGlite.create(dataDir, {
    extensions: { vector },
    ...(buffers ? { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${buffers}MB`] } : {}),
  });
}

type Queryable = Pick<Transaction, 'query' | 'exec'>;

async function run<T>(target: Queryable, sql: string, params?: unknown[]): Promise<QueryResult<T>> {
  const result = await target.query<T>(sql, params);
  return { rows: result.rows, affectedRows: result.affectedRows };
}

function txDb(tx: Transaction): Db {
  const self: Db = {
    kind: 'pglite',
    query: (sql, params) => run(tx, sql, params),
    exec: async (sql) => {
      await tx.exec(sql);
    },
    transaction: (fn) => fn(self),
    close: () => Promise.reject(new Error('close() called inside a transaction')),
  };
  return self;
}

export interface PgliteDbOptions {
  /** Close the PGlite instance with the Db (false when the caller owns it, e.g. a socket server in a test). */
  ownsInstance?: boolean;
}

export function pgliteDb(pg: PGlite, options: PgliteDbOptions = {}): Db {
  return {
    kind: 'pglite',
    query: (sql, params) => run(pg, sql, params),
    exec: async (sql) => {
      await pg.exec(sql);
    },
    transaction: (fn) => pg.transaction((tx) => fn(txDb(tx))),
    close: async () => {
      if (options.ownsInstance !== false && !pg.closed) await pg.close();
    },
  };
}

/**
 * After migrations the `vector` type exists: parse it to `number[]` (as the pgvector package does for `pg`) and
 * int8 to `number` (ids and counts stay far below 2^53), so both implementations return the same shapes.
 */
export async function registerPgliteTypes(pg: PGlite): Promise<void> {
  const { rows } = await pg.query<{ oid: number }>(
    "SELECT oid::int AS oid FROM pg_type WHERE typname = 'vector'",
  );
  const oid = rows[0]?.oid;
  if (oid !== undefined) pg.parsers[oid] = parseVector;
  pg.parsers[20] = (value: string) => Number(value);
}

export function parseVector(value: string): number[] {
  return value
    .slice(1, -1)
    .split(',')
    .map((v) => Number.parseFloat(v));
}
