import { jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, startLocalTenant, type LocalTenant } from './main';
import { appMetadataOf, DETOUR_URL, denyReasonOf, key, login, outcomeOf, postContinue, signReturnToken } from './test-helpers';

let tenant: LocalTenant;
beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0 });
});
afterAll(() => tenant.close());
beforeEach(() => fetch(`${tenant.url}/__reset`, { method: 'POST' }));

async function loginAlice() {
  const res = await login(tenant.url, 'auth0|alice', { language: 'de' });
  return { ...res, state: res.params.get('state') ?? '', sessionToken: res.params.get('session_token') ?? '' };
}

describe('login', () => {
  it('serves a login page with the seeded users and no script', async () => {
    const html = await (await fetch(tenant.url)).text();
    for (const nick of ['alice', 'bob', 'carol', 'dave']) expect(html).toContain(`data-testid="login-${nick}"`);
    expect(html).not.toMatch(/<script/i);
  });

  it('redirects alice to Detour /start with a session token and a state', async () => {
    const res = await loginAlice();
    expect(res.status).toBe(302);
    expect(res.location?.startsWith(`${DETOUR_URL}/start?session_token=`)).toBe(true);
    expect(res.state).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it("signs the session token as Auth0's encodeToken does (iss = host:port, no scheme)", async () => {
    const { sessionToken } = await loginAlice();
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

  it('redirects bob (older terms) and dave (social) too', async () => {
    expect((await login(tenant.url, 'auth0|bob')).status).toBe(302);
    const dave = await login(tenant.url, 'google-oauth2|dave');
    const { payload } = await jwtVerify(dave.params.get('session_token')!, key());
    expect(payload.connection).toBe('google-oauth2');
  });

  it('lets carol (current terms) through without a detour', async () => {
    const res = await login(tenant.url, 'auth0|carol');
    expect(res.status).toBe(200);
    expect(outcomeOf(res.html)).toBe('completed');
    expect(res.html).toContain('Login completed for carol');
  });

  it('denies when the login cannot redirect (prompt=none)', async () => {
    const res = await login(tenant.url, 'auth0|alice', { prompt: 'none' });
    expect(res.status).toBe(403);
    expect(denyReasonOf(res.html)).toMatch(/^terms_not_accepted: /);
  });

  it('refuses an unknown user', async () => {
    expect((await login(tenant.url, 'auth0|nobody')).status).toBe(400);
  });
});

describe('/continue', () => {
  const aud = () => `127.0.0.1:${tenant.port}`;

  it('completes with a valid return token and shows metadata written during the detour', async () => {
    const { state } = await loginAlice();
    // What Detour does during the detour: a Management API write.
    const tokenRes = await fetch(`${tenant.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEV_CLIENT_ID, client_secret: DEV_CLIENT_SECRET, audience: `${tenant.url}/api/v2/` }),
    });
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const written = { terms_accepted_version: '2026-11-01', terms_accepted_at: '2026-11-26T10:00:00.000Z' };
    const patch = await fetch(`${tenant.url}/api/v2/users/auth0%7Calice`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ app_metadata: written }),
    });
    expect(patch.status).toBe(200);
    const token = await signReturnToken({ sub: 'auth0|alice', state, aud: aud() });
    const res = await postContinue(tenant.url, state, { session_token: token });
    expect(res.status).toBe(200);
    expect(outcomeOf(res.html)).toBe('completed');
    expect(res.html).toContain('Login completed for alice');
    expect(appMetadataOf(res.html)).toEqual(written);
    const calls = await (await fetch(`${tenant.url}/__calls`)).json();
    expect(calls.continues).toMatchObject([{ user_id: 'auth0|alice', outcome: 'completed' }]);
  });

  it('denies a token whose state claim differs', async () => {
    const { state } = await loginAlice();
    const token = await signReturnToken({ sub: 'auth0|alice', state: 'some-other-state', aud: aud() });
    const res = await postContinue(tenant.url, state, { session_token: token });
    expect(outcomeOf(res.html)).toBe('denied');
    expect(denyReasonOf(res.html)).toContain('The session token is invalid: State in the token does not match the /continue state.');
  });

  it('denies an expired token', async () => {
    const { state } = await loginAlice();
    const token = await signReturnToken({ sub: 'auth0|alice', state, aud: aud(), iatOffset: -120, lifetime: 60 });
    const res = await postContinue(tenant.url, state, { session_token: token });
    expect(denyReasonOf(res.html)).toContain('Token has expired.');
  });

  it("denies another user's token", async () => {
    const { state } = await loginAlice();
    const token = await signReturnToken({ sub: 'auth0|bob', state, aud: aud() });
    const res = await postContinue(tenant.url, state, { session_token: token });
    expect(denyReasonOf(res.html)).toContain('The sub claim does not match the user_id.');
  });

  it('denies a token signed with another secret, and a missing token', async () => {
    const first = await loginAlice();
    const forged = await signReturnToken({ sub: 'auth0|alice', state: first.state, aud: aud(), secret: 'x'.repeat(48) });
    expect(denyReasonOf((await postContinue(tenant.url, first.state, { session_token: forged })).html)).toContain('Failed signature validation');
    const second = await loginAlice();
    expect(denyReasonOf((await postContinue(tenant.url, second.state, {})).html)).toContain("There is no parameter called 'session_token'");
  });

  it('denies terms of an older version', async () => {
    const { state } = await loginAlice();
    const token = await signReturnToken({ sub: 'auth0|alice', state, aud: aud(), terms: { version: '2025-01-01', accepted_at: 'x' } });
    expect(outcomeOf((await postContinue(tenant.url, state, { session_token: token })).html)).toBe('denied');
  });

  it('answers 400 invalid_request for a missing, unknown or reused state', async () => {
    expect((await fetch(`${tenant.url}/continue`)).status).toBe(400);
    expect((await fetch(`${tenant.url}/continue?state=nope`)).status).toBe(400);
    const { state } = await loginAlice();
    const token = await signReturnToken({ sub: 'auth0|alice', state, aud: aud() });
    expect((await postContinue(tenant.url, state, { session_token: token })).status).toBe(200);
    const again = await postContinue(tenant.url, state, { session_token: token });
    expect(again.status).toBe(400);
    expect(again.html).toContain('data-error="invalid_request"');
  });

  it('accepts GET /continue with the token in the query string', async () => {
    const { state } = await loginAlice();
    const token = await signReturnToken({ sub: 'auth0|alice', state, aud: aud() });
    const res = await fetch(`${tenant.url}/continue?state=${state}&session_token=${token}`);
    expect(outcomeOf(await res.text())).toBe('completed');
  });
});

describe('rules protocol', () => {
  let rules: LocalTenant;
  beforeAll(async () => {
    rules = await startLocalTenant({ port: 0, protocol: 'rules' });
  });
  afterAll(() => rules.close());

  it('redirects with ?token=…&state=… and completes on a verified return token', async () => {
    const res = await login(rules.url, 'auth0|bob');
    expect(res.location?.startsWith(`${DETOUR_URL}/start?token=`)).toBe(true);
    const state = res.params.get('state')!;
    const { payload } = await jwtVerify(res.params.get('token')!, key(), { issuer: 'urn:detour:local-rule', audience: DETOUR_URL, subject: 'auth0|bob' });
    expect(payload).toMatchObject({ steps: ['terms'], email: 'bob@example.com', connection: 'Username-Password-Authentication' });
    expect(payload.exp! - payload.iat!).toBe(600);

    const token = await signReturnToken({ sub: 'auth0|bob', state, aud: 'urn:detour:local-rule', jti: String(payload.jti) });
    const done = await postContinue(rules.url, state, { token });
    expect(outcomeOf(done.html)).toBe('completed');
  });

  it('denies a return token with the wrong audience', async () => {
    const res = await login(rules.url, 'auth0|alice');
    const state = res.params.get('state')!;
    const token = await signReturnToken({ sub: 'auth0|alice', state, aud: `127.0.0.1:${rules.port}` });
    const done = await postContinue(rules.url, state, { token });
    expect(outcomeOf(done.html)).toBe('denied');
    expect(denyReasonOf(done.html)).toContain('unexpected audience');
  });

  it('lets carol through', async () => {
    expect(outcomeOf((await login(rules.url, 'auth0|carol')).html)).toBe('completed');
  });
});
