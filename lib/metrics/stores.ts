import 'server-only';
import type { Stores } from '../store';
import { identifierLabel } from './labels';
import { getMetrics, type DetourMetrics } from './registry';

export interface StoreBackends {
  /** Where used jtis, rate limits and expiring values live: `sqlite`, `postgres` or `redis`. */
  jti: string;
  /** Where the consent ledger lives: `sqlite` or `postgres`. */
  sql: string;
}

/** Which backends a DATABASE_URL / REDIS_URL pair opens (lib/store/index.ts decides the same way). */
export function storeBackends(databaseUrl: string, redisUrl: string | null): StoreBackends {
  const sql = databaseUrl.startsWith('file:') ? 'sqlite' : 'postgres';
  return { sql, jti: redisUrl ? 'redis' : sql };
}

/**
 * The same stores, every method timed: `detour_store_operation_duration_seconds{store, backend, operation, outcome}`.
 * Wraps whatever methods each store has, so a new one is measured without a change here.
 */
export function instrumentStores(stores: Stores, backends: StoreBackends, metrics: DetourMetrics = getMetrics()): Stores {
  return {
    ...stores,
    jtiStore: timed(stores.jtiStore, 'jti', backends.jti, metrics),
    consentLedger: timed(stores.consentLedger, 'consent_ledger', backends.sql, metrics),
    rateLimiter: timed(stores.rateLimiter, 'rate_limiter', backends.jti, metrics),
    expiringValues: timed(stores.expiringValues, 'expiring_values', backends.jti, metrics),
    ping: timedFunction(() => stores.ping(), { store: 'all', backend: 'all', operation: 'ping' }, metrics),
  };
}

function timed<T extends object>(store: T, name: string, backend: string, metrics: DetourMetrics): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'close') return value;
      if (!wrapped.has(property)) {
        wrapped.set(property, timedFunction((...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args), { store: name, backend, operation: identifierLabel(property) }, metrics));
      }
      return wrapped.get(property);
    },
  });
}

function timedFunction<A extends unknown[], R>(
  run: (...args: A) => R,
  labels: { store: string; backend: string; operation: string },
  metrics: DetourMetrics,
): (...args: A) => R {
  return (...args: A): R => {
    const started = performance.now();
    const observe = (outcome: 'ok' | 'error') => metrics.storeOperations.observe({ ...labels, outcome }, (performance.now() - started) / 1000);
    let result: R;
    try {
      result = run(...args);
    } catch (error) {
      observe('error');
      throw error;
    }
    if (result instanceof Promise) {
      result.then(
        () => observe('ok'),
        () => observe('error'),
      );
    } else {
      observe('ok');
    }
    return result;
  };
}
