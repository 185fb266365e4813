import { mkdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDatabases } from './fixtures/temp-database';
import { JTI_PRUNE_INTERVAL_MS, JTI_RETENTION_MS } from './jti-store';
import { openSqliteStores } from './sqlite';
import type { Stores } from './types';

const temp = tempDatabases();
const opened: Stores[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
afterAll(() => temp.cleanup());

const T0 = new Date('2026-11-01T08:00:00.000Z');
const MINUTE = 60_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

async function open(options: Parameters<typeof openSqliteStores>[1] = {}) {
  const path = temp.nextPath();
  const stores = await openSqliteStores(`file:${path}`, options);
  opened.push(stores);
  return { path, stores, jtiStore: stores.jtiStore };
}

function rowsIn(path: string): { iss: string; jti: string }[] {
  const raw = new Database(path, { readonly: true });
  try {
    return raw.prepare('select iss, jti from used_jtis order by jti').all() as { iss: string; jti: string }[];
  } finally {
    raw.close();
  }
}

describe('claimJti', () => {
  it('is true for the first claim and false after', async () => {
    const { jtiStore } = await open();
    const claim = { iss: 'tenant.eu.auth0.com', jti: 'j-1', expiresAt: at(15 * MINUTE) };
    expect(await jtiStore.claimJti(claim)).toBe(true);
    expect(await jtiStore.claimJti(claim)).toBe(false);
    expect(await jtiStore.claimJti({ ...claim, expiresAt: at(30 * MINUTE) })).toBe(false);
  });

  it('keys on (iss, jti): the same jti from another issuer is a separate claim', async () => {
    const { jtiStore } = await open();
    const expiresAt = at(15 * MINUTE);
    expect(await jtiStore.claimJti({ iss: 'tenant.eu.auth0.com', jti: 'shared', expiresAt })).toBe(true);
    expect(await jtiStore.claimJti({ iss: 'login.example.com', jti: 'shared', expiresAt })).toBe(true);
    expect(await jtiStore.claimJti({ iss: 'login.example.com', jti: 'shared', expiresAt })).toBe(false);
  });

  it('gives exactly one winner among concurrent claims in one process', async () => {
    const { jtiStore } = await open();
    const claims = Array.from({ length: 20 }, () => jtiStore.claimJti({ iss: 'i', jti: 'race', expiresAt: at(MINUTE) }));
    expect((await Promise.all(claims)).filter(Boolean)).toHaveLength(1);
  });

  it('refuses an invalid expiry before touching the store', async () => {
    const { jtiStore, path } = await open();
    await expect(jtiStore.claimJti({ iss: 'i', jti: 'j', expiresAt: new Date(Number.NaN) })).rejects.toThrow(TypeError);
    expect(rowsIn(path)).toEqual([]);
  });
});

describe('pruning', () => {
  it('keeps a row until its retention has passed, then removes it on a later claim', async () => {
    let now = T0;
    const { jtiStore, path } = await open({ now: () => now });
    const expiresAt = at(15 * MINUTE);
    await jtiStore.claimJti({ iss: 'i', jti: 'short', expiresAt });
    await jtiStore.claimJti({ iss: 'i', jti: 'long', expiresAt: at(3 * JTI_RETENTION_MS) });

    // One millisecond before the retention ends: the prune runs but must keep both rows.
    now = new Date(expiresAt.getTime() + JTI_RETENTION_MS - 1);
    await jtiStore.claimJti({ iss: 'i', jti: 'trigger-1', expiresAt: at(JTI_RETENTION_MS + 30 * MINUTE) });
    expect(rowsIn(path).map((r) => r.jti)).toEqual(['long', 'short', 'trigger-1']);
    expect(await jtiStore.claimJti({ iss: 'i', jti: 'short', expiresAt })).toBe(false);

    now = new Date(expiresAt.getTime() + JTI_RETENTION_MS + JTI_PRUNE_INTERVAL_MS);
    await jtiStore.claimJti({ iss: 'i', jti: 'trigger-2', expiresAt: at(2 * JTI_RETENTION_MS) });
    expect(rowsIn(path).map((r) => r.jti)).toEqual(['long', 'trigger-1', 'trigger-2']);
  });

  it('runs at most once per interval', async () => {
    let now = T0;
    const { jtiStore, path } = await open({ now: () => now });
    const fresh = at(JTI_RETENTION_MS);
    // Claimed just after this process's first prune, with its retention already over.
    await jtiStore.claimJti({ iss: 'i', jti: 'stale', expiresAt: at(-JTI_RETENTION_MS - 1) });

    now = at(JTI_PRUNE_INTERVAL_MS - 1);
    await jtiStore.claimJti({ iss: 'i', jti: 'a', expiresAt: fresh });
    expect(rowsIn(path).map((r) => r.jti)).toEqual(['a', 'stale']);

    now = at(JTI_PRUNE_INTERVAL_MS);
    await jtiStore.claimJti({ iss: 'i', jti: 'b', expiresAt: fresh });
    expect(rowsIn(path).map((r) => r.jti)).toEqual(['a', 'b']);
  });
});

describe('failing closed', () => {
  const claim = { iss: 'i', jti: 'j', expiresAt: at(MINUTE) };

  it('rejects with store_unavailable once the store is closed', async () => {
    const { stores, jtiStore } = await open();
    await stores.close();
    await expect(jtiStore.claimJti(claim)).rejects.toMatchObject({ code: 'store_unavailable', status: 503 });
    await expect(jtiStore.ping()).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('rejects with store_unavailable while another process holds the write lock', async () => {
    const { path, jtiStore } = await open({ busyTimeoutMs: 50 });
    const other = new Database(path);
    other.exec('begin immediate');
    try {
      await expect(jtiStore.claimJti(claim)).rejects.toMatchObject({ code: 'store_unavailable' });
    } finally {
      other.exec('rollback');
      other.close();
    }
    // Nothing was burned by the failed attempt.
    expect(await jtiStore.claimJti(claim)).toBe(true);
  });

  it('rejects with store_unavailable when the table has gone', async () => {
    const { path, jtiStore } = await open();
    const other = new Database(path);
    other.exec('drop table used_jtis');
    other.close();
    await expect(jtiStore.claimJti(claim)).rejects.toMatchObject({ code: 'store_unavailable' });
    await expect(jtiStore.ping()).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('refuses to open a path that is a directory', async () => {
    const dir = temp.nextPath();
    mkdirSync(dir, { recursive: true });
    await expect(openSqliteStores(`file:${dir}`)).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('refuses to open a path whose parent is a file', async () => {
    const { path } = await open();
    await expect(openSqliteStores(`file:${path}/nested.sqlite`)).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('pings a healthy store', async () => {
    const { stores } = await open();
    await expect(stores.ping()).resolves.toBeUndefined();
  });
});
