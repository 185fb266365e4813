import { jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEV_SESSION_TOKEN_SECRET } from '../../e2e/local-tenant/config';
import { runRule, type MetadataWrite, type RuleInput } from '../../e2e/local-tenant/rules';
import { claimsOf, key, signReturnToken, tamper } from '../../e2e/local-tenant/test-helpers';
import { connectionOf, publicUser, seedUsers, type PublicUser } from '../../e2e/local-tenant/users';
import { DATABASE, DECISION_CASES, DECISION_SETTINGS, SEEDED_DENIED, SEEDED_STEPS, settingsFor, TERMS, userFor, VERIFY_CASES, verifyUserFor } from './decision-cases';

const DETOUR = 'https://detour.example.com';
const ISSUER = 'urn:detour:rule';
const CONNECTION_CONFIG = { DETOUR_URL: DETOUR, SESSION_TOKEN_SECRET: DEV_SESSION_TOKEN_SECRET, SESSION_TOKEN_ISSUER: ISSUER };
const CONFIG = { ...CONNECTION_CONFIG, ...DECISION_SETTINGS };
const seeded = Object.fromEntries(seedUsers(TERMS).map((u) => [u.nickname, u]));
const nick = (name: string) => publicUser(seeded[name]!);
const AUTHORIZE_QUERY = { client_id: 'app-1', response_type: 'code', scope: 'openid profile email', redirect_uri: 'https://app.example/cb', state: 'app-state' };

function input(user: PublicUser, overrides: Partial<RuleInput> = {}, configuration: Record<string, string> = CONFIG): RuleInput {
  return {
    user,
    configuration,
    clientID: 'app-1',
    connection: user.user_id.startsWith('google-oauth2|') ? { name: 'google-oauth2', strategy: 'google-oauth2' } : DATABASE,
    protocol: 'oidc-basic-profile',
    request: { ip: '203.0.113.7', hostname: 'tenant.auth0.com', query: { ...AUTHORIZE_QUERY }, body: {} },
    ...overrides,
  };
}
const tokenOf = (url: string | undefined) => new URL(url!).searchParams.get('token')!;
const appWrites = (writes: MetadataWrite[]) => writes.filter((w) => w.kind === 'app_metadata').map((w) => w.metadata);
const withQuery = (user: PublicUser, query: Record<string, string>) => ({ request: { ...input(user).request, query } });

describe('redirect rule: which steps', () => {
  it.each(DECISION_CASES.map((c) => [c.name, c] as const))('%s', async (_, testCase) => {
    const result = await runRule(input(userFor(testCase), { connection: testCase.connection ?? DATABASE }, settingsFor(testCase, CONNECTION_CONFIG)));
    if (result.outcome === 'denied') throw new Error(result.denyReason);
    expect(result.outcome === 'redirect' ? claimsOf(tokenOf(result.redirectUrl)).steps : []).toEqual(testCase.steps);
  });

  // The Rule has no verify step: the Action's verify-only users (pablo, quentin) get their other steps, or none.
  const withoutVerify = (steps: string[]) => steps.filter((step) => step !== 'verify');
  it.each([...Object.entries(SEEDED_STEPS), ...Object.keys(SEEDED_DENIED).map((name) => [name, []] as [string, string[]])])('seeded %s needs %j, verify left out', async (name, steps) => {
    const result = await runRule(input(nick(name), { connection: connectionOf(seeded[name]!) }));
    expect(result.outcome === 'redirect' ? claimsOf(tokenOf(result.redirectUrl)).steps : []).toEqual(withoutVerify(steps));
  });

  // Cases naming verify in OPTIONAL_STEPS are left out: the Rule refuses that setting as an unknown step.
  const ruleCases = VERIFY_CASES.filter((c) => !c.settings?.OPTIONAL_STEPS?.includes('verify'));
  it.each(ruleCases.map((c) => [c.name, c] as const))('never asks verify: %s', async (_, testCase) => {
    const protocol = testCase.protocol ?? 'oidc-basic-profile';
    const result = await runRule(input(verifyUserFor(testCase), { protocol }, settingsFor({ name: testCase.name, steps: [], settings: testCase.settings }, CONNECTION_CONFIG)));
    if (result.outcome === 'denied') throw new Error(result.denyReason);
    expect(result.outcome === 'redirect' ? claimsOf(tokenOf(result.redirectUrl)).steps : []).toEqual(testCase.deny ? [] : withoutVerify(testCase.steps));
  });
});

