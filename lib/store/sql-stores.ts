import 'server-only';
import type { Kysely } from 'kysely';
import { createSqlConsentLedger } from './consent-ledger';
import { createSqlExpiringValues } from './expiring-values';
import { createSqlJtiStore, jtiStoreUnavailable } from './jti-store';
import { migrateToLatest } from './migrations';
import { createSqlRateLimiter } from './rate-limiter';
import type { StoreDatabase } from './schema';
import type { Stores } from './types';

/**
 * Migrates a freshly opened SQL database and serves every store from it; any dialect (SQLite, Postgres). A failed
 * migration closes the connection and fails closed with `store_unavailable`.
 */
export async function openSqlStoresOn(
  db: Kysely<StoreDatabase>,
  options: { now?: () => Date; beforeMigrate?: () => Promise<unknown> } = {},
): Promise<Stores> {
  try {
    await options.beforeMigrate?.();
    await migrateToLatest(db as Kysely<unknown>);
  } catch (cause) {
    await db.destroy().catch(() => undefined);
    throw jtiStoreUnavailable(cause);
  }
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= db.destroy());
  const jtiStore = createSqlJtiStore(db, { now: options.now, close });
  return {
    jtiStore,
    consentLedger: createSqlConsentLedger(db),
    rateLimiter: createSqlRateLimiter(db, { now: options.now }),
    expiringValues: createSqlExpiringValues(db, { now: options.now }),
    ping: () => jtiStore.ping(),
    close,
  };
}
