import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isDetourError } from '../errors';
import { tempDatabases } from './fixtures/temp-database';
import { openSqliteStores } from './sqlite';
import { createSqliteJtiStore, JTI_BATCH_LIMIT } from './sqlite-jti-store';
import type { JtiStore, Stores } from './types';

const temp = tempDatabases();
const opened: Stores[] = [];
const rawConnections: Database.Database[] = [];
afterEach(async () => {
  rawConnections.splice(0).forEach((raw) => raw.open && raw.close());
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
afterAll(() => temp.cleanup());

const expiresAt = new Date(Date.now() + 15 * 60_000);
// A statement that fails inside the batch's transaction, as a disk or constraint error would.
const POISON_TRIGGER = `create trigger poison before insert on used_jtis when new.jti = 'poison'
  begin select raise(abort, 'injected failure'); end`;

/** The table as migrations.ts creates it, for stores built here over a bare connection. */
const USED_JTIS = 'create table used_jtis (iss text not null, jti text not null, expires_at text not null, claimed_at text not null, primary key (iss, jti))';

/** A file-backed store as production opens it, and a second connection to the same file to inspect or sabotage. */
async function open(options: Parameters<typeof openSqliteStores>[1] = {}) {
  const path = temp.nextPath();
  const stores = await openSqliteStores(`file:${path}`, options);
  opened.push(stores);
  const raw = new Database(path);
  rawConnections.push(raw);
  return { stores, jtiStore: stores.jtiStore, raw };
}

/** Starts every claim in this turn, so they queue for the same batch (unless the cap splits them). */
function claimAll(jtiStore: JtiStore, jtis: string[]): Promise<(boolean | string)[]> {
  return Promise.all(
    jtis.map((jti) =>
      jtiStore.claimJti({ iss: 'tenant.eu.auth0.com', jti, expiresAt }).catch((error: unknown) => (isDetourError(error) ? error.code : String(error))),
    ),
  );
}

const storedJtis = (raw: Database.Database) => (raw.prepare('select jti from used_jtis order by jti').pluck().all() as string[]);

describe('a batch of claims', () => {
  it.each([
    ['one jti twice', ['a', 'a'], [true, false]],
    ['one jti three times among others', ['a', 'b', 'a', 'c', 'a', 'b'], [true, true, false, true, false, false]],
    ['distinct jtis', ['a', 'b', 'c'], [true, true, true]],
  ])('%s: the first insert of each jti wins', async (_, jtis, expected) => {
    const { jtiStore, raw } = await open();
    expect(await claimAll(jtiStore, jtis)).toEqual(expected);
    expect(storedJtis(raw)).toEqual([...new Set(jtis)].sort());
  });

  it('shares one transaction: a failure anywhere refuses the duplicates with it', async () => {
    const { jtiStore, raw } = await open();
    raw.exec(POISON_TRIGGER);
    expect(await claimAll(jtiStore, ['a', 'a', 'poison'])).toEqual(['store_unavailable', 'store_unavailable', 'store_unavailable']);
    raw.exec('drop trigger poison');
    expect(await claimAll(jtiStore, ['a'])).toEqual([true]);
  });
});

describe('a failing batch rolls back and refuses every claim in it', () => {
  const failures: [string, (raw: Database.Database) => () => void, Parameters<typeof openSqliteStores>[1]][] = [
    [
      'an insert fails first',
      (raw) => (raw.exec(POISON_TRIGGER), () => raw.exec('drop trigger poison')),
      {},
    ],
    [
      'another process holds the write lock past busy_timeout',
      (raw) => (raw.exec('begin immediate'), () => raw.exec('rollback')),
      { busyTimeoutMs: 50 },
    ],
    [
      'the prune fails',
      (raw) => {
        raw.prepare('insert into used_jtis values (?, ?, ?, ?)').run('tenant.eu.auth0.com', 'stale', '2000-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z');
        raw.exec(`create trigger keep before delete on used_jtis begin select raise(abort, 'injected failure'); end`);
        return () => raw.exec('drop trigger keep');
      },
      {},
    ],
  ];

  it.each(failures)('when %s', async (_, sabotage, options) => {
    const { jtiStore, raw } = await open(options);
    const repair = sabotage(raw);
    const jtis = ['a', 'b', 'a', 'poison'];
    expect(await claimAll(jtiStore, jtis)).toEqual(jtis.map(() => 'store_unavailable'));
    repair();
    // Nothing was burned: every jti (but the poison) can still be claimed, once.
    expect(await claimAll(jtiStore, ['a', 'b', 'a'])).toEqual([true, true, false]);
    expect(storedJtis(raw)).toEqual(['a', 'b']);
  });
});

describe('answers only after the commit', () => {
  it('a commit that fails refuses every claim of the batch, nothing stored', async () => {
    // A deferred foreign key is checked at COMMIT, so the inserts succeed and the commit itself fails.
    const sqlite = new Database(':memory:');
    sqlite.pragma('foreign_keys = ON');
    sqlite.exec(`create table issuers (iss text primary key);
      insert into issuers values ('known.example.com');
      ${USED_JTIS.replace('iss text not null', 'iss text not null references issuers (iss) deferrable initially deferred')}`);
    const jtiStore = createSqliteJtiStore(sqlite, { withConnection: async (work) => work(), ping: async () => undefined, close: async () => void sqlite.close() });
    const claim = (iss: string, jti: string) => jtiStore.claimJti({ iss, jti, expiresAt }).catch((error: unknown) => (isDetourError(error) ? error.code : error));
    expect(await Promise.all([claim('known.example.com', 'a'), claim('unknown.example.com', 'b')])).toEqual(['store_unavailable', 'store_unavailable']);
    expect(sqlite.inTransaction).toBe(false);
    expect(await claim('known.example.com', 'a')).toBe(true);
    expect(sqlite.prepare('select jti from used_jtis').pluck().all()).toEqual(['a']);
    await jtiStore.close();
  });
});

describe('the batch cap', () => {
  it.each([
    // Batches of 2: [a b] [poison c] [d]
    [2, ['a', 'b', 'poison', 'c', 'd'], [true, true, 'store_unavailable', 'store_unavailable', true]],
    // Batches of 3: [a b poison] [c d]
    [3, ['a', 'b', 'poison', 'c', 'd'], ['store_unavailable', 'store_unavailable', 'store_unavailable', true, true]],
    // A duplicate in a later batch sees the committed row of an earlier one.
    [2, ['a', 'b', 'a'], [true, true, false]],
  ])('with batches of %i, %j claimed in one turn give %j', async (maxClaimBatch, jtis, expected) => {
    const { jtiStore, raw } = await open({ maxClaimBatch });
    raw.exec(POISON_TRIGGER);
    expect(await claimAll(jtiStore, jtis)).toEqual(expected);
  });

  it(`defaults to ${JTI_BATCH_LIMIT} claims per transaction`, async () => {
    const { jtiStore, raw } = await open();
    raw.exec(POISON_TRIGGER);
    const jtis = ['poison', ...Array.from({ length: JTI_BATCH_LIMIT + 43 }, (_, i) => `j-${i}`)];
    const outcomes = await claimAll(jtiStore, jtis);
    expect(outcomes.slice(0, JTI_BATCH_LIMIT)).toEqual(Array(JTI_BATCH_LIMIT).fill('store_unavailable'));
    expect(outcomes.slice(JTI_BATCH_LIMIT)).toEqual(Array(44).fill(true));
  });
});

describe('closing', () => {
  it.each([
    ['the bundle', (stores: Stores) => stores.close()],
    ['its jtiStore', (stores: Stores) => stores.jtiStore.close()],
  ])('closing %s settles queued claims first, then refuses new ones', async (_, close) => {
    const { stores, raw } = await open({ maxClaimBatch: 2 });
    const queued = claimAll(stores.jtiStore, ['a', 'b', 'a', 'c', 'd']);
    await close(stores);
    expect(await queued).toEqual([true, true, false, true, true]);
    expect(storedJtis(raw)).toEqual(['a', 'b', 'c', 'd']);
    expect(await claimAll(stores.jtiStore, ['e'])).toEqual(['store_unavailable']);
    await expect(stores.ping()).rejects.toMatchObject({ code: 'store_unavailable' });
    await close(stores); // closing again is harmless
  });

  it.each([
    ['the connection was closed underneath', (sqlite: Database.Database) => ({ withConnection: async (work: () => void) => work(), before: () => sqlite.close() })],
    ['the connection cannot be had', () => ({ withConnection: () => Promise.reject(new Error('driver destroyed')), before: () => undefined })],
  ])('when %s, queued claims are refused and close does not hang', async (_, setup) => {
    const sqlite = new Database(':memory:');
    sqlite.exec(USED_JTIS);
    const { withConnection, before } = setup(sqlite);
    let closed = 0;
    const jtiStore = createSqliteJtiStore(sqlite, {
      maxBatch: 2,
      withConnection,
      ping: async () => undefined,
      close: async () => void closed++,
    });
    before();
    const queued = claimAll(jtiStore, ['a', 'b', 'c']);
    await jtiStore.close();
    expect(await queued).toEqual(['store_unavailable', 'store_unavailable', 'store_unavailable']);
    expect(closed).toBe(1);
    if (sqlite.open) sqlite.close();
  });
});
