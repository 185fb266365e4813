import { jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV_APP_CLIENT_ID, DEV_APP_CLIENT_SECRET, DEV_CLIENT_ID, DEV_CLIENT_SECRET, startLocalTenant, type LocalTenant } from './main';
import { claimsOf, denyReasonOf, login, outcomeOf, postContinue, signReturnToken, TestBrowser } from './test-helpers';

let tenant: LocalTenant;
beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0 });
});
afterAll(() => tenant.close());
beforeEach(() => fetch(`${tenant.url}/__reset`, { method: 'POST' }));

const callback = () => `${tenant.appUrl}/callback`;
const path = (url: string) => new URL(url).pathname;
const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> });

/** A browser that stops at the app's door: the callback URL (with the code) is the test's to use. */
async function loginUntilCallback(userId: string, fields: Record<string, string> = {}) {
  const browser = new TestBrowser([tenant.url]);
  const page = await browser.open(`${tenant.appUrl}/login`);
  const authorize = new URL(page.hops[0]!.location!);
  const loginState = new URL(page.url).searchParams.get('state') ?? '';
  const end = await browser.open(`${tenant.url}/login`, { user_id: userId, state: loginState, ...fields });
  return { authorize, loginState, end, callbackUrl: new URL(end.location ?? 'http://x/') };
}

