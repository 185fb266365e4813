import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createManagementTokenProvider,
  managementAudience,
  refreshMarginMs,
  TokenEndpointError,
  type ManagementTokenProviderOptions,
} from './management-token';
import { closedOrigin, startFakeAuth0, type FakeAuth0 } from './testing/fake-auth0';

let fake: FakeAuth0;

beforeEach(async () => {
  fake = await startFakeAuth0();
});

afterEach(async () => {
  await fake.close();
});

function provider(overrides: Partial<ManagementTokenProviderOptions> = {}) {
  return createManagementTokenProvider({
    origin: fake.origin,
    clientId: 'detour-m2m',
    clientSecret: 'm2m-secret-value',
    requestTimeoutMs: 200,
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<TokenEndpointError> {
  const error = await promise.then(() => expect.unreachable('expected a rejection'), (e: unknown) => e);
  expect(error).toBeInstanceOf(TokenEndpointError);
  return error as TokenEndpointError;
}

describe('refresh margin', () => {
  it.each([
    [86_400_000, 60_000],
    [600_000, 60_000],
    [300_000, 30_000],
    [100_000, 10_000],
  ])('a %i ms token is refreshed %i ms early', (lifetime, margin) => {
    expect(refreshMarginMs(lifetime)).toBe(margin);
  });

  it.each([
    ['https://tenant.eu.auth0.com', 'https://tenant.eu.auth0.com/api/v2/'],
    ['https://tenant.eu.auth0.com/', 'https://tenant.eu.auth0.com/api/v2/'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010/api/v2/'],
  ])('the audience for %s is %s', (origin, audience) => {
    expect(managementAudience(origin)).toBe(audience);
  });
});

describe('single flight and cache', () => {
  it('shares one request between concurrent callers', async () => {
    fake.queue('token', { status: 200, body: { access_token: 'shared', expires_in: 3600 }, delayMs: 50 });
    const tokens = provider();
    const values = await Promise.all(Array.from({ length: 10 }, () => tokens.getToken()));
    expect(new Set(values)).toEqual(new Set(['shared']));
    expect(tokens.tokenRequests()).toBe(1);
    expect(fake.count('token')).toBe(1);
  });

  it('shares a failure between concurrent callers and does not cache it', async () => {
    fake.queue('token', { status: 500, body: { error: 'server_error' }, delayMs: 30 });
    const tokens = provider();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => tokens.getToken()));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(tokens.tokenRequests()).toBe(1);
    await expect(tokens.getToken()).resolves.toBe('mgmt-token-1');
    expect(tokens.tokenRequests()).toBe(2);
  });

  it('drops the cached token only when told which one failed', async () => {
    const tokens = provider();
    const first = await tokens.getToken();
    tokens.invalidate('some-older-token');
    expect(await tokens.getToken()).toBe(first);
    tokens.invalidate(first);
    expect(await tokens.getToken()).not.toBe(first);
    expect(tokens.tokenRequests()).toBe(2);
  });
});

describe('failures are typed', () => {
  it('a refused client is an http failure carrying the OAuth error', async () => {
    const error = await failure(provider({ clientSecret: 'wrong' }).getToken());
    expect(error.details).toMatchObject({ kind: 'http', statusCode: 401, oauthError: 'access_denied' });
    expect(error.message).not.toContain('wrong');
  });

  it('a 429 keeps the headers for Retry-After', async () => {
    fake.queue('token', { status: 429, body: { error: 'too_many_requests' }, headers: { 'retry-after': '7' } });
    const error = await failure(provider().getToken());
    expect(error.statusCode).toBe(429);
    expect(error.details.headers?.get('retry-after')).toBe('7');
  });

  it('a 200 without an access_token is an invalid response', async () => {
    fake.queue('token', { status: 200, body: { token_type: 'Bearer' } });
    expect((await failure(provider().getToken())).details.kind).toBe('invalid_response');
  });

  it('a slow answer is a timeout', async () => {
    fake.queue('token', { status: 200, body: { access_token: 'late', expires_in: 60 }, delayMs: 600 });
    expect((await failure(provider().getToken())).details.kind).toBe('timeout');
  });

  it('nothing listening is a network failure', async () => {
    expect((await failure(provider({ origin: await closedOrigin() }).getToken())).details.kind).toBe('network');
  });
});