describe('redirect rule: the redirect', () => {
  it('redirects to /start?token= with a signed token, after storing its jti on the user', async () => {
    const result = await runRule(input(nick('heidi')));
    expect(result.outcome).toBe('redirect');
    expect(result.redirectUrl?.startsWith(`${DETOUR}/start?token=`)).toBe(true);
    const { payload, protectedHeader } = await jwtVerify(tokenOf(result.redirectUrl), key(), { algorithms: ['HS256'], issuer: ISSUER, audience: DETOUR, subject: 'auth0|heidi' });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({
      steps: ['password', 'terms', 'profile'],
      email: 'heidi@example.com',
      name: 'Heidi Example',
      connection: 'Username-Password-Authentication',
      terms_accepted_version: '2025-01-01',
      profile: {},
    });
    expect(payload).not.toHaveProperty('authorize_again');
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(appWrites(result.metadataWrites)).toEqual([
      expect.objectContaining({ detour_pending_jti: payload.jti, detour_pending_steps: ['password', 'terms', 'profile'], force_password_change: true }),
    ]);
  });

  it('sends profile values only for the profile step', async () => {
    const grace = await runRule(input(nick('grace')));
    expect(claimsOf(tokenOf(grace.redirectUrl)).profile).toEqual({ given_name: 'Grace', marketing_emails: false });
    expect(claimsOf(tokenOf((await runRule(input(nick('alice')))).redirectUrl))).not.toHaveProperty('profile');
  });

  it('lets a user who needs nothing through without writing anything', async () => {
    expect(await runRule(input(nick('carol')))).toEqual({ outcome: 'completed', metadataWrites: [] });
  });

  it('skips clients not listed in CLIENT_IDS', async () => {
    expect((await runRule(input(nick('heidi'), {}, { ...CONFIG, CLIENT_IDS: 'other' }))).outcome).toBe('completed');
    expect((await runRule(input(nick('heidi'), {}, { ...CONFIG, CLIENT_IDS: 'other, app-1' }))).outcome).toBe('redirect');
  });
});

describe('redirect rule: when it cannot redirect', () => {
  const cannot: [string, Partial<RuleInput>][] = [
    ['a refresh-token exchange', { protocol: 'oauth2-refresh-token' }],
    ['a password exchange', { protocol: 'oauth2-password' }],
    ['a resource-owner exchange', { protocol: 'oauth2-resource-owner' }],
    ['prompt=none', withQuery(nick('bob'), { ...AUTHORIZE_QUERY, prompt: 'none' })],
    ['an earlier rule redirecting', { contextExtras: { redirect: { url: 'https://mfa.example/' } } }],
    ['multi-factor authentication', { contextExtras: { multifactor: { provider: 'any' } } }],
  ];

  it.each(cannot)('%s: a mandatory step denies with its code', async (name, overrides) => {
    const result = await runRule(input(nick('bob'), overrides));
    expect(result.outcome).toBe('denied');
    expect(result.denyReason).toMatch(/^terms_not_accepted: before signing in you must accept terms version 2026-11-01, and .+\. Sign in interactively to continue\.$/);
    expect(result.metadataWrites).toEqual([]);
  });

  it.each(cannot)('%s: optional steps only: the login goes on', async (name, overrides) => {
    const result = await runRule(input(nick('grace'), overrides, { ...CONFIG, OPTIONAL_STEPS: 'terms,profile' }));
    expect(result.outcome).not.toBe('denied');
    expect(result.metadataWrites).toEqual([]);
  });

  it('cannot store the jti: denies a mandatory step, lets optional ones wait', async () => {
    const writeMetadata = () => Promise.reject(new Error('Too Many Requests'));
    const denied = await runRule(input(nick('bob'), { writeMetadata }));
    expect(denied.denyReason).toMatch(/^detour_unavailable: /);
    expect((await runRule(input(nick('bob'), { writeMetadata }, { ...CONFIG, OPTIONAL_STEPS: 'terms' }))).outcome).toBe('completed');
  });
});

describe('redirect rule: misconfiguration', () => {
  it.each([
    ['SESSION_TOKEN_ISSUER', { SESSION_TOKEN_ISSUER: '' }],
    ['SESSION_TOKEN_SECRET', { SESSION_TOKEN_SECRET: 'short' }],
    ['DETOUR_URL', { DETOUR_URL: 'http://detour.example.com' }],
    ['DETOUR_URL', { DETOUR_URL: 'https://detour.example.com/detour' }],
    ['TERMS_VERSION', { TERMS_VERSION: '' }],
    ['TERMS_REACCEPT_FROM', { TERMS_REACCEPT_FROM: '2027-01-01' }],
    ['PROFILE_FIELDS', { PROFILE_FIELDS: 'phone:root' }],
    ['OPTIONAL_STEPS', { OPTIONAL_STEPS: 'captcha' }],
  ])('%s', async (name, change) => {
    const result = await runRule(input(nick('carol'), {}, { ...CONFIG, ...change }));
    expect(result.denyReason).toMatch(new RegExp(`^detour_misconfigured: the Detour rule cannot run: ${name}`));
  });
});

