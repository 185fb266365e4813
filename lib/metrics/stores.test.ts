import { describe, expect, it } from 'vitest';
import { DetourError } from '../errors';
import { openSqliteStores } from '../store/sqlite';
import { createMetrics } from './registry';
import { instrumentStores, storeBackends } from './stores';

async function storeSeries(metrics: ReturnType<typeof createMetrics>) {
  const metric = await metrics.storeOperations.get();
  return metric.values.filter((value) => value.metricName?.endsWith('_count')).map((value) => ({ ...value.labels, count: value.value }));
}

describe('instrumentStores', () => {
  it('times each store operation by store, backend, operation and outcome, and keeps what it answers', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const stores = instrumentStores(await openSqliteStores('file::memory:'), storeBackends('file::memory:', null), metrics);
    const claim = { iss: 'tenant.example.com', jti: 'jti-0123456789', expiresAt: new Date(Date.now() + 60_000) };
    expect(await stores.jtiStore.claimJti(claim)).toBe(true);
    expect(await stores.jtiStore.claimJti(claim)).toBe(false);
    await stores.ping();
    expect(await storeSeries(metrics)).toEqual(
      expect.arrayContaining([
        { store: 'jti', backend: 'sqlite', operation: 'claim_jti', outcome: 'ok', count: 2 },
        { store: 'all', backend: 'all', operation: 'ping', outcome: 'ok', count: 1 },
      ]),
    );
    await stores.close();
  });

  it('counts a failing operation as an error and still rejects with the store error', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const opened = await openSqliteStores('file::memory:');
    const stores = instrumentStores(opened, { jti: 'sqlite', sql: 'sqlite' }, metrics);
    await opened.close();
    const failure = await stores.jtiStore.claimJti({ iss: 'tenant.example.com', jti: 'jti-0123456789', expiresAt: new Date() }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DetourError);
    expect(await storeSeries(metrics)).toEqual([{ store: 'jti', backend: 'sqlite', operation: 'claim_jti', outcome: 'error', count: 1 }]);
  });

  it.each([
    ['file:./data/detour.sqlite', null, { sql: 'sqlite', jti: 'sqlite' }],
    ['postgres://db/detour', null, { sql: 'postgres', jti: 'postgres' }],
    ['postgres://db/detour', 'redis://cache:6379', { sql: 'postgres', jti: 'redis' }],
  ])('%s with REDIS_URL %s uses %o', (databaseUrl, redisUrl, backends) => {
    expect(storeBackends(databaseUrl, redisUrl)).toEqual(backends);
  });
});
