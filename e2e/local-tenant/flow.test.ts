import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TRIGGER_VERSIONS } from './config';
import { startLocalTenant, type LocalTenant } from './main';
import {
  appMetadataOf,
  claimsOf,
  DETOUR_URL,
  denyReasonOf,
  key,
  login,
  managementPatch,
  outcomeOf,
  postContinue,
  rootAttributesOf,
  signReturnToken,
  userMetadataOf,
} from './test-helpers';
import { KNOWN_IN_BERLIN } from './users';

const SEEDED = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'judy', 'kate', 'ivan'];
/** Seeded users who sign in from Lisbon but know Berlin: the Action asks them to verify (the Rule cannot). */
const FROM_LISBON = ['pablo', 'quentin'];
const idOf = (nick: string) => (nick === 'dave' ? 'google-oauth2|dave' : `auth0|${nick}`);

let tenant: LocalTenant;
beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0 });
});
afterAll(() => tenant.close());
beforeEach(() => fetch(`${tenant.url}/__reset`, { method: 'POST' }));

const setSecrets = (url: string, secrets: Record<string, string | null>) =>
  fetch(`${url}/__secrets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(secrets) });

/** A login started at the sample app: stops at Detour's door (302) or ends on the app's page. */
async function loginAs(nick: string, extra: Record<string, string> = {}, at: LocalTenant = tenant) {
  const res = await login(at, idOf(nick), extra);
  const sessionToken = res.params.get('session_token') ?? res.params.get('token') ?? '';
  return { ...res, state: res.params.get('state') ?? '', sessionToken, claims: claimsOf(sessionToken) };
}

/** The steps each seeded user is sent with right now ([] when not redirected). */
async function stepsByUser(at: LocalTenant = tenant): Promise<Record<string, unknown>> {
  const steps: Record<string, unknown> = {};
  for (const nick of SEEDED) {
    const res = await loginAs(nick, {}, at);
    steps[nick] = res.status === 302 ? res.claims.steps : outcomeOf(res.html);
  }
  return steps;
}

describe('login', () => {
  it('serves a login page with the seeded users and no script (through the sample app when opened directly)', async () => {
    const html = await (await fetch(tenant.url)).text();
    expect(html).toContain('Signing in to local-app, back to ' + `${tenant.appUrl}/callback`);
    for (const nick of [...SEEDED, ...FROM_LISBON]) expect(html).toContain(`data-testid="login-${nick}"`);
    expect(html).toContain('profile missing given_name, family_name, phone, country');
    expect(html).not.toMatch(/<script/i);
  });

  it('redirects alice to Detour /start with a session token and a state', async () => {
    const res = await loginAs('alice', { language: 'de' });
    expect(res.status).toBe(302);
    expect(res.location?.startsWith(`${DETOUR_URL}/start?session_token=`)).toBe(true);
    expect(res.state).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it("signs the session token as Auth0's encodeToken does (iss = host:port, no scheme)", async () => {
    const { sessionToken } = await loginAs('alice', { language: 'de' });
    const { payload, protectedHeader } = await jwtVerify(sessionToken, key(), { algorithms: ['HS256'] });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload.iss).toBe(`127.0.0.1:${tenant.port}`);
    expect(payload).toMatchObject({
      sub: 'auth0|alice',
      aud: DETOUR_URL,
      steps: ['terms'],
      email: 'alice@example.com',
      name: 'Alice Example',
      ui_locales: 'de',
      connection: 'Username-Password-Authentication',
      ip: '127.0.0.1',
    });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('saves the pending jti on the user before the redirect, as Auth0 does when the Action finishes', async () => {
    const { claims } = await loginAs('grace');
    const stored = (await (await fetch(`${tenant.url}/__users/auth0%7Cgrace`)).json()) as { app_metadata: Record<string, unknown> };
    expect(stored.app_metadata).toMatchObject({ detour_pending_jti: claims.jti, detour_pending_steps: ['terms', 'profile'] });
  });

  it('sends each seeded user with the steps it needs, all in one redirect', async () => {
    expect(await stepsByUser()).toEqual({
      alice: ['terms'],
      bob: ['terms'],
      carol: 'completed',
      dave: 'completed',
      erin: ['profile'],
      frank: ['password'],
      grace: ['terms', 'profile'],
      heidi: ['password', 'terms', 'profile'],
      judy: ['password', 'terms', 'profile'],
      kate: ['password', 'terms'],
      ivan: ['terms'],
    });
  });

  it('never redirects a user who needs nothing', async () => {
    for (const nick of ['carol', 'dave']) {
      const res = await loginAs(nick);
      expect(res.status).toBe(200);
      expect(new URL(res.url).origin).toBe(tenant.appUrl);
      expect(outcomeOf(res.html)).toBe('completed');
      expect(res.html).toContain(`Signed in as ${nick}`);
    }
    const calls = await (await fetch(`${tenant.url}/__calls`)).json();
    expect(calls.logins.map((l: { outcome: string }) => l.outcome)).toEqual(['completed', 'completed']);
  });

  it('never redirects a prompt=none login: denied when a step is due, through otherwise', async () => {
    for (const nick of SEEDED) {
      const res = await loginAs(nick, { prompt: 'none' });
      expect(res.status).not.toBe(302);
      const due = !['carol', 'dave'].includes(nick);
      expect(outcomeOf(res.html)).toBe(due ? 'denied' : 'completed');
      if (due) expect(denyReasonOf(res.html)).toMatch(/^(terms_not_accepted|profile_incomplete|password_change_required): .*prompt=none/);
    }
  });

  it('refuses an unknown user', async () => {
    expect((await login(tenant, 'auth0|nobody')).status).toBe(400);
  });
});

describe('/continue', () => {
  const aud = () => `127.0.0.1:${tenant.port}`;

  it('completes with a valid return token and shows metadata written during the detour', async () => {
    const { browser, state, claims } = await loginAs('alice', { language: 'de' });
    // What Detour does during the detour: a Management API write.
    const written = { terms_accepted_version: '2026-11-01', terms_accepted_at: '2026-11-26T10:00:00.000Z' };
    expect((await managementPatch(tenant.url, 'auth0|alice', { app_metadata: written })).status).toBe(200);
    const token = await signReturnToken({ sub: 'auth0|alice', state, aud: aud(), jti: String(claims.jti) });
    const res = await postContinue(browser, tenant.url, state, { session_token: token });
    expect(res.status).toBe(200);
    expect(outcomeOf(res.html)).toBe('completed');
    expect(res.html).toContain('Signed in as alice');
    expect(res.html).not.toContain('data-testid="password-changed"');
    expect(appMetadataOf(res.html)).toEqual({ ...written, detour_known_locations: KNOWN_IN_BERLIN });
    const calls = await (await fetch(`${tenant.url}/__calls`)).json();
    expect(calls.continues).toMatchObject([{ user_id: 'auth0|alice', outcome: 'completed' }]);
  });

  it('takes a user who needs all three steps through one redirect, and onContinuePostLogin accepts', async () => {
    const { browser, status, state, claims } = await loginAs('heidi');
    expect(status).toBe(302);
    expect(claims.steps).toEqual(['password', 'terms', 'profile']);
    // Detour: the password and the terms through the Management API, the root attributes too; the metadata
    // fields of the profile are left to the Action (persist: "action").
    expect((await managementPatch(tenant.url, 'auth0|heidi', { password: 'A-new-Passw0rd-2026', connection: claims.connection })).status).toBe(200);
    const accepted = { terms_accepted_version: '2026-11-01', terms_accepted_at: '2026-11-26T10:00:00.000Z' };
    expect((await managementPatch(tenant.url, 'auth0|heidi', { app_metadata: accepted, given_name: 'Heidi', family_name: 'Lamarr' })).status).toBe(200);
    const token = await signReturnToken({
      sub: 'auth0|heidi',
      state,
      aud: aud(),
      jti: String(claims.jti),
      completed: ['password', 'terms', 'profile'],
      terms: { version: '2026-11-01', accepted_at: accepted.terms_accepted_at },
      extra: {
        password: { changed_at: '2026-11-26T10:00:05.000Z' },
        profile: { given_name: 'Heidi', family_name: 'Lamarr', phone: '+4930901820', country: 'DE' },
        persist_in_action: ['profile'],
      },
    });
    const res = await postContinue(browser, tenant.url, state, { session_token: token });
    expect(outcomeOf(res.html)).toBe('completed');
    expect(appMetadataOf(res.html)).toEqual({ ...accepted, password_changed_at: '2026-11-26T10:00:05.000Z', detour_known_locations: KNOWN_IN_BERLIN });
    expect(userMetadataOf(res.html)).toEqual({ phone: '+4930901820', country: 'DE' });
    expect(rootAttributesOf(res.html)).toEqual({ given_name: 'Heidi', family_name: 'Lamarr' });
    expect(res.html).toMatch(/data-testid="password-changed">Password changed at \d{4}-\d\d-\d\dT/);
    expect(res.html).not.toContain('A-new-Passw0rd-2026');
    // And the next login goes straight through.
    expect(outcomeOf((await loginAs('heidi')).html)).toBe('completed');
  });

  it.each([
    ['a state claim that differs', { state: 'some-other-state' }, 'The session token is invalid: State in the token does not match the /continue state.'],
    ['an expired token', { iatOffset: -120, lifetime: 60 }, 'Token has expired.'],
    ["another user's token", { sub: 'auth0|bob' }, 'The sub claim does not match the user_id.'],
    ['another secret', { secret: 'x'.repeat(48) }, 'Failed signature validation'],
    ['a jti it did not send', { jti: 'not-the-pending-jti' }, 'jti mismatch'],
    ['terms of an older version', { terms: { version: '2025-01-01', accepted_at: 'x' } }, 'terms_not_accepted: Detour reported terms version 2025-01-01'],
  ])('denies %s', async (_, change, reason) => {
    const { browser, state, claims } = await loginAs('alice');
    const token = await signReturnToken({ sub: 'auth0|alice', state, aud: aud(), jti: String(claims.jti), ...change });
    const res = await postContinue(browser, tenant.url, state, { session_token: token });
    expect(res.status).toBe(403);
    expect(outcomeOf(res.html)).toBe('denied');
    expect(denyReasonOf(res.html)).toContain(reason);
  });

  it('denies a missing token', async () => {
    const { browser, state } = await loginAs('alice');
    expect(denyReasonOf((await postContinue(browser, tenant.url, state, {})).html)).toContain("There is no parameter called 'session_token'");
  });

  it('answers 400 invalid_request for a missing, unknown or reused state', async () => {
    expect((await fetch(`${tenant.url}/continue`)).status).toBe(400);
    expect((await fetch(`${tenant.url}/continue?state=nope`)).status).toBe(400);
    const { browser, state, claims } = await loginAs('alice');
    const token = await signReturnToken({ sub: 'auth0|alice', state, aud: aud(), jti: String(claims.jti) });
    expect((await postContinue(browser, tenant.url, state, { session_token: token })).status).toBe(200);
    const again = await postContinue(browser, tenant.url, state, { session_token: token });
    expect(again.status).toBe(400);
    expect(again.html).toContain('data-error="invalid_request"');
  });

  it('accepts GET /continue with the token in the query string', async () => {
    const { browser, state, claims } = await loginAs('alice');
    const token = await signReturnToken({ sub: 'auth0|alice', state, aud: aud(), jti: String(claims.jti) });
    const res = await browser.open(`${tenant.url}/continue?state=${state}&session_token=${token}`);
    expect(outcomeOf(res.html)).toBe('completed');
  });
});

describe('terms versions', () => {
  it('a bump re-prompts exactly the users below the new re-acceptance line', async () => {
    // 2026-11-01 went out as a typo fix of 2026-10-15: whoever accepted 2026-10-15 (ivan) is not asked again.
    await setSecrets(tenant.url, { TERMS_VERSION: '2026-11-01', TERMS_REACCEPT_FROM: '2026-10-15' });
    const before = await stepsByUser();
    expect(Object.keys(before).filter((n) => Array.isArray(before[n]) && (before[n] as string[]).includes('terms'))).toEqual(['alice', 'bob', 'grace', 'heidi', 'judy', 'kate']);

    // The next material change moves the line to 2026-11-01: ivan (2026-10-15) is now below it, nobody else changes.
    await fetch(`${tenant.url}/__reset`, { method: 'POST' });
    await setSecrets(tenant.url, { TERMS_VERSION: '2026-11-01', TERMS_REACCEPT_FROM: '2026-11-01' });
    const after = await stepsByUser();
    expect(Object.keys(after).filter((n) => Array.isArray(after[n]) && (after[n] as string[]).includes('terms'))).toEqual(['alice', 'bob', 'grace', 'heidi', 'judy', 'kate', 'ivan']);
    expect(after.ivan).toEqual(['terms']);
    for (const nick of SEEDED.filter((n) => n !== 'ivan')) expect(after[nick]).toEqual(before[nick]);
  });

  it('a typo-fix release (TERMS_VERSION moves, TERMS_REACCEPT_FROM stays) re-prompts nobody', async () => {
    const before = await stepsByUser();
    await fetch(`${tenant.url}/__reset`, { method: 'POST' });
    await setSecrets(tenant.url, { TERMS_VERSION: '2026-11-20', TERMS_REACCEPT_FROM: '2026-11-01' });
    expect(await stepsByUser()).toEqual(before);
  });

  it('a material release re-prompts everyone, with the steps they already needed', async () => {
    await setSecrets(tenant.url, { TERMS_VERSION: '2026-12-01', TERMS_REACCEPT_FROM: '2026-12-01' });
    expect(await stepsByUser()).toEqual({
      alice: ['terms'],
      bob: ['terms'],
      carol: ['terms'],
      dave: ['terms'],
      erin: ['terms', 'profile'],
      frank: ['password', 'terms'],
      grace: ['terms', 'profile'],
      heidi: ['password', 'terms', 'profile'],
      judy: ['password', 'terms', 'profile'],
      kate: ['password', 'terms'],
      ivan: ['terms'],
    });
  });

  it('reads the versions from REQUIREMENTS_URL and caches the answer across logins', async () => {
    let requests = 0;
    const detour: Server = createServer((req, res) => {
      requests += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ terms: { current: '2026-12-01', reaccept_from: '2026-12-01' }, profile: { required: ['given_name'] } }));
    });
    await new Promise<void>((resolve) => detour.listen(0, '127.0.0.1', resolve));
    try {
      const port = (detour.address() as AddressInfo).port;
      await setSecrets(tenant.url, { REQUIREMENTS_URL: `http://127.0.0.1:${port}/api/requirements` });
      expect((await loginAs('carol')).claims.steps).toEqual(['terms']);
      expect((await loginAs('erin')).claims.steps).toEqual(['terms', 'profile']);
      expect(requests).toBe(1);
    } finally {
      detour.close();
    }
  });
});

