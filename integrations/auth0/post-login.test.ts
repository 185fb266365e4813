import { jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { DEV_SESSION_TOKEN_SECRET, TRIGGER_VERSIONS } from '../../e2e/local-tenant/config';
import { loadAction, runPostLogin, type ActionCache, type ExecutionInput, type PostLoginAction } from '../../e2e/local-tenant/runtime';
import { claimsOf, key, signReturnToken, tamper } from '../../e2e/local-tenant/test-helpers';
import { connectionOf, publicUser, seedUsers, type PublicUser } from '../../e2e/local-tenant/users';
import {
  completeUser,
  DATABASE,
  DECISION_CASES,
  DECISION_SETTINGS,
  NON_INTERACTIVE_CASES,
  SEEDED_STEPS,
  settingsFor,
  SOCIAL,
  TERMS,
  userFor,
  type NonInteractiveCase,
} from './decision-cases';

const HOST = 'tenant.eu.auth0.com';
const DETOUR = 'https://detour.example.com';
const CONNECTION_SECRETS = { DETOUR_URL: `${DETOUR}/`, SESSION_TOKEN_SECRET: DEV_SESSION_TOKEN_SECRET };
const SECRETS = { ...CONNECTION_SECRETS, ...DECISION_SETTINGS };
const seeded = Object.fromEntries(seedUsers(TERMS).map((u) => [u.nickname, u]));
const action = loadAction(); // evaluated as Auth0 does, with only Node built-ins available to require()
const REQUEST = { ip: '203.0.113.7', hostname: HOST, method: 'POST', language: 'fr', query: {}, body: {} };

interface Options extends Partial<Omit<ExecutionInput, 'user' | 'secrets'>> {
  secrets?: Record<string, string>;
}

function input(user: PublicUser, options: Options = {}): ExecutionInput {
  const { secrets, ...rest } = options;
  return {
    user,
    secrets: secrets ?? SECRETS,
    client: { client_id: 'app-1' },
    connection: user.user_id.startsWith('google-oauth2|') ? SOCIAL : DATABASE,
    request: REQUEST,
    transaction: { protocol: 'oidc-basic-profile', locale: 'en', prompt: [] },
    triggerVersion: 'v3',
    ...rest,
  };
}

const nick = (name: string) => publicUser(seeded[name]!);
const login = (user: PublicUser, options: Options = {}) => runPostLogin(action, input(user, options), 'execute');
const tokenOf = (url: string | undefined) => new URL(url!).searchParams.get('session_token')!;
const stepsOf = async (user: PublicUser, options: Options = {}) => {
  const result = await login(user, options);
  if (result.outcome === 'denied') throw new Error(result.denyReason);
  return result.outcome === 'redirect' ? claimsOf(tokenOf(result.redirectUrl)).steps : [];
};
const transaction = (protocol: string, prompt: string[] = []) => ({ transaction: { protocol, locale: 'en', prompt } });
const nonInteractive = (flow: NonInteractiveCase): Options => ({
  ...transaction(flow.protocol ?? 'oidc-basic-profile', flow.prompt),
  request: { ...REQUEST, query: flow.queryPrompt ? { prompt: flow.queryPrompt } : {} },
});

/** Runs onExecutePostLogin with spies on the api.redirect it is given (canRedirect: undefined when the api has none). */
async function observedLogin(user: PublicUser, options: Options = {}) {
  const spies: { canRedirect?: MockInstance; sendUserTo?: MockInstance } = {};
  const observed: PostLoginAction = {
    onExecutePostLogin: (event, api) => {
      const redirect = (api as { redirect: Record<string, () => unknown> }).redirect;
      if ('canRedirect' in redirect) spies.canRedirect = vi.spyOn(redirect, 'canRedirect');
      spies.sendUserTo = vi.spyOn(redirect, 'sendUserTo');
      return action.onExecutePostLogin!(event, api);
    },
  };
  const result = await runPostLogin(observed, input(user, options), 'execute');
  return { result, canRedirect: spies.canRedirect, sendUserTo: spies.sendUserTo! };
}

// No test here may reach the network: REQUIREMENTS_URL tests install their own fetch.
const offline = vi.fn(() => Promise.reject(new Error('network access in a unit test')));
beforeEach(() => {
  offline.mockClear();
  vi.stubGlobal('fetch', offline);
});
afterEach(() => {
  expect(offline).not.toHaveBeenCalled();
  vi.unstubAllGlobals();
});

describe.each(TRIGGER_VERSIONS)('onExecutePostLogin on trigger %s: which steps', (triggerVersion) => {
  it.each(DECISION_CASES.map((c) => [c.name, c] as const))('%s', async (_, testCase) => {
    const user = userFor(testCase);
    const options = { secrets: settingsFor(testCase, CONNECTION_SECRETS), connection: testCase.connection ?? DATABASE, triggerVersion };
    expect(await stepsOf(user, options)).toEqual(testCase.steps);
  });

  it.each(Object.entries(SEEDED_STEPS))('seeded %s needs %j with the default secrets', async (name, steps) => {
    expect(await stepsOf(nick(name), { connection: connectionOf(seeded[name]!), triggerVersion })).toEqual(steps);
  });
});

describe('onExecutePostLogin: which steps', () => {
  it('never redirects a user who needs nothing (no token, no metadata write)', async () => {
    const result = await login(nick('carol'));
    expect(result).toMatchObject({ outcome: 'completed', appMetadata: {}, userMetadata: {} });
    expect(result.redirectUrl).toBeUndefined();
  });
});

describe('onExecutePostLogin: the redirect', () => {
  it('sends every step in one redirect to DETOUR_URL/start with a signed session token', async () => {
    const result = await login(nick('heidi'));
    expect(result.outcome).toBe('redirect');
    expect(result.redirectUrl?.startsWith(`${DETOUR}/start?session_token=`)).toBe(true);
    const { payload, protectedHeader } = await jwtVerify(tokenOf(result.redirectUrl), key(), {
      algorithms: ['HS256'],
      issuer: HOST,
      audience: DETOUR,
      subject: 'auth0|heidi',
    });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({
      steps: ['password', 'terms', 'profile'],
      email: 'heidi@example.com',
      name: 'Heidi Example',
      connection: 'Username-Password-Authentication',
      ui_locales: 'fr',
      terms_accepted_version: '2025-01-01',
      profile: {},
    });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('stores the jti and the steps on the user for onContinuePostLogin', async () => {
    const result = await login(nick('grace'));
    const claims = claimsOf(tokenOf(result.redirectUrl));
    expect(result.appMetadata).toEqual({ detour_pending_jti: claims.jti, detour_pending_steps: ['terms', 'profile'] });
  });

  it("sends the current values of PROFILE_FIELDS (root and user_metadata) only when the profile step runs", async () => {
    const grace = await login(nick('grace'));
    expect(claimsOf(tokenOf(grace.redirectUrl)).profile).toEqual({ given_name: 'Grace', marketing_emails: false });
    const alice = await login(nick('alice'));
    expect(claimsOf(tokenOf(alice.redirectUrl))).not.toHaveProperty('profile');
  });

  it('uses a fresh jti each time and DETOUR_AUDIENCE when set', async () => {
    const a = await login(nick('bob'), { secrets: { ...SECRETS, DETOUR_AUDIENCE: 'urn:detour' } });
    const b = await login(nick('bob'));
    expect((await jwtVerify(tokenOf(a.redirectUrl), key(), { audience: 'urn:detour' })).payload.jti).not.toBe(claimsOf(tokenOf(b.redirectUrl)).jti);
  });

  it.each([
    ['the ui_locales parameter first', { ui_locales: ['de-CH', 'de'] }, 'fr', 'de-CH de'],
    ['then the browser language', {}, 'fr', 'fr'],
    ['then the transaction locale', {}, undefined, 'en'],
    ['skipping a malformed one', { ui_locales: ['<script>'] }, 'not a tag', 'en'],
  ])('ui_locales: %s', async (_, extra, language, expected) => {
    const base = input(nick('alice'));
    const result = await login(nick('alice'), {
      request: { ...base.request, language },
      transaction: { ...base.transaction, ui_locales: 'ui_locales' in extra ? extra.ui_locales : language ? [language] : [] },
    });
    expect(claimsOf(tokenOf(result.redirectUrl)).ui_locales).toBe(expected);
  });

  it("leaves out claims Detour's schema would refuse rather than send them broken", async () => {
    const user = { ...nick('grace'), email: 'grace@localhost', name: 'Grace\u202e Example', given_name: 'G\u0000race' };
    user.user_metadata = { phone: 'x'.repeat(1001), country: 'SE', job_title: { title: 'CTO' } };
    const claims = claimsOf(tokenOf((await login(user)).redirectUrl));
    expect(claims).not.toHaveProperty('email');
    expect(claims).not.toHaveProperty('name');
    expect(claims.profile).toEqual({ country: 'SE' });
  });

  it('keeps the token under 4 KB by dropping the longest prefill values', async () => {
    const user = nick('heidi');
    user.user_metadata = { job_title: 'j'.repeat(1000), birth_date: 'b'.repeat(1000), phone: 'p'.repeat(900), country: 'c'.repeat(990), marketing_emails: true };
    const token = tokenOf((await login(user)).redirectUrl);
    expect(token.length).toBeLessThanOrEqual(3900);
    const profile = claimsOf(token).profile as Record<string, unknown>;
    expect(profile.marketing_emails).toBe(true);
    expect(Object.keys(profile).length).toBeLessThan(5);
  });
});

describe.each(TRIGGER_VERSIONS)('onExecutePostLogin on trigger %s: when it cannot redirect', (triggerVersion) => {
  // v2's canRedirect() can refuse for reasons of Auth0's own; on v3 there is no canRedirect() to ask.
  const refusedByAuth0: [string, Options][] = triggerVersion === 'v2' ? [['canRedirect() is false', { canRedirect: false }]] : [];
  const cannot: [string, Options][] = [...NON_INTERACTIVE_CASES.map((flow) => [flow.name, nonInteractive(flow)] as [string, Options]), ...refusedByAuth0].map(
    ([name, options]) => [name, { ...options, triggerVersion }],
  );

  it.each(cannot)('%s: a mandatory step denies with its code and a reason, without calling sendUserTo', async (_, options) => {
    const { result, sendUserTo } = await observedLogin(nick('alice'), options);
    expect(result.outcome).toBe('denied');
    expect(result.redirectUrl).toBeUndefined();
    expect(result.denyReason).toMatch(/^terms_not_accepted: before signing in you must accept terms version 2026-11-01, and .+\. Sign in interactively to continue\.$/);
    expect(result.appMetadata).toEqual({});
    expect(sendUserTo).not.toHaveBeenCalled();
  });

  it.each(cannot)('%s: optional steps only: the login goes on, without calling sendUserTo', async (_, options) => {
    const { result, sendUserTo } = await observedLogin(nick('grace'), { ...options, secrets: { ...SECRETS, OPTIONAL_STEPS: 'terms, profile' } });
    expect(result).toMatchObject({ outcome: 'completed', appMetadata: {} });
    expect(sendUserTo).not.toHaveBeenCalled();
  });

  it('names the first mandatory step when optional ones are also due', async () => {
    const result = await login(nick('heidi'), { ...transaction('oidc-basic-profile', ['none']), triggerVersion, secrets: { ...SECRETS, OPTIONAL_STEPS: 'password' } });
    expect(result.denyReason).toMatch(/^terms_not_accepted: before signing in you must accept terms version 2026-11-01, complete the profile, and/);
    const password = await login(nick('frank'), { ...transaction('oauth2-refresh-token'), triggerVersion });
    expect(password.denyReason).toMatch(/^password_change_required: .*refresh-token/);
    const profile = await login(nick('erin'), { ...transaction('oauth2-token-exchange'), triggerVersion });
    expect(profile.denyReason).toMatch(/^profile_incomplete: /);
  });

  it('still redirects for optional steps when it can', async () => {
    expect(await stepsOf(nick('grace'), { triggerVersion, secrets: { ...SECRETS, OPTIONAL_STEPS: 'profile' } })).toEqual(['terms', 'profile']);
  });

  it('lets a user who needs nothing through a prompt=none login', async () => {
    expect((await login(nick('carol'), { ...transaction('oidc-basic-profile', ['none']), triggerVersion })).outcome).toBe('completed');
  });
});

describe('onExecutePostLogin: the api of each trigger version', () => {
  it.each([
    { triggerVersion: 'v2' as const, canRedirectCalls: 1 },
    { triggerVersion: 'v3' as const, canRedirectCalls: undefined },
  ])('$triggerVersion: an interactive login is redirected once; canRedirect() asked $canRedirectCalls times (undefined: absent)', async ({ triggerVersion, canRedirectCalls }) => {
    const { result, canRedirect, sendUserTo } = await observedLogin(nick('alice'), { triggerVersion });
    expect(result.outcome).toBe('redirect');
    expect(sendUserTo).toHaveBeenCalledTimes(1);
    expect(canRedirect?.mock.calls.length).toBe(canRedirectCalls);
  });
});

describe('onExecutePostLogin: who is skipped', () => {
  it.each([
    ['a client not in CLIENT_IDS', { secrets: { ...SECRETS, CLIENT_IDS: 'other, more' } }],
    ['a machine-to-machine flow', transaction('oauth2-client-credentials')],
    ['a client not in CLIENT_IDS, even when the other secrets are broken', { secrets: { CLIENT_IDS: 'other' } }],
  ])('%s', async (_, options) => {
    expect(await login(nick('heidi'), options)).toMatchObject({ outcome: 'completed', appMetadata: {} });
  });

  it('a listed client goes through Detour', async () => {
    expect(await stepsOf(nick('alice'), { secrets: { ...SECRETS, CLIENT_IDS: 'other,app-1' } })).toEqual(['terms']);
  });
});

describe('onExecutePostLogin: misconfiguration denies with the secret named', () => {
  it.each([
    ['DETOUR_URL', { DETOUR_URL: '' }],
    ['DETOUR_URL', { DETOUR_URL: 'http://detour.example.com' }],
    ['DETOUR_URL', { DETOUR_URL: 'https://detour.example.com/?x=1' }],
    ['DETOUR_URL', { DETOUR_URL: 'https://detour.example.com/detour' }],
    ['SESSION_TOKEN_SECRET', { SESSION_TOKEN_SECRET: 'short' }],
    ['TERMS_VERSION', { TERMS_VERSION: '', TERMS_REACCEPT_FROM: '' }],
    ['TERMS_REACCEPT_FROM', { TERMS_VERSION: '' }],
    ['TERMS_VERSION', { TERMS_VERSION: '2026/11/01' }],
    ['TERMS_REACCEPT_FROM', { TERMS_REACCEPT_FROM: '2026-12-01' }],
    ['TERMS_MAX_AGE_DAYS', { TERMS_MAX_AGE_DAYS: 'a year' }],
    ['PASSWORD_MAX_AGE_DAYS', { PASSWORD_MAX_AGE_DAYS: '-1' }],
    ['PROFILE_FIELDS', { PROFILE_FIELDS: 'phone,job_title:root' }],
    ['PROFILE_FIELDS', { PROFILE_FIELDS: 'bad id' }],
    ['REQUIRED_PROFILE_FIELDS', { REQUIRED_PROFILE_FIELDS: 'phone,$where' }],
    ['OPTIONAL_STEPS', { OPTIONAL_STEPS: 'terms,mfa' }],
    ['REQUIREMENTS_URL', { REQUIREMENTS_URL: 'ftp://detour.example.com/api/requirements' }],
  ])('%s (%j)', async (name, change) => {
    const secrets = Object.fromEntries(Object.entries({ ...SECRETS, ...change }).filter(([, v]) => v !== ''));
    const result = await login(nick('carol'), { secrets });
    expect(result.outcome).toBe('denied');
    expect(result.denyReason).toMatch(new RegExp(`^detour_misconfigured: the Detour Action cannot run: secret ${name} `));
  });

  it('accepts http for a loopback Detour (the local tenant)', async () => {
    expect(await stepsOf(nick('alice'), { secrets: { ...SECRETS, DETOUR_URL: 'http://127.0.0.1:3000' } })).toEqual(['terms']);
  });
});

describe('onExecutePostLogin: REQUIREMENTS_URL', () => {
  const URL_SECRET = 'https://detour.example.com/api/requirements';
  const answer = (body: unknown, status = 200) => vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
  const bump = { terms: { current: '2026-12-01', reaccept_from: '2026-12-01' }, profile: { required: ['given_name', 'job_title'] } };
  const withUrl = (secrets: Record<string, string> = {}) => ({ ...CONNECTION_SECRETS, PROFILE_FIELDS: DECISION_SETTINGS.PROFILE_FIELDS, REQUIREMENTS_URL: URL_SECRET, ...secrets });
  const log = vi.spyOn(console, 'log');
  beforeEach(() => {
    log.mockReset();
    log.mockImplementation(() => {});
  });
  afterEach(() => log.mockReset());

  it('replaces the terms and profile secrets with the answer, and caches it', async () => {
    const fetchMock = answer(bump);
    vi.stubGlobal('fetch', fetchMock);
    const cache: ActionCache = new Map();
    const erin = { ...nick('erin'), user_metadata: { job_title: 'Designer' }, given_name: 'Erin' };
    expect(await stepsOf(erin, { cache, secrets: withUrl() })).toEqual(['terms']);
    expect(await stepsOf(nick('carol'), { cache, secrets: withUrl() })).toEqual(['terms']);
    expect(await stepsOf(nick('alice'), { cache, secrets: withUrl() })).toEqual(['terms', 'profile']);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0]).toMatchObject([URL_SECRET, { redirect: 'error', headers: { accept: 'application/json' } }]);
  });

  it('falls back to the secrets when the answer is unusable, and names the version it asks for', async () => {
    for (const failing of [answer({ error: 'nope' }, 503), answer({ terms: { current: 'no spaces allowed' } }), vi.fn(() => Promise.reject(new TypeError('fetch failed')))]) {
      vi.stubGlobal('fetch', failing);
      expect(await stepsOf(nick('ivan'), { secrets: withUrl({ TERMS_VERSION: '2026-11-01', REQUIRED_PROFILE_FIELDS: 'given_name' }) })).toEqual(['terms']);
      expect(failing).toHaveBeenCalledTimes(1);
    }
    // One line per failure in the Action's logs, naming the cause and the fallback, never a secret.
    expect(log.mock.calls.map((call: unknown[]) => String(call[0]))).toEqual([
      'Detour: REQUIREMENTS_URL could not be read (HTTP 503); using the secrets',
      'Detour: REQUIREMENTS_URL could not be read (unexpected answer); using the secrets',
      'Detour: REQUIREMENTS_URL could not be read (fetch failed); using the secrets',
    ]);
  });

  it('uses the last cached answer when Detour cannot be reached', async () => {
    const cache: ActionCache = new Map();
    vi.stubGlobal('fetch', answer(bump));
    await login(nick('carol'), { cache, secrets: withUrl() });
    for (const record of cache.values()) record.value = record.value.replace(/"at":\d+/, `"at":${Date.now() - 10 * 60 * 1000}`);
    const down = vi.fn(() => Promise.reject(new Error('ECONNREFUSED')));
    vi.stubGlobal('fetch', down);
    expect(await stepsOf(nick('carol'), { cache, secrets: withUrl() })).toEqual(['terms']);
    expect(down).toHaveBeenCalledTimes(1);
  });

  it('gives up after a timeout', async () => {
    vi.useFakeTimers();
    try {
      vi.stubGlobal('fetch', (_url: string, init: RequestInit) => new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })))));
      const pending = login(nick('carol'), { secrets: withUrl({ TERMS_VERSION: TERMS }) });
      await vi.advanceTimersByTimeAsync(2600);
      expect((await pending).outcome).toBe('completed');
    } finally {
      vi.useRealTimers();
    }
  });

  it('without an answer, a cache or TERMS_VERSION: denies when terms are mandatory, skips them when optional', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new Error('ECONNREFUSED'))));
    const denied = await login(nick('carol'), { secrets: withUrl() });
    expect(denied.denyReason).toMatch(/^detour_unavailable: the sign-in requirements could not be loaded from REQUIREMENTS_URL/);
    expect((await login(nick('carol'), { secrets: withUrl({ OPTIONAL_STEPS: 'terms' }) })).outcome).toBe('completed');
    // The password step does not depend on the requirements.
    expect(await stepsOf(nick('frank'), { secrets: withUrl({ OPTIONAL_STEPS: 'terms' }) })).toEqual(['password']);
  });
});

