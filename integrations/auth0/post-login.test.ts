import { jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { DEV_SESSION_TOKEN_SECRET, TRIGGER_VERSIONS } from '../../e2e/local-tenant/config';
import { loadAction, runPostLogin, type ActionCache, type ExecutionInput, type PostLoginAction } from '../../e2e/local-tenant/runtime';
import { claimsOf, key, signReturnToken, tamper } from '../../e2e/local-tenant/test-helpers';
import { BERLIN, connectionOf, geoipOf, KNOWN_IN_BERLIN, LISBON, publicUser, seedUsers, type Geoip, type PublicUser } from '../../e2e/local-tenant/users';
import {
  completeUser,
  DATABASE,
  DECISION_CASES,
  DECISION_SETTINGS,
  NON_INTERACTIVE_CASES,
  SEEDED_DENIED,
  SEEDED_STEPS,
  settingsFor,
  SOCIAL,
  TERMS,
  userFor,
  VERIFY_CASES,
  verifyUserFor,
  type NonInteractiveCase,
  type VerifyCase,
} from './decision-cases';

const HOST = 'tenant.eu.auth0.com';
const DETOUR = 'https://detour.example.com';
const CONNECTION_SECRETS = { DETOUR_URL: `${DETOUR}/`, SESSION_TOKEN_SECRET: DEV_SESSION_TOKEN_SECRET };
const SECRETS = { ...CONNECTION_SECRETS, ...DECISION_SETTINGS };
const seeded = Object.fromEntries(seedUsers(TERMS).map((u) => [u.nickname, u]));
const action = loadAction(); // evaluated as Auth0 does, with only Node built-ins available to require()
const REQUEST = { ip: '203.0.113.7', hostname: HOST, method: 'POST', language: 'fr', query: {}, body: {}, geoip: BERLIN };
const VERIFY_METHOD = `${DETOUR}/verify/email`;

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

  const fromSeed = (name: string): Options => ({ connection: connectionOf(seeded[name]!), request: { ...REQUEST, geoip: geoipOf(seeded[name]!) }, triggerVersion });
  it.each(Object.entries(SEEDED_STEPS))('seeded %s needs %j with the default secrets', async (name, steps) => {
    expect(await stepsOf(nick(name), fromSeed(name))).toEqual(steps);
  });

  it.each(Object.entries(SEEDED_DENIED))('seeded %s is denied with %s', async (name, code) => {
    expect((await login(nick(name), fromSeed(name))).denyReason).toMatch(new RegExp(`^${code}: `));
  });
});

/** The login of a verify case: its geoip, settings, grant and session methods. */
function verifyOptions(testCase: VerifyCase, triggerVersion: 'v2' | 'v3'): Options {
  return {
    secrets: settingsFor({ name: testCase.name, steps: [], settings: testCase.settings }, CONNECTION_SECRETS),
    request: { ...REQUEST, geoip: (testCase.geoip ?? BERLIN) as Geoip },
    triggerVersion,
    sessionMethods: (testCase.sessionMethods ?? []).map((name) => ({ name: name.startsWith('/') ? `${DETOUR}${name}` : name, timestamp: new Date().toISOString() })),
    ...(testCase.protocol ? transaction(testCase.protocol) : {}),
  };
}

describe.each(TRIGGER_VERSIONS)('onExecutePostLogin on trigger %s: who is asked to verify', (triggerVersion) => {
  const log = vi.spyOn(console, 'log');
  beforeEach(() => log.mockReset().mockImplementation(() => {}));
  afterEach(() => log.mockReset());

  // Custom methods exist on v3 only, so a session cannot hold a verification on v2.
  const cases = VERIFY_CASES.filter((c) => triggerVersion === 'v3' || !c.sessionMethods);
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, testCase) => {
    const result = await login(verifyUserFor(testCase), verifyOptions(testCase, triggerVersion));
    if (testCase.deny) {
      expect(result.outcome).toBe('denied');
      expect(result.denyReason).toMatch(new RegExp(`^${testCase.deny}: `));
      return;
    }
    expect(result.denyReason).toBeUndefined();
    const claims = result.outcome === 'redirect' ? claimsOf(tokenOf(result.redirectUrl)) : {};
    expect(claims.steps ?? []).toEqual(testCase.steps);
    expect((claims.verify as { reason?: string } | undefined)?.reason).toBe(testCase.reason);
  });

  it('says in the log why a sign-in without a country is not asked', async () => {
    const user = verifyUserFor({ name: 'empty list', known: [], steps: [] });
    expect((await login(user, { request: { ...REQUEST, geoip: {} }, triggerVersion })).outcome).toBe('completed');
    expect(log.mock.calls.map((call: unknown[]) => String(call[0]))).toEqual([
      'Detour: event.request.geoip has no usable countryCode, so the verify step is not asked for this sign-in',
    ]);
  });
});

