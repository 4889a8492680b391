/**
 * `Db` over a `pg` Pool (a real Postgres server with pgvector, e.g. the `pgvector/pgvector` image). Transactions
 * check out one client and run BEGIN/COMMIT on it; everything else goes through the pool.
 */
import pg from 'pg';
import type { Db, QueryResult } from './db.js';
import pgvector from 'pgvector';

type Runner = Pick<pg.PoolClient, 'query'> | Pick<pg.Client, 'query'>;

async function run<T>(target: Runner, sql: string, params?: unknown[]): Promise<QueryResult<T>> {
  const result = await target.query(sql, params);
  return { rows: result.rows as T[], affectedRows: result.rowCount ?? undefined };
}

function clientDb(client: pg.PoolClient): Db {
  const self: Db = {
    kind: 'pg',
    query: (sql, params) => run(client, sql, params),
    exec: async (sql) => {
      await client.query(sql);
    },
    transaction: (fn) => fn(self),
    close: () => Promise.reject(new Error('close() called inside a transaction')),
  };
  return self;
}

/**
 * Type parsers for this database: int8 → number (ids and counts stay far below 2^53) and the pgvector `vector`
 * type → number[] (pgvector's own parser; its oid differs per database, so it is looked up after migrations).
 */
export function typeParsers(vectorOid: number | undefined): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) => {
      if (oid === 20) return (value: string) => Number(value);
      if (vectorOid !== undefined && oid === vectorOid)
        return (value: string) => pgvector.fromSql(value) as number[];
      return pg.types.getTypeParser(oid, format as 'text');
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

/** One dedicated connection as a `Db` (migrations hold a session-level advisory lock on it). */
export function pgClientDb(client: pg.Client): Db {
  let inTransaction = false;
  const self: Db = {
    kind: 'pg',
    query: (sql, params) => run(client, sql, params),
    exec: async (sql) => {
      await client.query(sql);
    },
    transaction: async (fn) => {
      if (inTransaction) return fn(self);
      inTransaction = true;
      try {
        await client.query('BEGIN');
        const result = await fn(self);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        inTransaction = false;
      }
    },
    close: () => client.end(),
  };
  return self;
}

export function pgPoolDb(pool: pg.Pool): Db {
  return {
    kind: 'pg',
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(clientDb(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Looks up the oid of the `vector` type (exists once the migrations have created the extension). */
export async function vectorTypeOid(client: Runner): Promise<number | undefined> {
  const { rows } = await client.query<{ oid: number }>(
    "SELECT oid::int AS oid FROM pg_type WHERE typname = 'vector'",
  );
  return rows[0]?.oid;
}