describe('onContinuePostLogin', () => {
  const STATE = 'opaque-state-123';
  const PENDING = 'pending-jti-0123456789';

  function pendingUser(name: string, steps: string[], extra: Record<string, unknown> = {}): PublicUser {
    const user = nick(name);
    user.app_metadata = { ...user.app_metadata, detour_pending_jti: PENDING, detour_pending_steps: steps, ...extra };
    return user;
  }
  const resume = (user: PublicUser, body: Record<string, unknown>, options: Options = {}) => {
    const base = input(user, options);
    return runPostLogin(action, { ...base, continueState: STATE, request: { ...base.request, query: { state: STATE }, body: { state: STATE, ...body } } }, 'continue');
  };
  const token = (extra: Partial<Parameters<typeof signReturnToken>[0]> = {}) =>
    signReturnToken({ sub: 'auth0|alice', state: STATE, aud: HOST, iss: DETOUR, jti: PENDING, ...extra });
  const cleared = { detour_pending_jti: null, detour_pending_steps: null };

  it('accepts a valid answer and removes the pending jti', async () => {
    const result = await resume(pendingUser('alice', ['terms']), { session_token: await token() });
    expect(result).toMatchObject({ outcome: 'completed', appMetadata: cleared, userMetadata: {} });
  });

  it('accepts the round trip from onExecutePostLogin (the jti it stored)', async () => {
    const first = await login(nick('alice'));
    const user = nick('alice');
    Object.assign(user.app_metadata, first.appMetadata);
    const jti = String(claimsOf(tokenOf(first.redirectUrl)).jti);
    expect((await resume(user, { session_token: await token({ jti }) })).outcome).toBe('completed');
  });

  it.each([
    ['a tampered token', async () => tamper(await token({ completed: [] }), (claims) => (claims.completed = ['terms'])), 'Failed signature validation'],
    ['another secret', () => token({ secret: 'y'.repeat(40) }), 'Failed signature validation'],
    ['an expired token', () => token({ iatOffset: -300 }), 'Token has expired.'],
    ['another user (sub)', () => token({ sub: 'auth0|bob' }), 'The sub claim does not match the user_id.'],
    ['another state', () => token({ state: 'other' }), 'State in the token does not match the /continue state.'],
    ['a typ other than JWT', () => token({ typ: 'at+jwt' }), 'Unexpected token payload type'],
    ['a wrong jti', () => token({ jti: 'another-jti-0123456789' }), 'jti mismatch'],
    ['an issuer other than DETOUR_URL', () => token({ iss: 'https://evil.example' }), 'comes from https://evil.example, not DETOUR_URL'],
  ])('denies %s', async (_, make, message) => {
    const result = await resume(pendingUser('alice', ['terms']), { session_token: await make() });
    expect(result.outcome).toBe('denied');
    expect(result.denyReason).toMatch(/^detour_invalid_answer: /);
    expect(result.denyReason).toContain(message);
  });

  it('denies when no jti was stored, and when the token is missing', async () => {
    const noPending = await resume(nick('alice'), { session_token: await token() });
    expect(noPending.denyReason).toContain('jti mismatch');
    const missing = await resume(pendingUser('alice', ['terms']), {});
    expect(missing.denyReason).toContain("There is no parameter called 'session_token'");
  });

  it('denies a mandatory step that Detour did not complete, and passes an optional one', async () => {
    const user = pendingUser('alice', ['terms', 'profile']);
    const incomplete = await resume(user, { session_token: await token({ completed: ['terms'] }) });
    expect(incomplete.denyReason).toBe('profile_incomplete: Detour did not report the profile step as completed.');
    const optional = await resume(user, { session_token: await token({ completed: ['terms'] }) }, { secrets: { ...SECRETS, OPTIONAL_STEPS: 'profile' } });
    expect(optional.outcome).toBe('completed');
  });

  it('denies terms accepted below TERMS_REACCEPT_FROM, or reported without a version', async () => {
    const old = await resume(pendingUser('alice', ['terms']), { session_token: await token({ terms: { version: '2025-01-01', accepted_at: 'x' } }) });
    expect(old.denyReason).toBe('terms_not_accepted: Detour reported terms version 2025-01-01, but 2026-11-01 or later must be accepted.');
    const none = await resume(pendingUser('alice', ['terms']), { session_token: await token({ terms: null }) });
    expect(none.denyReason).toMatch(/^detour_invalid_answer: the terms result/);
  });

  it('writes the steps named in persist_in_action (never a root attribute), and nothing else', async () => {
    const user = pendingUser('grace', ['terms', 'profile'], { terms_reset: true });
    const session_token = await token({
      sub: 'auth0|grace',
      completed: ['terms', 'profile'],
      terms: { version: TERMS, accepted_at: '2026-11-26T10:00:00.000Z' },
      extra: {
        profile: { given_name: 'Grace', family_name: 'Hopper', phone: '+14155550199', country: 'US', marketing_emails: true, nested: { no: 1 } },
        persist_in_action: ['terms', 'profile'],
      },
    });
    const result = await resume(user, { session_token });
    expect(result.outcome).toBe('completed');
    expect(result.appMetadata).toEqual({ ...cleared, terms_accepted_version: TERMS, terms_accepted_at: '2026-11-26T10:00:00.000Z', terms_reset: null });
    expect(result.userMetadata).toEqual({ phone: '+14155550199', country: 'US', marketing_emails: true });

    const managed = await resume(pendingUser('grace', ['terms', 'profile']), {
      session_token: await token({ sub: 'auth0|grace', completed: ['terms', 'profile'], extra: { profile: { phone: '+1' } } }),
    });
    expect(managed).toMatchObject({ appMetadata: cleared, userMetadata: {} });
  });

  it('clears force_password_change and records when the password changed', async () => {
    const user = pendingUser('frank', ['password']);
    const result = await resume(user, {
      session_token: await token({ sub: 'auth0|frank', completed: ['password'], terms: null, extra: { password: { changed_at: '2026-11-26T10:00:00.000Z' } } }),
    });
    expect(result.appMetadata).toEqual({ ...cleared, force_password_change: null, password_changed_at: '2026-11-26T10:00:00.000Z' });
  });

  it('denies when misconfigured at resume time', async () => {
    const result = await resume(pendingUser('alice', ['terms']), { session_token: await token() }, { secrets: { ...SECRETS, SESSION_TOKEN_SECRET: '' } });
    expect(result.denyReason).toMatch(/^detour_misconfigured: .*SESSION_TOKEN_SECRET/);
  });
});

describe('a social user', () => {
  it('is never asked for a password, and gets its connection name', async () => {
    const user = { ...completeUser(), user_id: 'google-oauth2|x', app_metadata: { force_password_change: true } };
    const result = await login(user, { connection: SOCIAL });
    const claims = claimsOf(tokenOf(result.redirectUrl));
    expect(claims).toMatchObject({ steps: ['terms'], connection: 'google-oauth2' });
  });
});
