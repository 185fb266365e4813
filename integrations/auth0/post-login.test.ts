import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEV_SESSION_TOKEN_SECRET } from '../../e2e/local-tenant/config';
import { loadAction, runPostLogin, type ExecutionInput } from '../../e2e/local-tenant/runtime';
import { key, signReturnToken } from '../../e2e/local-tenant/test-helpers';
import { connectionOf, publicUser, seedUsers } from '../../e2e/local-tenant/users';

const TERMS = '2026-11-01';
const HOST = 'tenant.eu.auth0.com';
const users = Object.fromEntries(seedUsers(TERMS).map((u) => [u.nickname, u]));
const action = loadAction(); // evaluated as Auth0 does, with only Node built-ins available to require()

function input(nick: string, overrides: Partial<ExecutionInput> = {}, secrets: Record<string, string> = {}): ExecutionInput {
  const user = users[nick]!;
  return {
    user: publicUser(user),
    secrets: { DETOUR_URL: 'https://detour.example.com/', SESSION_TOKEN_SECRET: DEV_SESSION_TOKEN_SECRET, TERMS_VERSION: TERMS, ...secrets },
    client: { client_id: 'app-1' },
    connection: connectionOf(user),
    request: { ip: '203.0.113.7', hostname: HOST, method: 'POST', language: 'fr', query: {}, body: {} },
    transaction: { protocol: 'oidc-basic-profile', locale: 'en', prompt: [] },
    ...overrides,
  };
}

const sessionTokenOf = (url: string | undefined) => new URL(url!).searchParams.get('session_token')!;

describe('onExecutePostLogin', () => {
  it('sends a user behind on terms to DETOUR_URL/start with a session token', async () => {
    const result = await runPostLogin(action, input('alice'), 'execute');
    expect(result.outcome).toBe('redirect');
    expect(result.redirectUrl?.startsWith('https://detour.example.com/start?session_token=')).toBe(true);
    const { payload } = await jwtVerify(sessionTokenOf(result.redirectUrl), key(), {
      algorithms: ['HS256'],
      issuer: HOST,
      audience: 'https://detour.example.com',
      subject: 'auth0|alice',
    });
    expect(payload).toMatchObject({ steps: ['terms'], email: 'alice@example.com', name: 'Alice Example', ui_locales: 'fr', connection: 'Username-Password-Authentication', ip: '203.0.113.7' });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('uses a fresh jti each time, DETOUR_AUDIENCE when set, and the transaction locale as a fallback', async () => {
    const request = { ...input('bob').request, language: undefined };
    const a = await runPostLogin(action, input('bob', { request }, { DETOUR_AUDIENCE: 'urn:detour' }), 'execute');
    const b = await runPostLogin(action, input('bob'), 'execute');
    const pa = (await jwtVerify(sessionTokenOf(a.redirectUrl), key(), { audience: 'urn:detour' })).payload;
    const pb = (await jwtVerify(sessionTokenOf(b.redirectUrl), key())).payload;
    expect(pa.jti).not.toBe(pb.jti);
    expect(pa.ui_locales).toBe('en');
  });

  it('lets a user on the current terms through', async () => {
    expect((await runPostLogin(action, input('carol'), 'execute')).outcome).toBe('completed');
  });

  it('skips clients not listed in CLIENT_IDS', async () => {
    expect((await runPostLogin(action, input('alice', {}, { CLIENT_IDS: 'other, more' }), 'execute')).outcome).toBe('completed');
    expect((await runPostLogin(action, input('alice', {}, { CLIENT_IDS: 'other, app-1' }), 'execute')).outcome).toBe('redirect');
  });

  it('denies when it cannot redirect (refresh token, prompt=none)', async () => {
    const refresh = await runPostLogin(action, input('alice', { transaction: { protocol: 'oauth2-refresh-token', locale: 'en' } }), 'execute');
    expect(refresh.outcome).toBe('denied');
    expect(refresh.denyReason).toMatch(/^terms_not_accepted: /);
    const silent = await runPostLogin(action, input('alice', { transaction: { protocol: 'oidc-basic-profile', locale: 'en', prompt: ['none'] } }), 'execute');
    expect(silent.outcome).toBe('denied');
  });

  it('leaves machine-to-machine flows alone', async () => {
    const m2m = await runPostLogin(action, input('alice', { transaction: { protocol: 'oauth2-client-credentials', locale: 'en' } }), 'execute');
    expect(m2m.outcome).toBe('completed');
  });

  it('denies with a clear reason when misconfigured', async () => {
    const result = await runPostLogin(action, input('alice', {}, { SESSION_TOKEN_SECRET: '' }), 'execute');
    expect(result.denyReason).toContain('SESSION_TOKEN_SECRET');
  });
});

describe('onContinuePostLogin', () => {
  const STATE = 'opaque-state-123';
  const resume = (nick: string, body: Record<string, unknown>, continueState = STATE) =>
    runPostLogin(action, input(nick, { continueState, request: { ...input(nick).request, query: { state: continueState }, body } }), 'continue');
  const token = (extra: Partial<Parameters<typeof signReturnToken>[0]> = {}) =>
    signReturnToken({ sub: 'auth0|alice', state: STATE, aud: HOST, iss: 'https://detour.example.com', ...extra });

  it('completes on a valid return token', async () => {
    const result = await resume('alice', { state: STATE, session_token: await token() });
    expect(result).toMatchObject({ outcome: 'completed' });
    expect(result.denyReason).toBeUndefined();
  });

  it('denies when validateToken throws (state, expiry, user, signature, missing)', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ session_token: await token({ state: 'other' }) }, 'State in the token does not match the /continue state.'],
      [{ session_token: await token({ iatOffset: -300 }) }, 'Token has expired.'],
      [{ session_token: await token({ sub: 'auth0|bob' }) }, 'The sub claim does not match the user_id.'],
      [{ session_token: await token({ secret: 'y'.repeat(40) }) }, 'Failed signature validation'],
      [{ session_token: await token({ typ: 'at+jwt' }) }, 'Unexpected token payload type'],
      [{}, "There is no parameter called 'session_token'"],
    ];
    for (const [body, message] of cases) {
      const result = await resume('alice', body);
      expect(result.outcome).toBe('denied');
      expect(result.denyReason).toMatch(/^terms_not_accepted: /);
      expect(result.denyReason).toContain(message);
    }
  });

  it('denies when terms are not reported as completed at the current version', async () => {
    const missing = await resume('alice', { session_token: await token({ completed: ['profile'] }) });
    expect(missing.denyReason).toContain('did not report the terms step');
    const old = await resume('alice', { session_token: await token({ terms: { version: '2025-01-01', accepted_at: 'x' } }) });
    expect(old.denyReason).toContain('expected 2026-11-01');
  });
});
