import { jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEV_SESSION_TOKEN_SECRET } from '../../e2e/local-tenant/config';
import { runRule, type RuleInput } from '../../e2e/local-tenant/rules';
import { key, signReturnToken } from '../../e2e/local-tenant/test-helpers';
import { connectionOf, publicUser, seedUsers } from '../../e2e/local-tenant/users';

const TERMS = '2026-11-01';
const DETOUR = 'https://detour.example.com';
const ISSUER = 'urn:detour:rule';
const users = Object.fromEntries(seedUsers(TERMS).map((u) => [u.nickname, u]));

function input(nick: string, overrides: Partial<RuleInput> = {}, configuration: Record<string, string> = {}): RuleInput {
  const user = users[nick]!;
  return {
    user: publicUser(user),
    configuration: { DETOUR_URL: DETOUR, SESSION_TOKEN_SECRET: DEV_SESSION_TOKEN_SECRET, SESSION_TOKEN_ISSUER: ISSUER, TERMS_VERSION: TERMS, ...configuration },
    clientID: 'app-1',
    connection: connectionOf(user),
    protocol: 'oidc-basic-profile',
    request: { ip: '203.0.113.7', hostname: 'tenant.auth0.com', query: {}, body: {} },
    ...overrides,
  };
}

const callback = (nick: string, body: Record<string, unknown>) =>
  runRule(input(nick, { protocol: 'redirect-callback', request: { ...input(nick).request, body } }));
const token = (extra: Partial<Parameters<typeof signReturnToken>[0]> = {}) =>
  signReturnToken({ sub: 'auth0|alice', aud: ISSUER, iss: DETOUR, state: 'not-checked-by-rules', ...extra });

describe('redirect rule: login', () => {
  it('redirects a user behind on terms to /start?token= with a signed token', async () => {
    const result = await runRule(input('alice'));
    expect(result.outcome).toBe('redirect');
    expect(result.redirectUrl?.startsWith(`${DETOUR}/start?token=`)).toBe(true);
    const raw = new URL(result.redirectUrl!).searchParams.get('token')!;
    const { payload, protectedHeader } = await jwtVerify(raw, key(), { algorithms: ['HS256'], issuer: ISSUER, audience: DETOUR, subject: 'auth0|alice' });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ steps: ['terms'], email: 'alice@example.com', name: 'Alice Example', connection: 'Username-Password-Authentication' });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(typeof payload.jti).toBe('string');
  });

  it('lets a user on the current terms through', async () => {
    expect((await runRule(input('carol'))).outcome).toBe('completed');
  });

  it('denies non-interactive logins that need terms', async () => {
    const refresh = await runRule(input('bob', { protocol: 'oauth2-refresh-token' }));
    expect(refresh).toMatchObject({ outcome: 'denied' });
    expect(refresh.denyReason).toMatch(/^terms_not_accepted: /);
    const silent = await runRule(input('bob', { request: { ...input('bob').request, query: { prompt: 'none' } } }));
    expect(silent.outcome).toBe('denied');
  });

  it('denies when misconfigured', async () => {
    expect((await runRule(input('alice', {}, { SESSION_TOKEN_ISSUER: '' }))).denyReason).toContain('misconfigured');
  });
});

describe('redirect rule: redirect-callback', () => {
  it('completes on a valid return token in the POST body', async () => {
    expect(await callback('alice', { token: await token() })).toEqual({ outcome: 'completed' });
  });

  it('denies a bad return token', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'malformed token'],
      [{ token: 'a.b' }, 'malformed token'],
      [{ token: await token({ secret: 'z'.repeat(40) }) }, 'invalid signature'],
      [{ token: await token({ iatOffset: -300 }) }, 'token expired'],
      [{ token: await token({ sub: 'auth0|bob' }) }, 'different user'],
      [{ token: await token({ iss: 'https://evil.example' }) }, 'unexpected issuer'],
      [{ token: await token({ aud: 'tenant.auth0.com' }) }, 'unexpected audience'],
      [{ token: await token({ completed: [] }) }, 'did not report the terms step'],
      [{ token: await token({ terms: { version: '2025-01-01', accepted_at: 'x' } }) }, 'expected 2026-11-01'],
    ];
    for (const [body, reason] of cases) {
      const result = await callback('alice', body);
      expect(result.outcome).toBe('denied');
      expect(result.denyReason).toContain(reason);
    }
  });

  it('refuses any algorithm but HS256', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ completed: ['terms'], terms: { version: TERMS } })
      .setProtectedHeader({ alg: 'HS512', typ: 'JWT' })
      .setSubject('auth0|alice').setIssuer(DETOUR).setAudience(ISSUER).setIssuedAt(now).setExpirationTime(now + 60)
      .sign(key());
    expect((await callback('alice', { token: forged })).denyReason).toContain('unexpected token header');
  });
});
