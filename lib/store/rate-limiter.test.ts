import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDatabases } from './fixtures/temp-database';
import { RATE_LIMIT_PRUNE_INTERVAL_MS } from './rate-limiter';
import { openSqliteStores } from './sqlite';
import type { Stores } from './types';

const temp = tempDatabases();
const opened: Stores[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
afterAll(() => temp.cleanup());

const T0 = new Date('2026-11-20T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const LIMIT = { limit: 5, windowSeconds: 60 };

async function open(options: Parameters<typeof openSqliteStores>[1] = {}) {
  const path = temp.nextPath();
  const stores = await openSqliteStores(`file:${path}`, options);
  opened.push(stores);
  return { path, stores, limiter: stores.rateLimiter };
}

function keysIn(path: string): string[] {
  const raw = new Database(path, { readonly: true });
  try {
    return (raw.prepare('select key from rate_limits order by key').all() as { key: string }[]).map((r) => r.key);
  } finally {
    raw.close();
  }
}

describe('rateLimiter.hit', () => {
  it('allows `limit` hits in a window, refuses the next with the seconds left, then opens a new window', async () => {
    const { limiter } = await open();
    for (let i = 1; i <= 5; i++) {
      expect(await limiter.hit('k', { ...LIMIT, now: at(i * 1000) })).toEqual({ allowed: true, count: i, retryAfterSeconds: 60 - i + 1 });
    }
    expect(await limiter.hit('k', { ...LIMIT, now: at(20_500) })).toEqual({ allowed: false, count: 6, retryAfterSeconds: 41 });
    // A refused hit counts but does not push the window's end out.
    expect(await limiter.hit('k', { ...LIMIT, now: at(60_999) })).toEqual({ allowed: false, count: 7, retryAfterSeconds: 1 });
    // The window opened by the first hit (at +1 s) ends at +61 s.
    expect(await limiter.hit('k', { ...LIMIT, now: at(61_000) })).toEqual({ allowed: true, count: 1, retryAfterSeconds: 60 });
  });

  it('counts each key on its own', async () => {
    const { limiter } = await open();
    const one = { limit: 1, windowSeconds: 60, now: T0 };
    expect((await limiter.hit('password:flow:a', one)).allowed).toBe(true);
    expect((await limiter.hit('password:flow:a', one)).allowed).toBe(false);
    expect((await limiter.hit('password:flow:b', one)).allowed).toBe(true);
    expect((await limiter.hit('password:user:a', one)).allowed).toBe(true);
  });

  it('lets exactly `limit` of many concurrent hits through', async () => {
    const { limiter } = await open();
    const results = await Promise.all(Array.from({ length: 20 }, () => limiter.hit('race', { ...LIMIT, now: T0 })));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('shares counts between two connections to the same file (two instances)', async () => {
    const { path, limiter } = await open();
    const other = await openSqliteStores(`file:${path}`);
    opened.push(other);
    const one = { limit: 2, windowSeconds: 60, now: T0 };
    expect((await limiter.hit('shared', one)).allowed).toBe(true);
    expect((await other.rateLimiter.hit('shared', one)).allowed).toBe(true);
    expect(await limiter.hit('shared', one)).toMatchObject({ allowed: false, count: 3 });
  });

  it('keeps the count across a restart', async () => {
    const { path, stores, limiter } = await open();
    await limiter.hit('kept', { limit: 1, windowSeconds: 60, now: T0 });
    await stores.close();
    const restarted = await openSqliteStores(`file:${path}`);
    opened.push(restarted);
    expect(await restarted.rateLimiter.hit('kept', { limit: 1, windowSeconds: 60, now: at(1000) })).toMatchObject({ allowed: false, count: 2 });
  });

  it.each([
    ['an empty key', '', LIMIT],
    ['a limit of 0', 'k', { limit: 0, windowSeconds: 60 }],
    ['a fractional window', 'k', { limit: 5, windowSeconds: 0.5 }],
  ])('refuses %s before touching the store', async (_, key, options) => {
    const { limiter, path } = await open();
    await expect(limiter.hit(key, { ...options, now: T0 })).rejects.toThrow(TypeError);
    expect(keysIn(path)).toEqual([]);
  });
});

describe('pruning', () => {
  it('removes ended windows at most once per interval', async () => {
    let now = T0;
    const { limiter, path } = await open({ now: () => now });
    await limiter.hit('short', { limit: 5, windowSeconds: 1 });
    await limiter.hit('long', { limit: 5, windowSeconds: 3600 });

    now = at(RATE_LIMIT_PRUNE_INTERVAL_MS - 1);
    await limiter.hit('trigger-1', LIMIT);
    expect(keysIn(path)).toEqual(['long', 'short', 'trigger-1']);

    now = at(RATE_LIMIT_PRUNE_INTERVAL_MS);
    await limiter.hit('trigger-2', LIMIT);
    expect(keysIn(path)).toEqual(['long', 'trigger-1', 'trigger-2']);
  });
});

describe('failing closed', () => {
  it('rejects with store_unavailable once the store is closed', async () => {
    const { stores, limiter } = await open();
    await stores.close();
    await expect(limiter.hit('k', LIMIT)).rejects.toMatchObject({ code: 'store_unavailable', status: 503 });
  });

  it('rejects with store_unavailable while another process holds the write lock', async () => {
    const { path, limiter } = await open({ busyTimeoutMs: 50 });
    const other = new Database(path);
    other.exec('begin immediate');
    try {
      await expect(limiter.hit('k', LIMIT)).rejects.toMatchObject({ code: 'store_unavailable' });
    } finally {
      other.exec('rollback');
      other.close();
    }
  });

  it('rejects with store_unavailable when the table has gone', async () => {
    const { path, limiter } = await open();
    const other = new Database(path);
    other.exec('drop table rate_limits');
    other.close();
    await expect(limiter.hit('k', LIMIT)).rejects.toMatchObject({ code: 'store_unavailable' });
  });
});
