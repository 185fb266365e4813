import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DetourError } from '../errors';
import { Auth0ApiError, passwordPolicyErrorName } from './api-error';
import { createManagementApi, type ManagementApiOptions } from './management-client';
import { auth0Errors, closedOrigin, startFakeAuth0, type FakeAuth0 } from './testing/fake-auth0';

const CLIENT_ID = 'detour-m2m';
const CLIENT_SECRET = 'm2m-secret-value';
const USER_ID = 'auth0|abc';
// Small numbers keep the suite fast; the production defaults are 4 s per attempt and 10 s per call.
const ATTEMPT_MS = 200;
const BUDGET_MS = 1000;

let fake: FakeAuth0;
let logLines: string[];

beforeEach(async () => {
  fake = await startFakeAuth0({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  fake.users.set(USER_ID, { user_id: USER_ID, email: 'ada@example.com', user_metadata: { color: 'blue' } });
  logLines = [];
});

afterEach(async () => {
  await fake.close();
});

function api(overrides: Partial<ManagementApiOptions> = {}) {
  return createManagementApi({
    origin: fake.origin,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    attemptTimeoutMs: ATTEMPT_MS,
    totalBudgetMs: BUDGET_MS,
    backoff: { baseMs: 20, maxMs: 100 },
    logger: pino({ level: 'debug' }, { write: (line: string) => logLines.push(line) }),
    ...overrides,
  });
}

/** A sleep that records what was asked and returns at once, for waits measured in seconds. */
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

describe('token reuse', () => {
  it('asks for one token across 50 sequential updates', async () => {
    const management = api();
    for (let i = 0; i < 50; i++) await management.updateUser(USER_ID, { user_metadata: { n: i } });
    expect(fake.count('token')).toBe(1);
    expect(fake.count('users', 'PATCH')).toBe(50);
    expect(management.stats()).toEqual({ tokenRequests: 1, writes: 50 });
  });

  it('asks for one token across 20 concurrent updates', async () => {
    const management = api();
    await Promise.all(Array.from({ length: 20 }, (_, i) => management.updateUser(USER_ID, { user_metadata: { n: i } })));
    expect(fake.count('token')).toBe(1);
    expect(management.stats()).toEqual({ tokenRequests: 1, writes: 20 });
  });

  it.each([
    // expires_in, last ms on the first token, first ms on the second: min(60 s, 10 % of the lifetime) early
    [86_400, 86_340_000],
    [3_600, 3_540_000],
    [100, 90_000],
  ])('refreshes a %i s token %i ms after it was issued (injected clock)', async (expiresIn, refreshAt) => {
    await fake.close();
    fake = await startFakeAuth0({ expiresIn });
    fake.users.set(USER_ID, { user_id: USER_ID });
    let clock = Date.parse('2026-03-01T12:00:00Z');
    const start = clock;
    const management = api({ now: () => clock });

    await management.updateUser(USER_ID, { given_name: 'Ada' });
    clock = start + refreshAt - 1;
    await management.updateUser(USER_ID, { given_name: 'Ada' });
    expect(fake.count('token')).toBe(1);

    clock = start + refreshAt;
    await management.updateUser(USER_ID, { given_name: 'Ada' });
    expect(fake.count('token')).toBe(2);
    const patches = fake.requests.filter((r) => r.route === 'users');
    expect(patches.at(-1)?.headers.authorization).toBe('Bearer mgmt-token-2');
  });

  it('gets a new token once when the API answers 401 to the cached one', async () => {
    const management = api();
    await management.updateUser(USER_ID, { given_name: 'Ada' });
    fake.revoke('mgmt-token-1');
    await management.updateUser(USER_ID, { given_name: 'Grace' });
    expect(fake.count('token')).toBe(2);
    expect(fake.users.get(USER_ID)?.given_name).toBe('Grace');
  });
});

describe('what Auth0 receives', () => {
  it('gets the PATCH body and the bearer token exactly as sent', async () => {
    const body = {
      user_metadata: { nickname: 'Zoë', answers: [1, 2] },
      app_metadata: { terms_accepted_version: 'v3', terms_accepted_at: '2026-03-01T12:00:00.000Z' },
    };
    await api().updateUser(USER_ID, body);
    const [patch] = fake.requests.filter((r) => r.route === 'users');
    expect(patch?.method).toBe('PATCH');
    expect(JSON.parse(patch?.body ?? '')).toEqual(body);
    expect(patch?.headers['content-type']).toMatch(/^application\/json/);
    expect(patch?.headers.authorization).toBe(`Bearer ${fake.issuedTokens[0]}`);
    expect(fake.users.get(USER_ID)?.user_metadata).toEqual({ color: 'blue', nickname: 'Zoë', answers: [1, 2] });
  });

  it('URL-encodes the user id', async () => {
    await api().updateUser(USER_ID, { given_name: 'Ada' });
    expect(fake.requests.find((r) => r.route === 'users')?.url).toBe('/api/v2/users/auth0%7Cabc');
  });

  it('asks for the token with client credentials and the /api/v2/ audience of the same origin', async () => {
    await api().updateUser(USER_ID, { given_name: 'Ada' });
    const [tokenRequest] = fake.requests.filter((r) => r.route === 'token');
    expect(tokenRequest?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenRequest?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      audience: `${fake.origin}/api/v2/`,
    });
  });

  it('calls https://<host> for a real tenant domain, token and API alike', async () => {
    await fake.close();
    fake = await startFakeAuth0({ audience: 'https://tenant.eu.auth0.com/api/v2/' });
    fake.users.set(USER_ID, { user_id: USER_ID });
    const seen: string[] = [];
    // Stands in for DNS: whatever https://tenant.eu.auth0.com is asked, the loopback fake answers.
    const viaFake: typeof fetch = (input, init) => {
      const url = String(input);
      seen.push(url);
      return fetch(url.replace('https://tenant.eu.auth0.com', fake.origin), init);
    };
    await api({ origin: 'https://tenant.eu.auth0.com', fetch: viaFake }).updateUser(USER_ID, { given_name: 'Ada' });
    expect(seen).toEqual([
      'https://tenant.eu.auth0.com/oauth/token',
      'https://tenant.eu.auth0.com/api/v2/users/auth0%7Cabc',
    ]);
  });

  it('reads a user', async () => {
    await expect(api().getUser(USER_ID)).resolves.toMatchObject({ user_id: USER_ID, email: 'ada@example.com' });
  });

  it('refuses a plain-http origin that is not loopback (the client secret would travel in clear)', () => {
    expect(() => api({ origin: 'http://tenant.eu.auth0.com' })).toThrow(/https/);
  });
});

describe('retries within the budget', () => {
  it('waits until x-ratelimit-reset after a 429, then succeeds', async () => {
    const { waits, sleep } = recordingSleep();
    let resetAt = 0;
    fake.queue('users', () => {
      resetAt = Math.floor(Date.now() / 1000) + 2;
      return { status: 429, body: auth0Errors.tooManyRequests, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetAt) } };
    });
    const management = api({ sleep, totalBudgetMs: 3000 });
    await management.updateUser(USER_ID, { given_name: 'Ada' });
    expect(fake.count('users', 'PATCH')).toBe(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(1000);
    expect(waits[0]).toBeLessThanOrEqual(resetAt * 1000 - Date.now() + 300);
    expect(management.stats().writes).toBe(1);
  });

  it('waits for Retry-After seconds after a 429, then succeeds', async () => {
    const { waits, sleep } = recordingSleep();
    fake.queue('users', { status: 429, body: auth0Errors.tooManyRequests, headers: { 'retry-after': '2' } });
    await api({ sleep, totalBudgetMs: 3000 }).updateUser(USER_ID, { given_name: 'Ada' });
    expect(fake.count('users', 'PATCH')).toBe(2);
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
    expect(waits[0]).toBeLessThanOrEqual(2200);
  });

  it('retries 500, 500 and then succeeds', async () => {
    fake.queue('users', { status: 500, body: auth0Errors.internal }, { status: 500, body: auth0Errors.internal });
    const management = api();
    await management.updateUser(USER_ID, { given_name: 'Ada' });
    expect(fake.count('users', 'PATCH')).toBe(3);
    expect(management.stats().writes).toBe(1);
  });

  it('abandons an attempt slower than the attempt timeout and succeeds on the next', async () => {
    fake.queue('users', { status: 200, body: {}, delayMs: ATTEMPT_MS * 3 });
    const { ms } = await timed(() => api().updateUser(USER_ID, { given_name: 'Ada' }));
    expect(fake.count('users', 'PATCH')).toBe(2);
    expect(ms).toBeGreaterThanOrEqual(ATTEMPT_MS - 5);
    expect(ms).toBeLessThan(ATTEMPT_MS * 3);
  });

  it('retries a token endpoint 503 under the same rules', async () => {
    fake.queue('token', { status: 503, body: { error: 'temporarily_unavailable' } });
    await api().updateUser(USER_ID, { given_name: 'Ada' });
    expect(fake.count('token')).toBe(2);
    expect(fake.count('users', 'PATCH')).toBe(1);
  });

  it('abandons a token request slower than the attempt timeout and succeeds on the next', async () => {
    fake.queue('token', { status: 200, body: { access_token: 'late', expires_in: 60 }, delayMs: ATTEMPT_MS * 3 });
    await api().updateUser(USER_ID, { given_name: 'Ada' });
    expect(fake.count('token')).toBe(2);
    expect(fake.count('users', 'PATCH')).toBe(1);
  });
});