describe('redirect rule: authorize_again (force-password-change variant)', () => {
  const config = { ...CONFIG, AUTHORIZE_AGAIN_AFTER_PASSWORD: 'true', TENANT_URL: 'https://login.example.com' };

  it('sends authorize_again when the password is the only step, without prompt', async () => {
    const result = await runRule(input(nick('frank'), withQuery(nick('frank'), { ...AUTHORIZE_QUERY, prompt: 'login' }), config));
    const claims = claimsOf(tokenOf(result.redirectUrl));
    const again = new URL(String(claims.authorize_again));
    expect(again.origin + again.pathname).toBe('https://login.example.com/authorize');
    expect(Object.fromEntries(again.searchParams)).toEqual(AUTHORIZE_QUERY);
    expect(appWrites(result.metadataWrites)[0]).toMatchObject({ detour_pending_jti: claims.jti, detour_password_requested_at: expect.any(String) });
  });

  it('defaults to https://<auth0.domain>, and is left out with other steps or a query over 2 KB', async () => {
    const plain = await runRule(input(nick('frank'), {}, { ...CONFIG, AUTHORIZE_AGAIN_AFTER_PASSWORD: 'true' }));
    expect(String(claimsOf(tokenOf(plain.redirectUrl)).authorize_again).startsWith('https://tenant.auth0.com/authorize?client_id=app-1')).toBe(true);
    expect(claimsOf(tokenOf((await runRule(input(nick('heidi'), {}, config))).redirectUrl))).not.toHaveProperty('authorize_again');
    const long = await runRule(input(nick('frank'), withQuery(nick('frank'), { ...AUTHORIZE_QUERY, state: 's'.repeat(2100) }), config));
    expect(claimsOf(tokenOf(long.redirectUrl))).not.toHaveProperty('authorize_again');
  });

  it('the new login after the change finds the password done and clears the flag', async () => {
    const frank = nick('frank');
    frank.app_metadata = { ...frank.app_metadata, detour_pending_jti: 'old-jti-0123456789', detour_pending_steps: ['password'], detour_password_requested_at: '2026-11-26T10:00:00.000Z' };
    frank.last_password_reset = '2026-11-26T10:01:00.000Z';
    const result = await runRule(input(frank, {}, config));
    expect(result.outcome).toBe('completed');
    expect(appWrites(result.metadataWrites)).toEqual([
      expect.objectContaining({
        force_password_change: null,
        password_changed_at: '2026-11-26T10:01:00.000Z',
        detour_password_requested_at: null,
        detour_pending_jti: null,
        detour_pending_steps: null,
      }),
    ]);
  });

  it('a password not changed since the request is still due', async () => {
    const frank = nick('frank');
    frank.app_metadata = { ...frank.app_metadata, detour_password_requested_at: '2026-11-26T10:00:00.000Z' };
    frank.last_password_reset = '2026-11-01T10:00:00.000Z';
    expect(claimsOf(tokenOf((await runRule(input(frank, {}, config))).redirectUrl)).steps).toEqual(['password']);
  });
});

