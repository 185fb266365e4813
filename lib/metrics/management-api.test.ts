import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManagementApi, type Auth0Logger } from '../auth0';
import { auth0Errors, startFakeAuth0, type FakeAuth0 } from '../auth0/testing/fake-auth0';
import { observedFetch, observedManagementLogger } from './management-api';
import { createMetrics, type DetourMetrics } from './registry';

const CLIENT_ID = 'detour-m2m';
const CLIENT_SECRET = 'm2m-secret-value';
const USER_ID = 'auth0|abc';

let fake: FakeAuth0;
let metrics: DetourMetrics;
let logged: object[];

beforeEach(async () => {
  fake = await startFakeAuth0({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  fake.users.set(USER_ID, { user_id: USER_ID, email: 'ada@example.com' });
  metrics = createMetrics({ processMetrics: false });
  logged = [];
});

afterEach(async () => {
  await fake.close();
});

const recordingLogger: Auth0Logger = {
  debug: (obj) => void logged.push(obj),
  info: (obj) => void logged.push(obj),
  warn: (obj) => void logged.push(obj),
  error: (obj) => void logged.push(obj),
};

function api() {
  return createManagementApi({
    origin: fake.origin,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    attemptTimeoutMs: 500,
    totalBudgetMs: 2000,
    backoff: { baseMs: 10, maxMs: 20 },
    sleep: async () => undefined,
    fetch: observedFetch(() => globalThis.fetch, metrics),
    logger: observedManagementLogger(recordingLogger, metrics),
  });
}

async function series(metric: { get(): Promise<{ values: { labels: object; value: number; metricName?: string }[] }> }) {
  const { values } = await metric.get();
  return values.filter((v) => !v.metricName || v.metricName.endsWith('_count') || v.metricName.endsWith('_total')).map((v) => ({ ...v.labels, count: v.value }));
}

describe('Management API metrics', () => {
  it('times each HTTP attempt and counts one token request for many writes', async () => {
    const client = api();
    for (let i = 0; i < 3; i++) await client.updateUser(USER_ID, { app_metadata: { n: i } });
    expect(await series(metrics.managementApiTokenRequests)).toEqual([{ count: 1 }]);
    expect(await series(metrics.managementApiRequests)).toEqual(
      expect.arrayContaining([
        { endpoint: 'token', method: 'post', status: '200', count: 1 },
        { endpoint: 'users', method: 'patch', status: '200', count: 3 },
      ]),
    );
    expect(await series(metrics.managementApiCalls)).toEqual([{ op: 'update_user', outcome: 'ok', count: 3 }]);
    expect(await series(metrics.managementApiErrors)).toEqual([]);
  });

  it('counts retried attempts by reason and the call by how it ended, and still logs every line', async () => {
    fake.queue('users', { status: 429, body: auth0Errors.tooManyRequests, headers: { 'x-ratelimit-reset': '0' } }, { status: 500, body: auth0Errors.internal });
    await api().updateUser(USER_ID, { app_metadata: { n: 1 } });
    expect(await series(metrics.managementApiErrors)).toEqual(
      expect.arrayContaining([
        { op: 'update_user', reason: 'rate_limited', count: 1 },
        { op: 'update_user', reason: 'server_error', count: 1 },
      ]),
    );
    expect(await series(metrics.managementApiRequests)).toEqual(
      expect.arrayContaining([
        { endpoint: 'users', method: 'patch', status: '429', count: 1 },
        { endpoint: 'users', method: 'patch', status: '500', count: 1 },
        { endpoint: 'users', method: 'patch', status: '200', count: 1 },
      ]),
    );
    expect(await series(metrics.managementApiCalls)).toEqual([{ op: 'update_user', outcome: 'ok', count: 1 }]);
    expect(logged.filter((line) => (line as { outcome?: string }).outcome === 'retry')).toHaveLength(2);
  });

  it('records a refused call and never puts the user id or token in the exposition', async () => {
    fake.queue('users', { status: 400, body: auth0Errors.badRequest('Payload validation error') });
    await expect(api().updateUser(USER_ID, { app_metadata: { n: 1 } })).rejects.toThrow();
    expect(await series(metrics.managementApiCalls)).toEqual([{ op: 'update_user', outcome: 'refused', count: 1 }]);
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('abc');
    for (const token of fake.issuedTokens) expect(text).not.toContain(token);
  });

  it('labels a request that never got an answer as network_error', async () => {
    const failing = observedFetch(() => async () => Promise.reject(new TypeError('fetch failed')), metrics);
    await expect(failing('http://127.0.0.1:9/oauth/token', { method: 'POST' })).rejects.toThrow('fetch failed');
    expect(await series(metrics.managementApiRequests)).toEqual([{ endpoint: 'token', method: 'post', status: 'network_error', count: 1 }]);
  });
});
