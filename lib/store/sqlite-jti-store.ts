import 'server-only';
import type Database from 'better-sqlite3';
import { JTI_PRUNE_INTERVAL_MS, JTI_RETENTION_MS, jtiStoreUnavailable } from './jti-store';
import { toStoredTimestamp } from './schema';
import type { JtiStore } from './types';

/** Claims beyond this many wait for the next batch, so one event-loop turn cannot build an unbounded transaction. */
export const JTI_BATCH_LIMIT = 256;

export interface SqliteJtiStoreOptions {
  /** Injected so tests can move the clock; defaults to the system clock. */
  now?: () => Date;
  /** The most claims one transaction carries (JTI_BATCH_LIMIT unless a test wants smaller batches). */
  maxBatch?: number;
  /**
   * Runs `work` while no other user of the shared connection is inside a statement or transaction (Kysely's
   * connection lock in sqlite.ts). Rejects when the connection cannot be had, e.g. once it is destroyed.
   */
  withConnection: (work: () => void) => Promise<void>;
  ping: () => Promise<void>;
  /** Closes the shared connection; called once, after every queued claim has settled. */
  close: () => Promise<void>;
}

interface QueuedClaim {
  iss: string;
  jti: string;
  expiresAt: string;
  resolve: (claimed: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * The used-jti store for the embedded SQLite file, with group commit (DESIGN rule 3).
 *
 * With `synchronous = FULL` every commit waits for an fsync, and one transaction per claim made that fsync the
 * cost of each /start. Claims arriving in one event-loop turn are queued instead, and on the next `setImmediate` one
 * `BEGIN IMMEDIATE` transaction runs an `INSERT … ON CONFLICT DO NOTHING` for each and commits once: one fsync per
 * batch instead of per claim, with the same durability, since no claim is answered before its batch's commit.
 *
 * Each claim wins by its own insert's `changes`, so a jti claimed twice in one batch has one winner (the later
 * insert sees the earlier row in the same transaction), and other processes on the file still queue on the write
 * lock (busy_timeout). Any failure rolls the whole batch back and refuses every claim in it with
 * `store_unavailable`: nothing is burned, and nothing is answered true.
 */
export function createSqliteJtiStore(sqlite: Database.Database, options: SqliteJtiStoreOptions): JtiStore {
  const now = options.now ?? (() => new Date());
  const maxBatch = Math.max(1, Math.trunc(options.maxBatch ?? JTI_BATCH_LIMIT));
  const queue: QueuedClaim[] = [];
  let statements: ReturnType<typeof prepareStatements> | undefined;
  let lastPrunedAt = Number.NEGATIVE_INFINITY;
  let flushScheduled = false;
  // Our own batches run one after another, in arrival order; close() waits on this chain.
  let batches: Promise<void> = Promise.resolve();
  let closing: Promise<void> | undefined;

  function scheduleFlush() {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      batches = batches.then(flushOne);
    });
  }

  async function flushOne(): Promise<void> {
    if (queue.length === 0) return;
    let batch: QueuedClaim[] | undefined;
    try {
      await options.withConnection(() => {
        // Taken only once the connection is ours, so claims that arrived while waiting join this batch.
        batch = queue.splice(0, maxBatch);
        runBatch(batch);
      });
    } catch (cause) {
      // No connection, so nothing ran: refuse the claims that would have gone in. (Settled claims ignore this.)
      refuse(batch ?? queue.splice(0, maxBatch), cause);
    }
    if (queue.length > 0) scheduleFlush();
  }

  function runBatch(batch: QueuedClaim[]) {
    if (batch.length === 0) return;
    const claimed: boolean[] = [];
    let prunedAt: number | undefined;
    let began = false;
    try {
      const at = now();
      const claimedAt = toStoredTimestamp(at);
      statements ??= prepareStatements(sqlite);
      statements.begin.run();
      began = true;
      // Pruning inside the batch's transaction: a failing prune refuses the batch before any jti is burned.
      if (at.getTime() - lastPrunedAt >= JTI_PRUNE_INTERVAL_MS) {
        statements.prune.run(toStoredTimestamp(new Date(at.getTime() - JTI_RETENTION_MS)));
        prunedAt = at.getTime();
      }
      for (const claim of batch) claimed.push(statements.insert.run(claim.iss, claim.jti, claim.expiresAt, claimedAt).changes === 1);
      statements.commit.run();
    } catch (cause) {
      // Some errors (I/O, full disk) have already rolled back; the others leave our transaction open. A failed
      // BEGIN opened none, and whatever transaction is open then is not ours to end.
      if (began && sqlite.inTransaction) {
        try {
          statements?.rollback.run();
        } catch {
          // The connection is unusable; its transaction ends with it and nothing was committed.
        }
      }
      refuse(batch, cause);
      return;
    }
    if (prunedAt !== undefined) lastPrunedAt = prunedAt;
    batch.forEach((claim, i) => claim.resolve(claimed[i] === true));
  }

  return {
    async claimJti({ iss, jti, expiresAt }) {
      // Outside the queue: an invalid expiry is the caller's bug (TypeError), not a store failure.
      const expiresAtText = toStoredTimestamp(expiresAt);
      if (closing) throw jtiStoreUnavailable(new Error('The jti store is closed.'));
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ iss, jti, expiresAt: expiresAtText, resolve, reject });
        scheduleFlush();
      });
    },

    ping: options.ping,

    close() {
      closing ??= (async () => {
        // Claims already queued are run now rather than left waiting on a connection about to close.
        while (queue.length > 0) {
          batches = batches.then(flushOne);
          await batches;
        }
        await batches;
        await options.close();
      })();
      return closing;
    },
  };
}

function refuse(batch: QueuedClaim[], cause: unknown) {
  for (const claim of batch) claim.reject(jtiStoreUnavailable(cause));
}

/** Prepared once and reused by every batch; SQLite re-prepares them itself if the schema changes. */
function prepareStatements(sqlite: Database.Database) {
  return {
    begin: sqlite.prepare('begin immediate'),
    commit: sqlite.prepare('commit'),
    rollback: sqlite.prepare('rollback'),
    prune: sqlite.prepare('delete from used_jtis where expires_at < ?'),
    insert: sqlite.prepare(
      'insert into used_jtis (iss, jti, expires_at, claimed_at) values (?, ?, ?, ?) on conflict (iss, jti) do nothing',
    ),
  };
}
