import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDatabases } from './fixtures/temp-database';
import { openSqliteStores, sqlitePathFromUrl } from './sqlite';

const temp = tempDatabases();
afterAll(() => temp.cleanup());

const CHILD = fileURLToPath(new URL('./fixtures/claim-in-child.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const expiresAt = new Date(Date.now() + 15 * 60_000);

type ChildReport = { ready: true } | { claimed: boolean } | { error: string };

/** A real Node process (tsx, and the react-server condition so `server-only` resolves as on the server). */
function startClaimer(databaseUrl: string, jti: string) {
  const child: ChildProcess = fork(CHILD, [databaseUrl, 'tenant.eu.auth0.com', jti, expiresAt.toISOString()], {
    cwd: PROJECT_ROOT,
    execArgv: ['--conditions=react-server', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reports: ChildReport[] = [];
  const waiters: (() => void)[] = [];
  child.on('message', (m) => {
    reports.push(m as ChildReport);
    waiters.splice(0).forEach((w) => w());
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  exited.then(() => waiters.splice(0).forEach((w) => w()));
  let read = 0;
  const next = async (): Promise<ChildReport> => {
    while (reports.length <= read) {
      if (child.exitCode !== null) throw new Error(`claimer exited (${child.exitCode}) without reporting`);
      await new Promise<void>((w) => waiters.push(w));
    }
    return reports[read++]!;
  };
  return { next, go: () => child.send('go'), exited };
}

describe('SQLite across processes', () => {
  it('gives exactly one of 20 simultaneous processes the claim, on a file none had created', async () => {
    const url = `file:${temp.nextPath()}`;
    const claimers = Array.from({ length: 20 }, () => startClaimer(url, 'contested'));
    // Every process opened (and migrated) the same new file before any of them claims.
    expect(await Promise.all(claimers.map((c) => c.next()))).toEqual(claimers.map(() => ({ ready: true })));
    claimers.forEach((c) => c.go());
    const outcomes = await Promise.all(claimers.map((c) => c.next()));
    expect(outcomes.filter((o) => 'claimed' in o && o.claimed)).toHaveLength(1);
    expect(outcomes.filter((o) => 'claimed' in o && !o.claimed)).toHaveLength(19);
    expect(await Promise.all(claimers.map((c) => c.exited))).toEqual(claimers.map(() => 0));
  }, 60_000);

  it('remembers a claim after a restart', async () => {
    const url = `file:${temp.nextPath()}`;
    const before = await openSqliteStores(url);
    expect(await before.jtiStore.claimJti({ iss: 'tenant.eu.auth0.com', jti: 'kept', expiresAt })).toBe(true);
    await before.close();

    const restarted = startClaimer(url, 'kept');
    expect(await restarted.next()).toEqual({ ready: true });
    restarted.go();
    expect(await restarted.next()).toEqual({ claimed: false });
    expect(await restarted.exited).toBe(0);
  }, 30_000);
});

describe('openSqliteStores', () => {
  it('creates the parent directory and uses WAL', async () => {
    const path = temp.nextPath();
    const stores = await openSqliteStores(`file:${path}`);
    try {
      const raw = new Database(path, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      raw.close();
    } finally {
      await stores.close();
    }
  });

  it('serves an in-memory store for tests', async () => {
    const stores = await openSqliteStores('file::memory:');
    const claim = { iss: 'i', jti: 'j', expiresAt };
    expect(await stores.jtiStore.claimJti(claim)).toBe(true);
    expect(await stores.jtiStore.claimJti(claim)).toBe(false);
    await stores.close();
    await stores.close(); // closing twice is harmless
  });
});

describe('sqlitePathFromUrl', () => {
  it.each([
    ['file:./data/detour.sqlite', resolve('data/detour.sqlite')],
    ['file:/var/lib/detour/db.sqlite', '/var/lib/detour/db.sqlite'],
    ['file:///var/lib/detour/db.sqlite', '/var/lib/detour/db.sqlite'],
    ['file::memory:', ':memory:'],
  ])('%s → %s', (url, path) => {
    expect(sqlitePathFromUrl(url)).toBe(path);
  });

  it.each(['file:', 'sqlite:./x.db', './x.db'])('refuses %s', (url) => {
    expect(() => sqlitePathFromUrl(url)).toThrow();
  });
});
