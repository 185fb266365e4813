/**
 * `npm run bench:stores` — a benchmark, not a test: used-jti claims per second for each store on this machine,
 * with the p50/p99 latency of one claim, at a fixed concurrency for a fixed duration. Prints a table and writes
 * JSON under bench/results/.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openPostgresStores } from '../lib/store/postgres';
import { connectRedis, createRedisJtiStore } from '../lib/store/redis';
import { openSqliteStores } from '../lib/store/sqlite';
import type { JtiStore } from '../lib/store/types';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `b${randomUUID().replaceAll('-', '').slice(0, 10)}`;

async function measure(name: string, store: JtiStore) {
  const latencies: number[] = [];
  const deadline = performance.now() + DURATION_MS;
  const expiresAt = new Date(Date.now() + 600_000);
  async function worker() {
    while (performance.now() < deadline) {
      const started = performance.now();
      const won = await store.claimJti({ iss: 'bench.example.com', jti: `${run}-${randomUUID()}`, expiresAt });
      latencies.push(performance.now() - started);
      if (!won) throw new Error('a fresh jti was refused');
    }
  }
  const began = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { store: name, claims: latencies.length, claims_per_second: Math.round(latencies.length / elapsed), p50_ms: +pick(0.5).toFixed(3), p99_ms: +pick(0.99).toFixed(3) };
}

const results = [];
const sqlite = await openSqliteStores(`file:${path.join(mkdtempSync(path.join(os.tmpdir(), 'detour-bench-')), 'bench.sqlite')}`);
results.push(await measure('sqlite (file, WAL, synchronous=FULL)', sqlite.jtiStore));
await sqlite.close();
const postgres = await openPostgresStores(POSTGRES_URL, { schema: `detour_${run}` });
results.push(await measure('postgres (pool of 10)', postgres.jtiStore));
await postgres.close();
const redis = connectRedis(REDIS_URL);
await new Promise((resolve) => redis.once('ready', resolve));
results.push(await measure('redis (SET NX EXAT)', createRedisJtiStore(redis, { prefix: `detour-bench:${run}:` })));
const keys = await redis.keys(`detour-bench:${run}:*`);
for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
redis.disconnect();
const pgClean = await import('pg');
const client = new pgClean.default.Client({ connectionString: POSTGRES_URL });
await client.connect();
await client.query(`drop schema if exists detour_${run} cascade`);
await client.end();

console.log(`\nused-jti claims, ${CONCURRENCY} concurrent, ${DURATION_MS / 1000} s each (${os.cpus().length} cores)\n`);
console.table(results);
mkdirSync('bench/results', { recursive: true });
const file = path.join('bench/results', `stores-${new Date().toISOString().replaceAll(':', '-')}.json`);
writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), concurrency: CONCURRENCY, duration_ms: DURATION_MS, results }, null, 2));
console.log(`written ${file}`);
