import 'server-only';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection } from 'kysely';
import { jtiStoreUnavailable } from './jti-store';
import type { StoreDatabase } from './schema';
import { createSqliteJtiStore } from './sqlite-jti-store';
import { openSqlStoresOn } from './sql-stores';
import type { Stores } from './types';

export interface SqliteStoreOptions {
  /** Injected so tests can move the clock; defaults to the system clock. */
  now?: () => Date;
  /** How long a statement waits for another process's write lock before failing closed. */
  busyTimeoutMs?: number;
  /** The most jti claims one transaction carries; JTI_BATCH_LIMIT unless a test wants smaller batches. */
  maxClaimBatch?: number;
}

const MEMORY = ':memory:';

/** `file:<path>` (relative to the working directory), `file:///abs/path`, or `file::memory:`. */
export function sqlitePathFromUrl(url: string): string {
  if (!url.startsWith('file:')) throw new Error('A SQLite DATABASE_URL starts with file:');
  if (url === `file:${MEMORY}`) return MEMORY;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url.slice('file:'.length);
  if (path === '') throw new Error('A SQLite DATABASE_URL names a file: file:./data/detour.sqlite');
  return resolve(path);
}

/**
 * Opens (creating when needed) the SQLite file, migrates it, and serves every store from one
 * connection. Closing either the bundle or its jtiStore closes that shared connection.
 */
export async function openSqliteStores(url: string, options: SqliteStoreOptions = {}): Promise<Stores> {
  const path = sqlitePathFromUrl(url);
  let db: Kysely<StoreDatabase>;
  let sqlite: Database.Database;
  try {
    if (path !== MEMORY) mkdirSync(dirname(path), { recursive: true });
    sqlite = new Database(path);
    // busy_timeout first: WAL and the migration lock below must wait for other processes.
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    sqlite.pragma('journal_mode = WAL');
    // A claim must be on disk before the browser moves on, or a crash could forget it (rule 3).
    sqlite.pragma('synchronous = FULL');
    db = new Kysely<StoreDatabase>({ dialect: new LockingSqliteDialect(sqlite) });
  } catch (cause) {
    throw jtiStoreUnavailable(cause);
  }
  const stores = await openSqlStoresOn(db, { now: options.now });
  // Claims group-commit on the same connection, taking Kysely's lock on it so no batch lands inside another
  // user's transaction; closing settles queued claims before the connection goes (sqlite-jti-store.ts).
  const jtiStore = createSqliteJtiStore(sqlite, {
    now: options.now,
    maxBatch: options.maxClaimBatch,
    withConnection: (work) => db.connection().execute(async () => work()),
    ping: stores.jtiStore.ping,
    close: stores.close,
  });
  return { ...stores, jtiStore, close: jtiStore.close };
}

/**
 * Kysely's SQLite adapter runs migrations outside a transaction and without a lock, which is safe
 * for one process only. SQLite does support transactional DDL, so we declare it, and begin every
 * transaction IMMEDIATE: the write lock is taken up front (waiting busy_timeout), so instances
 * started together on one file migrate one after the other and each sees the other's work.
 */
class LockingSqliteDialect extends SqliteDialect {
  readonly #database: Database.Database;
  constructor(database: Database.Database) {
    super({ database });
    this.#database = database;
  }
  override createAdapter() {
    return new TransactionalDdlSqliteAdapter();
  }
  override createDriver() {
    return new ImmediateTransactionSqliteDriver({ database: this.#database });
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl() {
    return true;
  }
}

class ImmediateTransactionSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