describe('/__secrets', () => {
  it('shows the secrets the Action runs with (the shared secret masked) and refuses unknown names', async () => {
    const view = await (await fetch(`${tenant.url}/__secrets`)).json();
    expect(view).toMatchObject({
      protocol: 'actions',
      secrets: {
        TERMS_VERSION: '2026-11-01',
        TERMS_REACCEPT_FROM: '2026-11-01',
        PROFILE_FIELDS: 'given_name:root,family_name:root,phone,country,birth_date,job_title,marketing_emails',
        REQUIRED_PROFILE_FIELDS: 'given_name,family_name,phone,country',
        SESSION_TOKEN_SECRET: '[48 characters]',
      },
    });
    expect((await setSecrets(tenant.url, { NOT_A_SECRET: 'x' })).status).toBe(400);
    expect((await setSecrets(tenant.url, { OPTIONAL_STEPS: 'profile', REQUIRED_PROFILE_FIELDS: null })).status).toBe(200);
    const changed = await (await fetch(`${tenant.url}/__secrets`)).json();
    expect(changed.secrets.OPTIONAL_STEPS).toBe('profile');
    expect(changed.secrets).not.toHaveProperty('REQUIRED_PROFILE_FIELDS');
    expect(outcomeOf((await loginAs('erin')).html)).toBe('completed');
    await fetch(`${tenant.url}/__reset`, { method: 'POST' });
    expect((await loginAs('erin')).claims.steps).toEqual(['profile']);
  });

  it('is served to loopback callers only, like the rest of /__*', async () => {
    // The test runs on loopback; the check itself is shared with /__faults (management.test.ts).
    expect((await fetch(`${tenant.url}/__secrets`)).status).toBe(200);
  });
});

