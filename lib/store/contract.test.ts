import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStores } from './postgres';
import { connectRedis, createRedisExpiringValues, createRedisJtiStore, createRedisRateLimiter, waitUntilReady } from './redis';
import { openSqliteStores } from './sqlite';
import type { ExpiringValues, JtiStore, RateLimiter } from './types';

// The store contract (DESIGN rule 3 and the rate limits of rule 8), run against every implementation. Postgres
// and Redis are the machine's own (../shared/services.md); when one is not running these tests fail and say so.
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN = `t${randomUUID().replaceAll('-', '').slice(0, 12)}`;

interface Backend {
  name: string;
  open(): Promise<{ jtiStore: JtiStore; rateLimiter: RateLimiter; expiringValues: ExpiringValues; close(): Promise<void> }>;
}

async function reachable(check: () => Promise<unknown>, what: string): Promise<void> {
  try {
    await check();
  } catch (error) {
    throw new Error(`${what} is not reachable; start it with the command in ../shared/services.md (${String(error)})`);
  }
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    open: () => openSqliteStores(`file:${path.join(mkdtempSync(path.join(os.tmpdir(), 'detour-contract-')), 'store.sqlite')}`),
  },
  {
    name: 'postgres',
    async open() {
      await reachable(async () => {
        const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
        await client.connect();
        await client.end();
      }, `PostgreSQL at ${POSTGRES_URL}`);
      return openPostgresStores(POSTGRES_URL, { schema: `detour_${RUN}` });
    },
  },
  {
    name: 'redis',
    async open() {
      const redis = connectRedis(REDIS_URL);
      await reachable(async () => {
        if (!(await waitUntilReady(redis, 3000))) throw new Error('no answer in 3 s');
      }, `Redis at ${REDIS_URL}`);
      const prefix = `detour-test:${RUN}:`;
      return {
        jtiStore: createRedisJtiStore(redis, { prefix }),
        rateLimiter: createRedisRateLimiter(redis, { prefix }),
        expiringValues: createRedisExpiringValues(redis, { prefix }),
        close: async () => {
          const keys = await redis.keys(`${prefix}*`);
          if (keys.length > 0) await redis.del(...keys);
          redis.disconnect();
        },
      };
    },
  },
];

afterAll(async () => {
  // Drop the Postgres schema this run created.
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect().catch(() => undefined);
  await client.query(`drop schema if exists detour_${RUN} cascade`).catch(() => undefined);
  await client.end().catch(() => undefined);
});