describe('redirect rule: redirect-callback', () => {
  const PENDING = 'pending-jti-0123456789';
  function pendingUser(name: string, steps: string[], extra: Record<string, unknown> = {}) {
    const user = nick(name);
    user.app_metadata = { ...user.app_metadata, detour_pending_jti: PENDING, detour_pending_steps: steps, ...extra };
    return user;
  }
  const callback = (user: PublicUser, body: Record<string, unknown>, overrides: Partial<RuleInput> = {}, configuration = CONFIG) =>
    runRule(input(user, { protocol: 'redirect-callback', request: { ...input(user).request, query: {}, body }, ...overrides }, configuration));
  const token = (extra: Partial<Parameters<typeof signReturnToken>[0]> = {}) =>
    signReturnToken({ sub: 'auth0|alice', aud: ISSUER, iss: DETOUR, jti: PENDING, state: 'not-checked-by-rules', ...extra });
  const cleared = { detour_pending_jti: null, detour_pending_steps: null };

  it('accepts a valid answer from the POST body and removes the pending jti', async () => {
    const result = await callback(pendingUser('alice', ['terms']), { token: await token() });
    expect(result.outcome).toBe('completed');
    expect(appWrites(result.metadataWrites)).toEqual([expect.objectContaining(cleared)]);
  });

  it.each([
    ['a tampered token', async () => tamper(await token({ completed: [] }), (claims) => (claims.completed = ['terms'])), 'invalid signature'],
    ['another secret', () => token({ secret: 'z'.repeat(40) }), 'invalid signature'],
    ['an expired token', () => token({ iatOffset: -300 }), 'token expired'],
    ['another user (sub)', () => token({ sub: 'auth0|bob' }), 'different user'],
    ['a wrong jti', () => token({ jti: 'another-jti-0123456789' }), 'jti mismatch'],
    ['another audience', () => token({ aud: 'tenant.auth0.com' }), 'unexpected audience'],
  ])('denies %s', async (_, make, reason) => {
    const result = await callback(pendingUser('alice', ['terms']), { token: await make() });
    expect(result.outcome).toBe('denied');
    expect(result.denyReason).toMatch(/^detour_invalid_answer: /);
    expect(result.denyReason).toContain(reason);
    expect(result.metadataWrites).toEqual([]);
  });

  it('refuses any algorithm but HS256', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ completed: ['terms'], terms: { version: TERMS, accepted_at: 'x' }, jti: PENDING })
      .setProtectedHeader({ alg: 'HS512', typ: 'JWT' })
      .setSubject('auth0|alice').setIssuer(DETOUR).setAudience(ISSUER).setIssuedAt(now).setExpirationTime(now + 60)
      .sign(key());
    expect((await callback(pendingUser('alice', ['terms']), { token: forged })).denyReason).toContain('unexpected token header');
  });

  it("without Detour's answer (missing, malformed, another issuer, or another rule's redirect) decides again without a redirect", async () => {
    for (const body of [{}, { token: 'a.b' }, { token: await token({ iss: 'https://mfa.example' }) }]) {
      const result = await callback(pendingUser('alice', ['terms']), body);
      expect(result.denyReason).toBe('terms_not_accepted: before signing in you must accept terms version 2026-11-01, and this sign-in came back without Detour’s answer.');
    }
    // Another rule redirected; this one had nothing to do.
    expect((await callback(nick('carol'), { token: 'their.own.token' })).outcome).toBe('completed');
    // Detour wrote the terms through the Management API but the answer got lost: the user is up to date.
    const written = nick('alice');
    written.app_metadata = { terms_accepted_version: TERMS, detour_pending_jti: PENDING };
    expect((await callback(written, {})).outcome).toBe('completed');
  });

  it('denies a mandatory step Detour did not complete, and terms below TERMS_REACCEPT_FROM', async () => {
    const incomplete = await callback(pendingUser('alice', ['terms', 'profile']), { token: await token({ completed: ['terms'] }) });
    expect(incomplete.denyReason).toBe('profile_incomplete: Detour did not report the profile step as completed.');
    const old = await callback(pendingUser('alice', ['terms']), { token: await token({ terms: { version: '2025-01-01', accepted_at: 'x' } }) });
    expect(old.denyReason).toContain('but 2026-11-01 or later must be accepted');
  });

  it('writes persist_in_action data and clears the password flag', async () => {
    const user = pendingUser('heidi', ['password', 'terms', 'profile'], { terms_reset: true });
    const result = await callback(user, {
      token: await token({
        sub: 'auth0|heidi',
        completed: ['password', 'terms', 'profile'],
        terms: { version: TERMS, accepted_at: '2026-11-26T10:00:00.000Z' },
        extra: {
          password: { changed_at: '2026-11-26T09:59:00.000Z' },
          profile: { given_name: 'Heidi', phone: '+4930123456', country: 'DE' },
          persist_in_action: ['terms', 'profile'],
        },
      }),
    });
    expect(result.outcome).toBe('completed');
    expect(appWrites(result.metadataWrites)).toEqual([
      expect.objectContaining({
        ...cleared,
        terms_accepted_version: TERMS,
        terms_accepted_at: '2026-11-26T10:00:00.000Z',
        terms_reset: null,
        force_password_change: null,
        password_changed_at: '2026-11-26T09:59:00.000Z',
      }),
    ]);
    expect(result.metadataWrites.find((w) => w.kind === 'user_metadata')?.metadata).toEqual({ phone: '+4930123456', country: 'DE' });
  });

  it('clears the authorize_again marker when Detour came back to /continue instead', async () => {
    const user = pendingUser('frank', ['password'], { detour_password_requested_at: '2026-11-26T10:00:00.000Z' });
    const result = await callback(user, { token: await token({ sub: 'auth0|frank', completed: ['password'], terms: null }) });
    expect(appWrites(result.metadataWrites)).toEqual([expect.objectContaining({ ...cleared, detour_password_requested_at: null, force_password_change: null })]);
  });

  it('denies when the results cannot be saved', async () => {
    const result = await callback(pendingUser('alice', ['terms']), { token: await token() }, { writeMetadata: () => Promise.reject(new Error('500')) });
    expect(result.denyReason).toMatch(/^detour_write_failed: /);
  });
});