describe('trigger version (POST /__reset, GET /__settings)', () => {
  const reset = (url: string, body?: string) =>
    fetch(`${url}/__reset`, { method: 'POST', ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body }) });
  const triggerVersion = async (url = tenant.url) => ((await (await fetch(`${url}/__settings`)).json()) as { trigger_version: string }).trigger_version;

  it('runs v3 by default; a reset body switches it, a reset without one goes back to the default', async () => {
    expect(await (await fetch(`${tenant.url}/__settings`)).json()).toEqual({ protocol: 'actions', trigger_version: 'v3' });
    expect(await (await reset(tenant.url, '{"trigger_version":"v2"}')).json()).toEqual({ ok: true, trigger_version: 'v2' });
    expect(await triggerVersion()).toBe('v2');
    expect(await (await reset(tenant.url)).json()).toEqual({ ok: true, trigger_version: 'v3' });
  });

  it('goes back to the version the tenant started with (LOCAL_TENANT_TRIGGER_VERSION / options)', async () => {
    const v2 = await startLocalTenant({ port: 0, triggerVersion: 'v2' });
    try {
      await reset(v2.url, '{"trigger_version":"v3"}');
      expect(await triggerVersion(v2.url)).toBe('v3');
      await reset(v2.url);
      expect(await triggerVersion(v2.url)).toBe('v2');
    } finally {
      await v2.close();
    }
  });

  it.each([
    ['an unknown version', '{"trigger_version":"v4"}'],
    ['a misspelt field', '{"triggerVersion":"v2"}'],
    ['a body that is not JSON', '{trigger_version: v2'],
  ])('refuses %s with 400 and resets nothing', async (_, body) => {
    await setSecrets(tenant.url, { OPTIONAL_STEPS: 'terms' });
    const res = await reset(tenant.url, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_reset' });
    expect((await (await fetch(`${tenant.url}/__secrets`)).json()).overrides).toEqual(['OPTIONAL_STEPS']);
  });

  it.each(TRIGGER_VERSIONS)('%s: the Action redirects alice and denies her prompt=none login with its own reason', async (version) => {
    await reset(tenant.url, JSON.stringify({ trigger_version: version }));
    expect((await loginAs('alice')).claims.steps).toEqual(['terms']);
    const silent = await loginAs('alice', { prompt: 'none' });
    expect(denyReasonOf(silent.html)).toMatch(/^terms_not_accepted: .*prompt=none/);
    const calls = await (await fetch(`${tenant.url}/__calls`)).json();
    expect(calls.logins.map((l: { outcome: string }) => l.outcome)).toEqual(['redirect', 'denied']);
  });
});

