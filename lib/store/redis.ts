import 'server-only';
import { Redis } from 'ioredis';
import { jtiStoreUnavailable, JTI_RETENTION_MS } from './jti-store';
import { assertExpiringKey, expiringValuesUnavailable } from './expiring-values';
import { rateLimiterUnavailable } from './rate-limiter';
import type { ExpiringValues, JtiStore, RateLimiter } from './types';

export interface RedisStoreOptions {
  now?: () => Date;
  /** Key prefix, so several deployments (or test runs) can share one Redis. */
  prefix?: string;
  /** How long one command may take before the store counts as down. */
  commandTimeoutMs?: number;
}

/**
 * A Redis connection that fails fast: no offline queue and no retried commands, so while Redis is down every
 * call rejects at once (and the flow is refused), and nothing waits to be replayed later. It reconnects by itself.
 */
export function connectRedis(url: string, options: RedisStoreOptions = {}): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Connection errors surface through the failing commands; without a listener ioredis would log each one.
  redis.on('error', () => undefined);
  return redis;
}

/**
 * Gives a new connection a moment to come up, so the first requests after start-up are not refused for nothing.
 * Never throws: while Redis is down, each command fails closed on its own and the connection keeps retrying.
 */
export async function waitUntilReady(redis: Redis, timeoutMs = 2_000): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    function onReady() {
      clearTimeout(timer);
      resolve(true);
    }
    redis.once('ready', onReady);
  });
}

/** Used jtis in Redis: `SET key 1 NX EXAT <exp + retention>`; only the first SET of a key succeeds. */
export function createRedisJtiStore(redis: Redis, options: RedisStoreOptions = {}): JtiStore {
  const prefix = options.prefix ?? 'detour:';
  return {
    async claimJti({ iss, jti, expiresAt }) {
      const keptUntil = Math.ceil((expiresAt.getTime() + JTI_RETENTION_MS) / 1000);
      try {
        const result = await redis.set(`${prefix}jti:${Buffer.from(iss).toString('base64url')}:${jti}`, '1', 'EXAT', keptUntil, 'NX');
        return result === 'OK';
      } catch (cause) {
        throw jtiStoreUnavailable(cause);
      }
    },
    async ping() {
      try {
        await redis.ping();
      } catch (cause) {
        throw jtiStoreUnavailable(cause);
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}

// One round trip, atomic: count the hit, start the window's expiry on the first hit, report what is left of it.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

/** Fixed windows in Redis: a counter per key that expires with its window. */
export function createRedisRateLimiter(redis: Redis, options: RedisStoreOptions = {}): RateLimiter {
  const prefix = options.prefix ?? 'detour:';
  return {
    async hit(key, { limit, windowSeconds }) {
      if (key === '' || !Number.isInteger(limit) || limit < 1 || !Number.isInteger(windowSeconds) || windowSeconds < 1) {
        throw new TypeError('A rate limit needs a key, a whole limit of at least 1 and a window of at least 1 second.');
      }
      let reply: [number, number];
      try {
        reply = (await redis.eval(HIT_SCRIPT, 1, `${prefix}rate:${key}`, String(windowSeconds * 1000))) as [number, number];
      } catch (cause) {
        throw rateLimiterUnavailable(cause);
      }
      const [count, ttlMs] = reply;
      return { allowed: count <= limit, count, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
    },
  };
}

// Compare and set in one step (keeping the key's expiry), so of racing callers exactly one sees 1.
const SWAP_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') return 1 end
return 0
`;

/** Expiring values in Redis: `SET key value PXAT <expiry>`; Redis forgets them when they expire. */
export function createRedisExpiringValues(redis: Redis, options: RedisStoreOptions = {}): ExpiringValues {
  const prefix = options.prefix ?? 'detour:';
  const keyOf = (key: string) => `${prefix}value:${key}`;
  async function run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (cause) {
      throw expiringValuesUnavailable(cause);
    }
  }
  return {
    async put(key, value, expiresAt) {
      assertExpiringKey(key);
      const at = expiresAt.getTime();
      if (!Number.isFinite(at)) throw new TypeError('An expiring value needs a valid expiry.');
      // A time already past is accepted: the key is gone at once, as in SQL.
      await run(() => redis.set(keyOf(key), value, 'PXAT', Math.max(1, Math.ceil(at))));
    },
    async get(key) {
      assertExpiringKey(key);
      return run(() => redis.get(keyOf(key)));
    },
    async swap(key, expected, next) {
      assertExpiringKey(key);
      const swapped = await run(() => redis.eval(SWAP_SCRIPT, 1, keyOf(key), expected, next));
      return Number(swapped) === 1;
    },
  };
}
