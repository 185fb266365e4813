import 'server-only';
import { openPostgresStores } from './postgres';
import { connectRedis, createRedisExpiringValues, createRedisJtiStore, createRedisRateLimiter, waitUntilReady } from './redis';
import { openSqliteStores } from './sqlite';
import type { Stores } from './types';

export type { ConsentLedger, ConsentRow, ExpiringValues, JtiStore, RateLimiter, RateLimitResult, Stores } from './types';

/** docs/design.md, Configuration: DATABASE_URL defaults to an embedded SQLite file under ./data/. */
export function defaultDatabaseUrl(): string {
  return 'file:./data/detour.sqlite';
}

/**
 * Opens the stores DATABASE_URL names (SQLite `file:` or `postgres://`) and brings their schema up to date. With
 * REDIS_URL, used jtis, rate limits and expiring values move to Redis, shared by every instance; the consent ledger stays in SQL.
 */
export async function openStores(databaseUrl: string, options: { redisUrl?: string | null } = {}): Promise<Stores> {
  const sql = await openSqlStores(databaseUrl);
  if (!options.redisUrl) return sql;
  const redis = connectRedis(options.redisUrl);
  await waitUntilReady(redis);
  const jtiStore = createRedisJtiStore(redis);
  return {
    jtiStore,
    consentLedger: sql.consentLedger,
    rateLimiter: createRedisRateLimiter(redis),
    expiringValues: createRedisExpiringValues(redis),
    ping: async () => {
      await Promise.all([sql.ping(), jtiStore.ping()]);
    },
    close: async () => {
      await jtiStore.close();
      await sql.close();
    },
  };
}

function openSqlStores(databaseUrl: string): Promise<Stores> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(databaseUrl)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'file':
      return openSqliteStores(databaseUrl);
    case 'postgres':
    case 'postgresql':
      return openPostgresStores(databaseUrl);
    default:
      // Never echo the URL itself: a database URL can carry a password.
      throw new Error('DATABASE_URL must start with file: (SQLite) or postgres:// (Postgres).');
  }
}