describe('giving up', () => {
  const BUSY = "We couldn't save your answer because the account service is busy. Your answer is kept — please try again.";

  it('answers upstream_unavailable within the budget when Auth0 keeps failing with 500', async () => {
    fake.always('users', { status: 500, body: auth0Errors.internal });
    const management = api();
    const { result: error, ms } = await timed(() => rejection(management.updateUser(USER_ID, { given_name: 'Ada' })));
    expect(error).toBeInstanceOf(DetourError);
    expect(error).toMatchObject({ code: 'upstream_unavailable', status: 503, message: BUSY });
    expect(ms).toBeLessThanOrEqual(BUDGET_MS + 100);
    expect(fake.count('users', 'PATCH')).toBeGreaterThan(1);
    expect(management.stats().writes).toBe(0);
  });

  it('answers upstream_unavailable within the budget when every attempt is too slow', async () => {
    fake.always('users', { status: 200, body: {}, delayMs: BUDGET_MS * 2 });
    const { result: error, ms } = await timed(() => rejection(api().updateUser(USER_ID, { given_name: 'Ada' })));
    expect(error).toMatchObject({ code: 'upstream_unavailable', details: { reason: 'timeout' } });
    expect(ms).toBeLessThanOrEqual(BUDGET_MS + 100);
  });

  it('answers upstream_rate_limited at once when the rate-limit reset is beyond the budget', async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 60;
    fake.always('users', { status: 429, body: auth0Errors.tooManyRequests, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetAt) } });
    const { result: error, ms } = await timed(() => rejection(api().updateUser(USER_ID, { given_name: 'Ada' })));
    expect(error).toMatchObject({ code: 'upstream_rate_limited', status: 429, message: BUSY });
    expect((error as DetourError).details.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect((error as DetourError).details.retryAfterSeconds).toBeLessThanOrEqual(62);
    expect(fake.count('users', 'PATCH')).toBe(1);
    expect(ms).toBeLessThan(150);
  });

  it('answers upstream_rate_limited when the token endpoint rate-limits beyond the budget', async () => {
    fake.always('token', { status: 429, body: { error: 'too_many_requests' }, headers: { 'retry-after': '30' } });
    const error = await rejection(api().updateUser(USER_ID, { given_name: 'Ada' }));
    expect(error).toMatchObject({ code: 'upstream_rate_limited', details: { retryAfterSeconds: 30 } });
    expect(fake.count('token')).toBe(1);
    expect(fake.count('users')).toBe(0);
  });

  it('answers upstream_unavailable when nothing listens (connection refused)', async () => {
    const management = api({ origin: await closedOrigin() });
    const { result: error, ms } = await timed(() => rejection(management.updateUser(USER_ID, { given_name: 'Ada' })));
    expect(error).toMatchObject({ code: 'upstream_unavailable', status: 503 });
    expect(ms).toBeLessThanOrEqual(BUDGET_MS + 100);
    expect(management.stats().tokenRequests).toBeGreaterThan(1);
  });

  it('does not retry when the token endpoint refuses our credentials (401)', async () => {
    const management = api({ clientSecret: 'wrong-secret' });
    const error = await rejection(management.updateUser(USER_ID, { given_name: 'Ada' }));
    expect(error).toMatchObject({ code: 'upstream_unavailable', status: 503, details: { reason: 'token_endpoint_rejected' } });
    expect((error as DetourError).details.cause).toMatchObject({ statusCode: 401, details: { oauthError: 'access_denied' } });
    expect(fake.count('token')).toBe(1);
    expect(fake.count('users')).toBe(0);
  });

  it('does not retry a 403 (our grant lacks a scope)', async () => {
    fake.always('users', { status: 403, body: auth0Errors.insufficientScope });
    const error = await rejection(api().updateUser(USER_ID, { given_name: 'Ada' }));
    expect(error).toMatchObject({ code: 'upstream_unavailable', details: { reason: 'api_403' } });
    expect(fake.count('users', 'PATCH')).toBe(1);
  });
});

