import 'server-only';
import type { Kysely } from 'kysely';
import { DetourError } from '../errors';
import { toStoredTimestamp, type StoreDatabase } from './schema';
import type { ExpiringValues } from './types';

/** Expired values are pruned, piggybacking on writes, at most this often per process. */
export const EXPIRING_VALUES_PRUNE_INTERVAL_MS = 60 * 1000;

export function expiringValuesUnavailable(cause: unknown): DetourError {
  return new DetourError('store_unavailable', 503, 'We could not reach our records just now. Please try again shortly.', { cause });
}

export function assertExpiringKey(key: string): void {
  if (key === '' || key.length > 256) throw new TypeError('An expiring value needs a key of 1 to 256 characters.');
}

/**
 * ExpiringValues over any Kysely dialect whose schema comes from migrations.ts. `swap` is one
 * `UPDATE … WHERE key AND value AND not expired RETURNING`: the database decides the single winner.
 */
export function createSqlExpiringValues(db: Kysely<StoreDatabase>, options: { now?: () => Date } = {}): ExpiringValues {
  const clock = options.now ?? (() => new Date());
  let lastPrunedAt = Number.NEGATIVE_INFINITY;

  async function pruneIfDue(at: Date): Promise<void> {
    if (at.getTime() - lastPrunedAt < EXPIRING_VALUES_PRUNE_INTERVAL_MS) return;
    await db.deleteFrom('expiring_values').where('expires_at', '<=', toStoredTimestamp(at)).execute();
    lastPrunedAt = at.getTime();
  }

  return {
    async put(key, value, expiresAt) {
      assertExpiringKey(key);
      const expires_at = toStoredTimestamp(expiresAt);
      try {
        await pruneIfDue(clock());
        await db
          .insertInto('expiring_values')
          .values({ key, value, expires_at })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value, expires_at }))
          .execute();
      } catch (cause) {
        throw expiringValuesUnavailable(cause);
      }
    },
    async get(key) {
      assertExpiringKey(key);
      try {
        const row = await db
          .selectFrom('expiring_values')
          .select('value')
          .where('key', '=', key)
          .where('expires_at', '>', toStoredTimestamp(clock()))
          .executeTakeFirst();
        return row?.value ?? null;
      } catch (cause) {
        throw expiringValuesUnavailable(cause);
      }
    },
    async swap(key, expected, next) {
      assertExpiringKey(key);
      try {
        const rows = await db
          .updateTable('expiring_values')
          .set({ value: next })
          .where('key', '=', key)
          .where('value', '=', expected)
          .where('expires_at', '>', toStoredTimestamp(clock()))
          .returning('key')
          .execute();
        return rows.length === 1;
      } catch (cause) {
        throw expiringValuesUnavailable(cause);
      }
    },
  };
}
