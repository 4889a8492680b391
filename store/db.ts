/**
 * The one small database interface. Two implementations run the same SQL: embedded PGlite (default) and a `pg`
 * pool when DATABASE_URL is set. Repositories take a `Db` and never know which one they got.
 */
export interface QueryResult<T> {
  rows: T[];
  affectedRows?: number;
}

export interface Db {
  readonly kind: 'pglite' | 'pg';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs several statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction; a throw rolls everything back. Nested calls reuse the outer transaction. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