describe("Auth0's own refusals", () => {
  it.each([
    ['PasswordStrengthError: Password is too weak', 'PasswordStrengthError'],
    ['PasswordHistoryError: Password has previously been used', 'PasswordHistoryError'],
    ['PasswordDictionaryError: Password is too common', 'PasswordDictionaryError'],
    ['PasswordNoUserInfoError: Password contains user information', 'PasswordNoUserInfoError'],
    ['Payload validation error: \'String is too short (0 chars), minimum 1\' on property password', null],
  ])('a 400 "%s" is an Auth0ApiError naming %s, sent once', async (message, name) => {
    fake.always('users', { status: 400, body: auth0Errors.badRequest(message, name ? undefined : 'invalid_body') });
    const management = api();
    const error = await rejection(
      management.updateUser(USER_ID, { password: 'correct horse', connection: 'Username-Password-Authentication' }),
    );
    expect(error).toBeInstanceOf(Auth0ApiError);
    expect(error).toMatchObject({ statusCode: 400, auth0Message: message, errorCode: name ? null : 'invalid_body' });
    expect(passwordPolicyErrorName(error)).toBe(name);
    expect(fake.count('users', 'PATCH')).toBe(1);
    expect(management.stats().writes).toBe(0);
  });

  it('a 404 on read is an Auth0ApiError, sent once', async () => {
    const error = await rejection(api().getUser('auth0|nobody'));
    expect(error).toMatchObject({ statusCode: 404, errorCode: 'inexistent_user' });
    expect(fake.count('users', 'GET')).toBe(1);
  });
});

