import { describe, expect, it } from 'vitest';
import { defaultDatabaseUrl, openStores } from './index';

describe('openStores', () => {
  it('opens SQLite for a file: URL', async () => {
    const stores = await openStores('file::memory:');
    expect(await stores.jtiStore.claimJti({ iss: 'i', jti: 'j', expiresAt: new Date(Date.now() + 60_000) })).toBe(true);
    await stores.close();
  });

  it('opens Postgres for a postgres:// URL, and fails closed without echoing its password when unreachable', async () => {
    const attempt = openStores('postgres://detour:hunter2@127.0.0.1:1/detour');
    await expect(attempt).rejects.toMatchObject({ code: 'store_unavailable' });
    await expect(attempt).rejects.not.toThrow('hunter2');
  });

  it('puts used jtis and rate limits in Redis when REDIS_URL is set, the ledger staying in SQL', async () => {
    const stores = await openStores('file::memory:', { redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' });
    try {
      await stores.ping();
      const jti = `index-${Date.now()}-${Math.random()}`;
      expect(await stores.jtiStore.claimJti({ iss: 'i', jti, expiresAt: new Date(Date.now() + 60_000) })).toBe(true);
      expect(await stores.jtiStore.claimJti({ iss: 'i', jti, expiresAt: new Date(Date.now() + 60_000) })).toBe(false);
    } finally {
      await stores.close();
    }
  });

  it('refuses an unknown scheme without echoing the URL', async () => {
    const attempt = openStores('mysql://detour:hunter2@db/detour');
    await expect(attempt).rejects.toThrow('DATABASE_URL must start with file:');
    await expect(attempt).rejects.not.toThrow('hunter2');
  });

  it('defaults to an embedded SQLite file under ./data/', () => {
    expect(defaultDatabaseUrl()).toBe('file:./data/detour.sqlite');
  });
});