describe('verify it\'s you (VERIFY_NEW_LOCATIONS=country by default)', () => {
  const AT = '2026-11-26T10:00:00.000Z';
  const LISBON_PLACE = { country: 'PT', region: 'Lisbon', city: 'Lisbon' };

  it.each(TRIGGER_VERSIONS)('%s: pablo is asked from Lisbon, and once verified Lisbon is a known place', async (version) => {
    await fetch(`${tenant.url}/__reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trigger_version: version }) });
    const { browser, status, state, claims } = await loginAs('pablo');
    expect(status).toBe(302);
    expect(claims).toMatchObject({ steps: ['verify'], email: 'pablo@example.com', verify: { location: LISBON_PLACE, reason: 'new_location' } });
    const token = await signReturnToken({
      sub: 'auth0|pablo',
      state,
      aud: `127.0.0.1:${tenant.port}`,
      jti: String(claims.jti),
      completed: ['verify'],
      terms: null,
      extra: { verify: { method: 'email_otp', at: AT, location: LISBON_PLACE } },
    });
    const done = await postContinue(browser, tenant.url, state, { session_token: token });
    expect(outcomeOf(done.html)).toBe('completed');
    expect(appMetadataOf(done.html).detour_known_locations).toEqual([...KNOWN_IN_BERLIN, { country: 'PT', region: 'Lisbon', verified_at: AT }]);
    expect(outcomeOf((await loginAs('pablo')).html)).toBe('completed');
  });

  it('denies quentin (no verified email) with a sentence saying why', async () => {
    const res = await loginAs('quentin');
    expect(outcomeOf(res.html)).toBe('denied');
    expect(denyReasonOf(res.html)).toMatch(/^verification_required: this sign-in comes from a new place and must be confirmed by email, but the account has no verified email address\./);
  });

  it('asks nobody without VERIFY_NEW_LOCATIONS', async () => {
    await setSecrets(tenant.url, { VERIFY_NEW_LOCATIONS: null });
    for (const nick of FROM_LISBON) expect(outcomeOf((await loginAs(nick)).html)).toBe('completed');
  });
});

describe('rules protocol', () => {
  let rules: LocalTenant;
  beforeAll(async () => {
    rules = await startLocalTenant({ port: 0, protocol: 'rules' });
  });
  afterAll(() => rules.close());
  beforeEach(() => fetch(`${rules.url}/__reset`, { method: 'POST' }));

  it('redirects with ?token=…&state=… and completes on a verified return token', async () => {
    const res = await loginAs('bob', {}, rules);
    expect(res.location?.startsWith(`${DETOUR_URL}/start?token=`)).toBe(true);
    const { payload } = await jwtVerify(res.sessionToken, key(), { issuer: 'urn:detour:local-rule', audience: DETOUR_URL, subject: 'auth0|bob' });
    expect(payload).toMatchObject({ steps: ['terms'], email: 'bob@example.com', connection: 'Username-Password-Authentication' });
    expect(payload.exp! - payload.iat!).toBe(600);
    const token = await signReturnToken({ sub: 'auth0|bob', state: res.state, aud: 'urn:detour:local-rule', jti: String(payload.jti) });
    const done = await postContinue(res.browser, rules.url, res.state, { token });
    expect(outcomeOf(done.html)).toBe('completed');
    expect(appMetadataOf(done.html)).not.toHaveProperty('detour_pending_jti');
  });

  it('sends the same steps as the Action for every seeded user', async () => {
    expect(await stepsByUser(rules)).toEqual(await stepsByUser());
  });

  it('takes heidi through all three steps and the callback accepts', async () => {
    const { browser, state, claims } = await loginAs('heidi', {}, rules);
    expect(claims.steps).toEqual(['password', 'terms', 'profile']);
    await managementPatch(rules.url, 'auth0|heidi', { password: 'A-new-Passw0rd-2026', connection: claims.connection });
    const token = await signReturnToken({
      sub: 'auth0|heidi',
      state,
      aud: 'urn:detour:local-rule',
      jti: String(claims.jti),
      completed: ['password', 'terms', 'profile'],
      extra: { profile: { given_name: 'Heidi', phone: '+4930901820', country: 'DE' }, persist_in_action: ['terms', 'profile'] },
    });
    const done = await postContinue(browser, rules.url, state, { token });
    expect(outcomeOf(done.html)).toBe('completed');
    expect(appMetadataOf(done.html)).toMatchObject({ terms_accepted_version: '2026-11-01' });
    expect(appMetadataOf(done.html)).not.toHaveProperty('force_password_change');
    expect(userMetadataOf(done.html)).toEqual({ phone: '+4930901820', country: 'DE' });
    expect(done.html).toContain('data-testid="password-changed"');
  });

  it('denies a return token with the wrong audience or a jti it did not send', async () => {
    const res = await loginAs('alice', {}, rules);
    const wrongAud = await signReturnToken({ sub: 'auth0|alice', state: res.state, aud: `127.0.0.1:${rules.port}`, jti: String(res.claims.jti) });
    expect(denyReasonOf((await postContinue(res.browser, rules.url, res.state, { token: wrongAud })).html)).toContain('unexpected audience');
    const again = await loginAs('alice', {}, rules);
    const wrongJti = await signReturnToken({ sub: 'auth0|alice', state: again.state, aud: 'urn:detour:local-rule', jti: 'not-the-pending-jti' });
    expect(denyReasonOf((await postContinue(again.browser, rules.url, again.state, { token: wrongJti })).html)).toContain('jti mismatch');
  });

  it('the force-password-change variant lands on a new /authorize, and the login it offers ends on the app', async () => {
    await setSecrets(rules.url, { AUTHORIZE_AGAIN_AFTER_PASSWORD: 'true' });
    const { browser, claims } = await loginAs('frank', { client_id: 'legacy-app' }, rules);
    expect(claims.steps).toEqual(['password']);
    const again = new URL(String(claims.authorize_again));
    expect(`${again.origin}${again.pathname}`).toBe(`${rules.url}/authorize`);
    expect(again.searchParams.get('client_id')).toBe('legacy-app');
    // Detour changes the password, then sends the browser to authorize_again instead of /continue.
    expect((await managementPatch(rules.url, 'auth0|frank', { password: 'A-new-Passw0rd-2026', connection: claims.connection })).status).toBe(200);
    const page = await browser.open(again.toString());
    expect(page.html).toContain('data-testid="authorize-again"');
    expect(page.html).toContain('New authorization started for client legacy-app');
    const loginState = /href="\/\?state=([^"]+)" data-testid="authorize-login"/.exec(page.html)?.[1] ?? '';
    const next = await browser.open(`${rules.url}/login`, { user_id: 'auth0|frank', state: decodeURIComponent(loginState) });
    expect(new URL(next.url).origin).toBe(rules.appUrl);
    expect(outcomeOf(next.html)).toBe('completed');
    expect(next.html).toContain('&quot;aud&quot;:&quot;legacy-app&quot;');
    expect(next.html).toContain('data-testid="password-changed"');
    expect(appMetadataOf(next.html)).not.toHaveProperty('force_password_change');
    expect(appMetadataOf(next.html)).toHaveProperty('password_changed_at');
  });

  it('lets carol through', async () => {
    expect(outcomeOf((await login(rules, 'auth0|carol')).html)).toBe('completed');
  });

  it('never asks verify: pablo and quentin from Lisbon go through', async () => {
    for (const nick of FROM_LISBON) expect(outcomeOf((await loginAs(nick, {}, rules)).html)).toBe('completed');
  });
});
