import 'server-only';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { StoreDatabase } from './schema';
import { openSqlStoresOn } from './sql-stores';
import type { Stores } from './types';

export interface PostgresStoreOptions {
  now?: () => Date;
  /** A schema to use instead of `public` (tests give each run its own); created when missing. */
  schema?: string;
  /** Connections per instance. */
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The same SQL stores as SQLite (migrations.ts, jti-store.ts, consent-ledger.ts, rate-limiter.ts) on a pool of
 * Postgres connections shared by every Detour instance. Kysely's migrator takes an advisory lock, so instances
 * that start together migrate once. Queries time out rather than hang, so a stalled database fails closed.
 */
export async function openPostgresStores(url: string, options: PostgresStoreOptions = {}): Promise<Stores> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) throw new TypeError('not a schema name');
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 2_000,
    query_timeout: 2_000,
    statement_timeout: 2_000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client that loses its server emits 'error'; the next query fails closed instead of crashing the process.
  pool.on('error', () => undefined);
  const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
  return openSqlStoresOn(db, {
    now: options.now,
    beforeMigrate: options.schema ? () => pool.query(`create schema if not exists ${options.schema}`) : undefined,
  });
}