describe.each(backends)('store contract: $name', (backend) => {
  let stores: Awaited<ReturnType<Backend['open']>>;
  beforeAll(async () => {
    stores = await backend.open();
  });
  afterAll(async () => stores?.close());

  const expiresAt = () => new Date(Date.now() + 10 * 60 * 1000);
  const jti = () => `jti-${randomUUID()}`;

  it('claims a jti once; a second claim is refused', async () => {
    const id = jti();
    expect(await stores.jtiStore.claimJti({ iss: 'tenant.example.com', jti: id, expiresAt: expiresAt() })).toBe(true);
    expect(await stores.jtiStore.claimJti({ iss: 'tenant.example.com', jti: id, expiresAt: expiresAt() })).toBe(false);
  });

  it('keys claims on (iss, jti)', async () => {
    const id = jti();
    expect(await stores.jtiStore.claimJti({ iss: 'a.example.com', jti: id, expiresAt: expiresAt() })).toBe(true);
    expect(await stores.jtiStore.claimJti({ iss: 'b.example.com', jti: id, expiresAt: expiresAt() })).toBe(true);
  });

  it('keeps a claim past the token expiry', async () => {
    const id = jti();
    const expired = new Date(Date.now() - 60 * 1000);
    expect(await stores.jtiStore.claimJti({ iss: 'tenant.example.com', jti: id, expiresAt: expired })).toBe(true);
    expect(await stores.jtiStore.claimJti({ iss: 'tenant.example.com', jti: id, expiresAt: expired })).toBe(false);
  });

  it('gives exactly one winner to 20 concurrent claims of one jti', async () => {
    const id = jti();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => stores.jtiStore.claimJti({ iss: 'tenant.example.com', jti: id, expiresAt: expiresAt() })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('gives each jti of a concurrent burst exactly one winner', async () => {
    const ids = Array.from({ length: 10 }, jti);
    const claims = ids.flatMap((id) => Array.from({ length: 4 }, () => id));
    const results = await Promise.all(claims.map((id) => stores.jtiStore.claimJti({ iss: 'tenant.example.com', jti: id, expiresAt: expiresAt() })));
    const winners = claims.filter((_, i) => results[i]);
    expect(winners.sort()).toEqual([...ids].sort());
  });

  it('answers a ping', async () => {
    await expect(stores.jtiStore.ping()).resolves.toBeUndefined();
  });

  it('counts rate-limited attempts per key and refuses past the limit', async () => {
    const key = `flow:${randomUUID()}`;
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await stores.rateLimiter.hit(key, { limit: 3, windowSeconds: 60 }));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.count)).toEqual([1, 2, 3, 4]);
    expect(results[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(results[3]!.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect((await stores.rateLimiter.hit(`other:${randomUUID()}`, { limit: 3, windowSeconds: 60 })).allowed).toBe(true);
  });

  it('counts 20 concurrent attempts exactly', async () => {
    const key = `user:${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => stores.rateLimiter.hit(key, { limit: 5, windowSeconds: 60 })));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('opens a new window once the old one has ended', async () => {
    const key = `window:${randomUUID()}`;
    expect((await stores.rateLimiter.hit(key, { limit: 1, windowSeconds: 1 })).allowed).toBe(true);
    expect((await stores.rateLimiter.hit(key, { limit: 1, windowSeconds: 1 })).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await stores.rateLimiter.hit(key, { limit: 1, windowSeconds: 1 })).allowed).toBe(true);
  });

  it('keeps an expiring value until it expires, the last put winning', async () => {
    const key = `value:${randomUUID()}`;
    expect(await stores.expiringValues.get(key)).toBeNull();
    await stores.expiringValues.put(key, 'first', expiresAt());
    await stores.expiringValues.put(key, 'second', expiresAt());
    expect(await stores.expiringValues.get(key)).toBe('second');
    await stores.expiringValues.put(key, 'gone', new Date(Date.now() + 300));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await stores.expiringValues.get(key)).toBeNull();
    expect(await stores.expiringValues.swap(key, 'gone', 'again')).toBe(false);
    expect(await stores.expiringValues.get(key)).toBeNull();
  });

  it('swaps a value only while it still holds what the caller saw, keeping its expiry', async () => {
    const key = `value:${randomUUID()}`;
    await stores.expiringValues.put(key, 'code-1', new Date(Date.now() + 500));
    expect(await stores.expiringValues.swap(key, 'code-0', 'used')).toBe(false);
    expect(await stores.expiringValues.get(key)).toBe('code-1');
    expect(await stores.expiringValues.swap(key, 'code-1', 'used')).toBe(true);
    expect(await stores.expiringValues.get(key)).toBe('used');
    expect(await stores.expiringValues.swap(key, 'code-1', 'used')).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await stores.expiringValues.get(key)).toBeNull();
  });

  it('lets exactly one of 20 concurrent callers swap the value', async () => {
    const key = `value:${randomUUID()}`;
    await stores.expiringValues.put(key, 'once', expiresAt());
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => stores.expiringValues.swap(key, 'once', `winner-${i}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await stores.expiringValues.get(key)).toBe(`winner-${results.indexOf(true)}`);
  });
});

describe('fail closed when the store is down', () => {
  it('Postgres: an unreachable server refuses claims with store_unavailable', async () => {
    await expect(openPostgresStores('postgres://postgres@127.0.0.1:1/test')).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('Redis: a server that is not there refuses claims and rate limits at once, never allowing', async () => {
    const redis = connectRedis('redis://127.0.0.1:1');
    const jtiStore = createRedisJtiStore(redis);
    const limiter = createRedisRateLimiter(redis);
    await expect(jtiStore.claimJti({ iss: 'x', jti: jti(), expiresAt: new Date() })).rejects.toMatchObject({ code: 'store_unavailable' });
    await expect(limiter.hit('k', { limit: 5, windowSeconds: 60 })).rejects.toMatchObject({ code: 'store_unavailable' });
    const values = createRedisExpiringValues(redis);
    await expect(values.get('k')).rejects.toMatchObject({ code: 'store_unavailable' });
    await expect(values.swap('k', 'v', 'w')).rejects.toMatchObject({ code: 'store_unavailable' });
    redis.disconnect();
  });

  function jti() {
    return `jti-${randomUUID()}`;
  }
});
