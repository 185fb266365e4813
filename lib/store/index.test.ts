import { describe, expect, it } from 'vitest';
import { defaultDatabaseUrl, openStores } from './index';

describe('openStores', () => {
  it('opens SQLite for a file: URL', async () => {
    const stores = await openStores('file::memory:');
    expect(await stores.jtiStore.claimJti({ iss: 'i', jti: 'j', expiresAt: new Date(Date.now() + 60_000) })).toBe(true);
    await stores.close();
  });

  it.each(['postgres://detour:secret@db/detour', 'postgresql://db/detour'])('does not yet open %s', async (url) => {
    await expect(openStores(url)).rejects.toThrow('Postgres stores arrive with the several-instances work');
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