describe('readiness', () => {
  it('checks the token endpoint once and then relies on the cached token', async () => {
    const management = api();
    await management.checkTokenEndpoint();
    await management.checkTokenEndpoint();
    await management.updateUser(USER_ID, { given_name: 'Ada' });
    expect(fake.count('token')).toBe(1);
  });

  it('fails fast with upstream_unavailable when the tenant is unreachable', async () => {
    const management = api({ origin: await closedOrigin() });
    const { result: error, ms } = await timed(() => rejection(management.checkTokenEndpoint()));
    expect(error).toMatchObject({ code: 'upstream_unavailable' });
    expect(management.stats().tokenRequests).toBe(1);
    expect(ms).toBeLessThan(ATTEMPT_MS + 100);
  });
});

describe('logging', () => {
  it('records attempts with status codes and never the token, the secret or the body', async () => {
    fake.queue('users', { status: 500, body: auth0Errors.internal });
    fake.queue('users', { status: 400, body: auth0Errors.badRequest('PasswordStrengthError: Password is too weak') });
    await rejection(api().updateUser(USER_ID, { password: 'hunter2-secret-pw', connection: 'db' }));
    const logs = logLines.join('\n');
    expect(logs).toMatch(/"status":500/);
    expect(logs).toMatch(/"status":400/);
    for (const secret of [CLIENT_SECRET, 'mgmt-token-1', 'hunter2-secret-pw']) expect(logs).not.toContain(secret);
  });
});