const redeem = (fields: Record<string, string>) =>
  fetch(`${tenant.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: DEV_APP_CLIENT_ID, client_secret: DEV_APP_CLIENT_SECRET, redirect_uri: callback(), ...fields }),
  }).then(json);

describe('the sample application and /authorize', () => {
  it('signs in from its home page: /login → /authorize → the login page, the state kept in its HttpOnly cookie', async () => {
    const home = await (await fetch(tenant.appUrl)).text();
    expect(home).toContain('href="/login" data-testid="sign-in"');
    const started = await fetch(`${tenant.appUrl}/login`, { redirect: 'manual' });
    const authorize = new URL(started.headers.get('location') ?? '');
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${tenant.url}/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({ client_id: 'local-app', response_type: 'code', scope: 'openid profile email', redirect_uri: callback() });
    expect(started.headers.get('set-cookie')).toMatch(/^sample_app_login_\d+=[\w-]+; Path=\/; HttpOnly; SameSite=Lax$/);
    const loginPage = await fetch(authorize, { redirect: 'manual' });
    expect(loginPage.status).toBe(302);
    expect(loginPage.headers.get('location')).toMatch(new RegExp(`^${tenant.url}/\\?state=[\\w-]{20,}$`));
  });

  it.each([
    ['no client_id', { client_id: '' }, 400, 'invalid_request'],
    ["Detour's machine-to-machine client", { client_id: DEV_CLIENT_ID }, 403, 'unauthorized_client'],
    ['a callback the application does not allow', { redirect_uri: 'https://evil.example/callback' }, 400, 'invalid_request'],
  ])('refuses %s on its own error page, without going to any callback', async (_, change, status, error) => {
    const query = new URLSearchParams({ client_id: DEV_APP_CLIENT_ID, response_type: 'code', redirect_uri: callback(), state: 's', ...change });
    const res = await fetch(`${tenant.url}/authorize?${query}`, { redirect: 'manual' });
    expect(res.status).toBe(status);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain(`data-error="${error}"`);
  });

  it('answers another response_type at the callback with unsupported_response_type and the state', async () => {
    const query = new URLSearchParams({ client_id: DEV_APP_CLIENT_ID, response_type: 'token', redirect_uri: callback(), state: 'app-state' });
    const location = new URL((await fetch(`${tenant.url}/authorize?${query}`, { redirect: 'manual' })).headers.get('location') ?? '');
    expect(Object.fromEntries(location.searchParams)).toMatchObject({ error: 'unsupported_response_type', state: 'app-state' });
  });
});

describe('the end of a login, as Auth0 answers it', () => {
  it('/continue → 302 /authorize/resume → 302 the callback with a code and the app state → "Signed in as"', async () => {
    const { browser, state, params } = await login(tenant, 'auth0|alice');
    const jti = String(claimsOf(params.get('session_token')).jti);
    const token = await signReturnToken({ sub: 'auth0|alice', state, aud: `127.0.0.1:${tenant.port}`, jti });
    const done = await postContinue(browser, tenant.url, state, { session_token: token });
    expect(done.hops.map((hop) => [path(hop.url), hop.status])).toEqual([
      ['/continue', 302],
      ['/authorize/resume', 302],
      ['/callback', 200],
    ]);
    const back = new URL(done.url);
    expect(back.origin).toBe(tenant.appUrl);
    expect(back.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
    expect(done.html).toContain('Signed in as alice');
    expect(outcomeOf(done.html)).toBe('completed');
  });

  it.each([
    ['a login that needs nothing (carol)', 'auth0|carol', {}, { code: expect.any(String) }],
    ['a denied login (alice, prompt=none)', 'auth0|alice', { prompt: 'none' }, { error: 'access_denied', error_description: expect.stringMatching(/^terms_not_accepted: .*prompt=none/) }],
  ])('POST /login ends %s at the callback through /authorize/resume', async (_, userId, fields, expected) => {
    const { authorize, end, callbackUrl } = await loginUntilCallback(userId, fields);
    expect(end.hops.map((hop) => path(hop.url))).toEqual(['/login', '/authorize/resume']);
    expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe(callback());
    expect(Object.fromEntries(callbackUrl.searchParams)).toEqual({ ...expected, state: authorize.searchParams.get('state') });
  });

  it('shows a denial on the app: "Access denied: …" with the reason', async () => {
    const res = await login(tenant, 'auth0|alice', { prompt: 'none' });
    expect(new URL(res.url).origin).toBe(tenant.appUrl);
    expect(res.status).toBe(403);
    expect(outcomeOf(res.html)).toBe('denied');
    expect(denyReasonOf(res.html)).toMatch(/^terms_not_accepted: /);
  });

  it("takes every state once: the login page's, /continue's and /authorize/resume's", async () => {
    const { loginState, end } = await loginUntilCallback('auth0|carol');
    const resumeUrl = end.hops[1]!.url;
    const redirected = await login(tenant, 'auth0|alice');
    const jti = String(claimsOf(redirected.params.get('session_token')).jti);
    const token = await signReturnToken({ sub: 'auth0|alice', state: redirected.state, aud: `127.0.0.1:${tenant.port}`, jti });
    expect((await postContinue(redirected.browser, tenant.url, redirected.state, { session_token: token })).status).toBe(200);
    const form = (fields: Record<string, string>) => ({ method: 'POST', redirect: 'manual' as const, body: new URLSearchParams(fields) });
    const replays: [string, () => Promise<Response>][] = [
      ['the login page', () => fetch(`${tenant.url}/?state=${loginState}`)],
      ['its form', () => fetch(`${tenant.url}/login`, form({ user_id: 'auth0|carol', state: loginState }))],
      ['/continue', () => fetch(`${tenant.url}/continue?state=${redirected.state}`, form({ state: redirected.state, session_token: token }))],
      ['/authorize/resume', () => fetch(resumeUrl, { redirect: 'manual' })],
    ];
    for (const [name, replay] of replays) {
      const res = await replay();
      expect(res.status, name).toBe(400);
      expect(await res.text(), name).toContain('data-error="invalid_request"');
    }
  });
});

describe('POST /oauth/token, grant_type=authorization_code', () => {
  it('answers an id token signed with the client secret, for this client, with the nonce and the profile', async () => {
    const { authorize, callbackUrl } = await loginUntilCallback('auth0|carol');
    const { status, body } = await redeem({ code: callbackUrl.searchParams.get('code') ?? '' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'openid profile email' });
    const { payload } = await jwtVerify(String(body.id_token), new TextEncoder().encode(DEV_APP_CLIENT_SECRET), { issuer: `${tenant.url}/`, audience: DEV_APP_CLIENT_ID });
    expect(payload).toMatchObject({ sub: 'auth0|carol', nonce: authorize.searchParams.get('nonce'), email: 'carol@example.com', email_verified: true, name: 'Carol Example', nickname: 'carol' });
  });

  it.each([
    ['another redirect_uri', { redirect_uri: 'http://127.0.0.1:1/callback' }, 403, 'invalid_grant'],
    ['another application', { client_id: 'another-app' }, 403, 'invalid_grant'],
    ['an unknown code', { code: 'not-a-code' }, 403, 'invalid_grant'],
    ['a wrong client secret', { client_secret: 'wrong' }, 401, 'access_denied'],
    ["Detour's machine-to-machine client", { client_id: DEV_CLIENT_ID, client_secret: DEV_CLIENT_SECRET }, 403, 'unauthorized_client'],
  ])('refuses %s, and the code still works once for its own client and callback', async (_, change, status, error) => {
    const code = (await loginUntilCallback('auth0|carol')).callbackUrl.searchParams.get('code') ?? '';
    expect(await redeem({ code, ...change })).toMatchObject({ status, body: { error } });
    expect((await redeem({ code })).status).toBe(200);
    expect(await redeem({ code })).toEqual({ status: 403, body: { error: 'invalid_grant', error_description: 'Invalid authorization code' } });
  });
});

describe("the sample app's callback", () => {
  it.each([
    ['without the cookie of the browser that started the login', () => new TestBrowser([tenant.url, tenant.appUrl])],
    ['with the cookie of another login', async () => (await login(tenant, 'auth0|alice')).browser],
  ])('refuses a code %s, before redeeming it', async (_, otherBrowser) => {
    const { callbackUrl } = await loginUntilCallback('auth0|carol');
    const res = await (await otherBrowser()).open(callbackUrl.toString());
    expect(res.status).toBe(400);
    expect(res.html).toContain('data-error="invalid_state"');
    expect((await redeem({ code: callbackUrl.searchParams.get('code') ?? '' })).status).toBe(200);
  });

  it('reads the user with a read-only Management API token, out of the call log and the faults meant for Detour', async () => {
    await fetch(`${tenant.url}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target: 'users_get', mode: '500' }) });
    expect(outcomeOf((await login(tenant, 'auth0|carol')).html)).toBe('completed');
    expect((await (await fetch(`${tenant.url}/__faults`)).json()).pending).toHaveLength(1);
    expect((await (await fetch(`${tenant.url}/__calls`)).json()).tokenRequests).toBe(0);
    const token = await fetch(`${tenant.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: DEV_APP_CLIENT_ID, client_secret: DEV_APP_CLIENT_SECRET, audience: `${tenant.url}/api/v2/` }),
    }).then(json);
    expect(token.body.scope).toBe('read:users');
    const patch = await fetch(`${tenant.url}/api/v2/users/auth0%7Ccarol`, { method: 'PATCH', headers: { authorization: `Bearer ${String(token.body.access_token)}`, 'content-type': 'application/json' }, body: '{}' });
    expect(await json(patch)).toMatchObject({ status: 403, body: { errorCode: 'insufficient_scope' } });
  });
});
