import 'server-only';
import { sql, type Kysely } from 'kysely';
import { DetourError } from '../errors';
import { fromStoredTimestamp, toStoredTimestamp, type StoreDatabase } from './schema';
import type { RateLimiter } from './types';

/** Ended windows are pruned, piggybacking on hits, at most this often per process. */
export const RATE_LIMIT_PRUNE_INTERVAL_MS = 60 * 1000;

export interface SqlRateLimiterOptions {
  /** Injected so tests can move the clock; a hit's own `now` wins over it. */
  now?: () => Date;
}

export function rateLimiterUnavailable(cause: unknown): DetourError {
  return new DetourError('store_unavailable', 503, 'We could not check how many attempts were made just now. Please try again shortly.', {
    cause,
  });
}

/**
 * A RateLimiter over any Kysely dialect whose schema comes from migrations.ts: one row per key holding a fixed
 * window. A hit is a single `INSERT … ON CONFLICT DO UPDATE … RETURNING`, so the database counts (no read-then-write
 * window between processes or instances). When the stored window has ended, the same statement opens a new one.
 */
export function createSqlRateLimiter(db: Kysely<StoreDatabase>, options: SqlRateLimiterOptions = {}): RateLimiter {
  const clock = options.now ?? (() => new Date());
  let lastPrunedAt = Number.NEGATIVE_INFINITY;

  async function pruneIfDue(at: Date): Promise<void> {
    if (at.getTime() - lastPrunedAt < RATE_LIMIT_PRUNE_INTERVAL_MS) return;
    await db.deleteFrom('rate_limits').where('window_end', '<', toStoredTimestamp(at)).execute();
    lastPrunedAt = at.getTime();
  }

  return {
    async hit(key, { limit, windowSeconds, now }) {
      if (key === '' || !Number.isInteger(limit) || limit < 1 || !Number.isInteger(windowSeconds) || windowSeconds < 1) {
        throw new TypeError('A rate limit needs a key, a whole limit of at least 1 and a window of at least 1 second.');
      }
      const at = now ?? clock();
      const windowStart = toStoredTimestamp(at);
      const windowEnd = toStoredTimestamp(new Date(at.getTime() + windowSeconds * 1000));
      let row: { hits: number; window_end: string };
      try {
        await pruneIfDue(at);
        // Fixed-width ISO text sorts in time order, so `<=` compares instants (schema.ts).
        const ended = sql<boolean>`rate_limits.window_end <= excluded.window_start`;
        row = await db
          .insertInto('rate_limits')
          .values({ key, window_start: windowStart, window_end: windowEnd, hits: 1 })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet({
              hits: sql<number>`case when ${ended} then 1 else rate_limits.hits + 1 end`,
              window_start: sql<string>`case when ${ended} then excluded.window_start else rate_limits.window_start end`,
              window_end: sql<string>`case when ${ended} then excluded.window_end else rate_limits.window_end end`,
            }),
          )
          .returning(['hits', 'window_end'])
          .executeTakeFirstOrThrow();
      } catch (cause) {
        throw rateLimiterUnavailable(cause);
      }
      const hits = Number(row.hits);
      const remainingMs = fromStoredTimestamp(row.window_end).getTime() - at.getTime();
      return { allowed: hits <= limit, count: hits, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
    },
  };
}