describe('onExecutePostLogin: the verify claim', () => {
  const fromLisbon = (geoip: Record<string, unknown> = {}) => login(nick('pablo'), { request: { ...REQUEST, geoip: { ...LISBON, ...geoip } } });

  it('names the place (country, region, city) and the reason, never coordinates or the IP address', async () => {
    const result = await fromLisbon();
    const claims = claimsOf(tokenOf(result.redirectUrl));
    expect(claims).toMatchObject({ steps: ['verify'], email: 'pablo@example.com' });
    expect(claims.verify).toEqual({ location: { country: 'PT', region: 'Lisbon', city: 'Lisbon' }, reason: 'new_location' });
    expect(JSON.stringify(claims.verify)).not.toMatch(/latitude|longitude|38\.7|-9\.1|203\.0\.113/);
    expect(result.appMetadata).toEqual({ detour_pending_jti: claims.jti, detour_pending_steps: ['verify'] });
  });

  it.each([
    ['a region over 100 characters', { subdivisionName: 'x'.repeat(101) }, { country: 'PT', city: 'Lisbon' }],
    ['a region with a bidi control', { subdivisionName: 'Lis\u202ebon' }, { country: 'PT', city: 'Lisbon' }],
    ['a blank city', { cityName: '  ' }, { country: 'PT', region: 'Lisbon' }],
    ['a city that is not a string', { cityName: 42 }, { country: 'PT', region: 'Lisbon' }],
    ['no region or city', { subdivisionName: undefined, cityName: undefined }, { country: 'PT' }],
    ['a lower-case country', { countryCode: 'pt' }, { country: 'PT', region: 'Lisbon', city: 'Lisbon' }],
  ])('leaves out what Detour would refuse: %s', async (_, geoip, location) => {
    expect(claimsOf(tokenOf((await fromLisbon(geoip)).redirectUrl)).verify).toEqual({ location, reason: 'new_location' });
  });

  it('has no verify claim when verify is not among the steps', async () => {
    expect(claimsOf(tokenOf((await login(nick('alice'))).redirectUrl))).not.toHaveProperty('verify');
  });

  it('denies a user without a verified email with a sentence saying why', async () => {
    const result = await login(nick('quentin'), { request: { ...REQUEST, geoip: LISBON } });
    expect(result.denyReason).toBe(
      'verification_required: this sign-in comes from a new place and must be confirmed by email, but the account has no verified email address. Verify the email address (or ask your administrator to), then sign in again.',
    );
  });

  it('names the verify step when a login that cannot show a page is denied', async () => {
    const result = await login(nick('pablo'), { request: { ...REQUEST, geoip: LISBON }, ...transaction('oidc-basic-profile', ['none']) });
    expect(result.denyReason).toBe(
      'verification_required: before signing in you must confirm this sign-in with a code sent by email, and this sign-in asked for no interaction (prompt=none). Sign in interactively to continue.',
    );
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
    ['VERIFY_NEW_LOCATIONS', { VERIFY_NEW_LOCATIONS: 'city' }],
    ['VERIFY_MAX_AGE_DAYS', { VERIFY_MAX_AGE_DAYS: '0' }],
    ['VERIFY_MAX_AGE_DAYS', { VERIFY_MAX_AGE_DAYS: 'a month' }],
    ['KNOWN_LOCATIONS_MAX', { KNOWN_LOCATIONS_MAX: '0' }],
    ['KNOWN_LOCATIONS_MAX', { KNOWN_LOCATIONS_MAX: '51' }],
    ['KNOWN_LOCATIONS_MAX', { KNOWN_LOCATIONS_MAX: 'ten' }],
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

  describe('the verify section', () => {
    const current = { terms: { current: TERMS, reaccept_from: TERMS }, profile: { required: ['given_name'] } };
    const verifying = (verify: Record<string, unknown>) => ({ ...current, verify });
    const fromLisbon = { request: { ...REQUEST, geoip: LISBON } };
    const fromMunich = { request: { ...REQUEST, geoip: { ...BERLIN, subdivisionName: 'Bavaria', cityName: 'Munich' } } };
    const verifyStep = async (answerBody: unknown, secrets: Record<string, string>, options: Options = fromLisbon) => {
      vi.stubGlobal('fetch', answer(answerBody));
      return stepsOf(nick('pablo'), { ...options, secrets: withUrl(secrets) });
    };

    it.each([
      ['asks when the answer enables it and no secret does', verifying({ match: 'country', max_age_days: null, known_locations_max: 10 }), {}, fromLisbon, ['verify']],
      ['the answer wins over the secrets (region, where the secret says country)', verifying({ match: 'region', max_age_days: 30, known_locations_max: 5 }), { VERIFY_NEW_LOCATIONS: 'country' }, fromMunich, ['verify']],
      ['an answer without verify and no secret: never asked', current, {}, fromLisbon, []],
      ['an answer without verify: the secret decides', current, { VERIFY_NEW_LOCATIONS: 'country' }, fromLisbon, ['verify']],
    ] as const)('%s', async (_, body, secrets, options, steps) => {
      expect(await verifyStep(body, secrets, options)).toEqual(steps);
    });

    it.each([
      ['an unknown match', { match: 'city', max_age_days: null, known_locations_max: 10 }],
      ['a max_age_days of 0', { match: 'country', max_age_days: 0, known_locations_max: 10 }],
      ['a max_age_days that is not a whole number', { match: 'country', max_age_days: 1.5, known_locations_max: 10 }],
      ['known_locations_max over 50', { match: 'country', max_age_days: null, known_locations_max: 51 }],
      ['no known_locations_max', { match: 'country', max_age_days: null }],
    ])('refuses the whole answer for %s (then the secrets decide)', async (_, verify) => {
      expect(await verifyStep(verifying(verify), { TERMS_VERSION: TERMS })).toEqual([]);
      expect(log.mock.calls.map((call: unknown[]) => String(call[0]))).toEqual(['Detour: REQUIREMENTS_URL could not be read (unexpected answer); using the secrets']);
    });

    it('keeps the verify section in the cache, and onContinuePostLogin caps the known locations with it', async () => {
      const fetchMock = answer(verifying({ match: 'country', max_age_days: null, known_locations_max: 1 }));
      vi.stubGlobal('fetch', fetchMock);
      const cache: ActionCache = new Map();
      const first = await login(nick('pablo'), { ...fromLisbon, cache, secrets: withUrl() });
      expect(await stepsOf(nick('pablo'), { ...fromLisbon, cache, secrets: withUrl() })).toEqual(['verify']);
      expect(fetchMock).toHaveBeenCalledTimes(1);

      const user = nick('pablo');
      Object.assign(user.app_metadata, first.appMetadata);
      const claims = claimsOf(tokenOf(first.redirectUrl));
      const session_token = await signReturnToken({
        sub: 'auth0|pablo',
        state: 'st',
        aud: HOST,
        iss: DETOUR,
        jti: String(claims.jti),
        completed: ['verify'],
        terms: null,
        extra: { verify: { method: 'email_otp', at: '2026-11-26T10:00:00.000Z', location: { country: 'PT', region: 'Lisbon', city: 'Lisbon' } } },
      });
      const base = input(user, { cache, secrets: withUrl() });
      const resumed = await runPostLogin(action, { ...base, continueState: 'st', request: { ...base.request, query: { state: 'st' }, body: { state: 'st', session_token } } }, 'continue');
      expect(resumed.appMetadata.detour_known_locations).toEqual([{ country: 'PT', region: 'Lisbon', verified_at: '2026-11-26T10:00:00.000Z' }]);
    });
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

  describe('after the verify step', () => {
    const AT = '2026-11-26T10:00:00.000Z';
    const BERLIN_KNOWN = { country: 'DE', region: 'Berlin', verified_at: '2025-01-01T00:00:00.000Z' };
    const LISBON_RESULT = { method: 'email_otp', at: AT, location: { country: 'PT', region: 'Lisbon', city: 'Lisbon' } };
    const verified = (verify: unknown = LISBON_RESULT, completed = ['verify']) =>
      token({ sub: 'auth0|pablo', completed, terms: null, extra: { verify } });
    const pablo = (known?: unknown[]) => pendingUser('pablo', ['verify'], known ? { detour_known_locations: known } : {});
    const place = (country: string, region?: string, verified_at = '2025-06-01T00:00:00.000Z') => ({ country, ...(region ? { region } : {}), verified_at });

    it.each(TRIGGER_VERSIONS)('%s: adds the place (country and region, never the city) at the end of the known locations', async (triggerVersion) => {
      const result = await resume(pablo(), { session_token: await verified() }, { triggerVersion });
      expect(result).toMatchObject({ outcome: 'completed', userMetadata: {} });
      expect(result.appMetadata).toEqual({ ...cleared, detour_known_locations: [BERLIN_KNOWN, { country: 'PT', region: 'Lisbon', verified_at: AT }] });
    });

    it.each([
      { triggerVersion: 'v3' as const, recorded: [VERIFY_METHOD] },
      { triggerVersion: 'v2' as const, recorded: [] },
    ])('$triggerVersion: records the method $recorded on the session', async ({ triggerVersion, recorded }) => {
      const result = await resume(pablo(), { session_token: await verified() }, { triggerVersion });
      expect(result.recordedMethods.map((method) => method.name)).toEqual(recorded);
    });

    it('records nothing after the other steps', async () => {
      expect((await resume(pendingUser('alice', ['terms']), { session_token: await token() })).recordedMethods).toEqual([]);
    });

    it.each([
      ['refreshes a known place and moves it to the end', [place('PT', 'Lisbon', '2025-01-01T00:00:00.000Z'), place('DE', 'Berlin')], [place('DE', 'Berlin'), place('PT', 'Lisbon', AT)], {}],
      ['keeps the same country with another region apart', [place('PT'), place('DE', 'Berlin')], [place('PT'), place('DE', 'Berlin'), place('PT', 'Lisbon', AT)], {}],
      ['drops the oldest beyond KNOWN_LOCATIONS_MAX', [place('FR'), place('ES'), place('DE', 'Berlin')], [place('ES'), place('DE', 'Berlin'), place('PT', 'Lisbon', AT)], { KNOWN_LOCATIONS_MAX: '3' }],
      ['keeps 10 by default', Array.from({ length: 10 }, (_, i) => place(`A${String.fromCharCode(65 + i)}`)), [...Array.from({ length: 9 }, (_, i) => place(`A${String.fromCharCode(66 + i)}`)), place('PT', 'Lisbon', AT)], {}],
      ['drops malformed entries', [place('DE', 'Berlin'), { country: 'Germany' }, 'PT', null], [place('DE', 'Berlin'), place('PT', 'Lisbon', AT)], {}],
    ])('%s', async (_, known, expected, secrets) => {
      const result = await resume(pablo(known), { session_token: await verified() }, { secrets: { ...SECRETS, ...secrets } });
      expect(result.appMetadata.detour_known_locations).toEqual(expected);
    });

    it.each([
      ['no verify result', null, 'the verify result does not name the email_otp method'],
      ['another method', { ...LISBON_RESULT, method: 'sms_otp' }, 'the verify result does not name the email_otp method'],
      ['no time', { ...LISBON_RESULT, at: undefined }, 'the verify result is missing its time'],
      ['a time that is not a date', { ...LISBON_RESULT, at: 'just now' }, 'the verify result is missing its time'],
      ['no location', { ...LISBON_RESULT, location: undefined }, 'the verify result is missing its location'],
      ['a lower-case country', { ...LISBON_RESULT, location: { country: 'pt' } }, 'the verify result is missing its location'],
      ['a region with a control character', { ...LISBON_RESULT, location: { country: 'PT', region: 'Lis\nbon' } }, 'the verify result is missing its location'],
    ])('denies %s and writes no location', async (_, verify, message) => {
      const result = await resume(pablo(), { session_token: await verified(verify) });
      expect(result.denyReason).toBe(`detour_invalid_answer: ${message}.`);
      expect(result.appMetadata).toEqual(cleared);
      expect(result.recordedMethods).toEqual([]);
    });

    it('denies a verify step Detour did not complete, and passes it when optional', async () => {
      const user = pendingUser('pablo', ['verify', 'terms']);
      const session_token = await token({ sub: 'auth0|pablo', completed: ['terms'] });
      expect((await resume(user, { session_token })).denyReason).toBe('verification_required: Detour did not report the verify step as completed.');
      const optional = await resume(user, { session_token }, { secrets: { ...SECRETS, OPTIONAL_STEPS: 'verify' } });
      expect(optional).toMatchObject({ outcome: 'completed', appMetadata: cleared, recordedMethods: [] });
    });
  });

  it('denies when misconfigured at resume time', async () => {
    const result = await resume(pendingUser('alice', ['terms']), { session_token: await token() }, { secrets: { ...SECRETS, SESSION_TOKEN_SECRET: '' } });
    expect(result.denyReason).toMatch(/^detour_misconfigured: .*SESSION_TOKEN_SECRET/);
  });
});

describe('a social user', () => {
  it('is never asked for a password, and gets its connection name', async () => {
    const user = { ...completeUser(), user_id: 'google-oauth2|x', app_metadata: { force_password_change: true, detour_known_locations: KNOWN_IN_BERLIN } };
    const result = await login(user, { connection: SOCIAL });
    const claims = claimsOf(tokenOf(result.redirectUrl));
    expect(claims).toMatchObject({ steps: ['terms'], connection: 'google-oauth2' });
  });
});
