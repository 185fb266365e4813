import 'server-only';
import { sql, type Kysely } from 'kysely';
import { DetourError } from '../errors';
import { toStoredTimestamp, type StoreDatabase } from './schema';
import type { JtiStore } from './types';

/** A used jti is kept this long past its token's expiry, well beyond any clock skew (rule 3). */
export const JTI_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Pruning piggybacks on claims, at most this often per process. */
export const JTI_PRUNE_INTERVAL_MS = 60 * 1000;

export interface SqlJtiStoreOptions {
  /** Injected so tests can move the clock; defaults to the system clock. */
  now?: () => Date;
  /** Called once by `close()`; the backend decides what closing means. */
  close: () => Promise<void>;
}

export function jtiStoreUnavailable(cause: unknown): DetourError {
  return new DetourError('store_unavailable', 503, 'We could not check this sign-in link just now. Please try again shortly.', {
    cause,
  });
}

/**
 * A JtiStore over any Kysely dialect whose schema comes from migrations.ts. The claim is one
 * `INSERT … ON CONFLICT DO NOTHING`: the primary key on (iss, jti) decides the winner inside the
 * database, so there is no read-then-write window between processes or instances.
 */
export function createSqlJtiStore(db: Kysely<StoreDatabase>, options: SqlJtiStoreOptions): JtiStore {
  const now = options.now ?? (() => new Date());
  let lastPrunedAt = Number.NEGATIVE_INFINITY;

  async function pruneIfDue(at: Date): Promise<void> {
    if (at.getTime() - lastPrunedAt < JTI_PRUNE_INTERVAL_MS) return;
    const retainedSince = new Date(at.getTime() - JTI_RETENTION_MS);
    await db.deleteFrom('used_jtis').where('expires_at', '<', toStoredTimestamp(retainedSince)).execute();
    lastPrunedAt = at.getTime();
  }

  return {
    async claimJti({ iss, jti, expiresAt }) {
      const expiresAtText = toStoredTimestamp(expiresAt);
      try {
        const at = now();
        // Pruning first: if the store is failing, we refuse before the jti is burned.
        await pruneIfDue(at);
        const result = await db
          .insertInto('used_jtis')
          .values({ iss, jti, expires_at: expiresAtText, claimed_at: toStoredTimestamp(at) })
          .onConflict((oc) => oc.columns(['iss', 'jti']).doNothing())
          .executeTakeFirst();
        return result.numInsertedOrUpdatedRows === 1n;
      } catch (cause) {
        throw jtiStoreUnavailable(cause);
      }
    },

    async ping() {
      try {
        await db.selectFrom('used_jtis').select(sql<number>`1`.as('one')).limit(1).execute();
      } catch (cause) {
        throw jtiStoreUnavailable(cause);
      }
    },

    close: options.close,
  };
}
