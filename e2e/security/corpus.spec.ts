import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { expect, test, type APIRequestContext, type Browser } from '@playwright/test';
import { ACTIONS, detourUrl, loginAt, mintSessionToken, readConsents, resetTenant, startUrlFor, tenantCalls, tenantUrl } from '../helpers';
import { DEV_SESSION_TOKEN_SECRET } from '../local-tenant/config';

// The bad-input corpus (issue "Prove the security rules"): each case goes over HTTP to the production build and
// checks three things: a 4xx status, a clear sentence in a role="alert" element carrying the code, and that
// nothing happened (no Management API write, no /continue, no ledger row; the jti still usable when the person
// was not at fault).

const base = detourUrl(ACTIONS);
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const merged: Record<string, unknown> = {
    iss: `127.0.0.1:${ACTIONS.tenantPort}`,
    sub: 'auth0|alice',
    aud: base,
    iat: now(),
    exp: now() + 600,
    jti: `corpus-${Math.random().toString(36).slice(2)}-${Date.now()}`,
    steps: ['terms'],
    ...overrides,
  };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return merged;
}

/** Signs any header and payload by hand (HS256 over the exact bytes), so malformed tokens can be built too. */
function handSigned(header: unknown, payload: unknown, secret = DEV_SESSION_TOKEN_SECRET): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
const hs256 = (payload: Record<string, unknown>) => handSigned({ alg: 'HS256', typ: 'JWT' }, payload);

async function nothingHappened(request: APIRequestContext, jti?: string) {
  const calls = await tenantCalls(request, ACTIONS);
  expect(calls.writes, 'no Management API write').toHaveLength(0);
  expect(calls.continues, 'no /continue').toHaveLength(0);
  if (jti) expect(readConsents(ACTIONS).filter((row) => row.jti === jti), 'no ledger row').toHaveLength(0);
}

async function expectRefusal(response: Awaited<ReturnType<APIRequestContext['get']>>, status: number, code: string): Promise<string> {
  expect(response.status()).toBe(status);
  const html = await response.text();
  expect(html).toMatch(new RegExp(`<div role="alert"[^>]*data-error-code="${code}"[^>]*><p>[A-Z][^<]{20,}</p>`));
  expect(response.headers()['cache-control'] ?? '').toContain('no-store');
  expect(html).not.toMatch(/at .*\.(js|ts):\d+/); // never a stack trace
  return html;
}

test.beforeEach(async ({ request }) => resetTenant(request, ACTIONS));

type Case = [name: string, token: () => Promise<string> | string, status: number, code: string];

const rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
function rs256(payload: Record<string, unknown>): string {
  const input = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(rsaKey).toString('base64url')}`;
}

const forgeries: Case[] = [
  ['alg none, no signature', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`, 400, 'token_malformed'],
  ['alg none with a signature', () => `${b64({ alg: 'none' })}.${b64(claims())}.${b64('x')}`, 401, 'token_signature'],
  ['alg HS512', () => handSigned({ alg: 'HS512', typ: 'JWT' }, claims()), 401, 'token_signature'],
  ['alg HS384', () => handSigned({ alg: 'HS384', typ: 'JWT' }, claims()), 401, 'token_signature'],
  ['alg RS256', () => rs256(claims()), 401, 'token_signature'],
  ['alg in lower case', () => handSigned({ alg: 'hs256', typ: 'JWT' }, claims()), 401, 'token_signature'],
  ['another secret', () => handSigned({ alg: 'HS256' }, claims(), 'an-attacker-secret-of-at-least-32-bytes!!'), 401, 'token_signature'],
  ['the secret as an empty string', () => handSigned({ alg: 'HS256' }, claims(), ''), 401, 'token_signature'],
  ['signature stripped', () => `${hs256(claims()).split('.').slice(0, 2).join('.')}.`, 400, 'token_malformed'],
  ['signature of another token', async () => `${hs256(claims()).split('.').slice(0, 2).join('.')}.${hs256(claims({ sub: 'x' })).split('.')[2]}`, 401, 'token_signature'],
  ['padded signature', () => `${hs256(claims())}=`, 400, 'token_malformed'],
  ['whitespace in the signature', () => `${hs256(claims())}%20`, 400, 'token_malformed'],
  ['non-canonical last base64url character', () => { const t = hs256(claims()); const last = t.at(-1)!; const alt = last === 'A' ? 'B' : String.fromCharCode(last.charCodeAt(0) ^ 1); return t.slice(0, -1) + alt; }, 400, 'token_malformed'],
  ['a 5 KB token', () => hs256(claims({ name: 'x'.repeat(5000) })), 400, 'token_malformed'],
  ['two segments', () => `${b64({ alg: 'HS256' })}.${b64(claims())}`, 400, 'token_malformed'],
  ['four segments', () => `${hs256(claims())}.extra`, 400, 'token_malformed'],
  ['header that is not JSON', () => `${b64('not json')}.${b64(claims())}.${b64('sig')}`, 400, 'token_malformed'],
  ['payload that is not JSON', () => handSigned({ alg: 'HS256' }, 'not json'), 400, 'token_malformed'],
  ['typ at+jwt', () => handSigned({ alg: 'HS256', typ: 'at+jwt' }, claims()), 401, 'claim_invalid'],
  ['a crit header jose does not know', () => handSigned({ alg: 'HS256', crit: ['exp2'], exp2: 1 }, claims()), 401, 'token_signature'],
];

const badClaims: Case[] = [
  ['sub missing', () => hs256(claims({ sub: undefined })), 401, 'claim_invalid'],
  ['sub a number', () => hs256(claims({ sub: 42 })), 401, 'claim_invalid'],
  ['sub empty', () => hs256(claims({ sub: '' })), 401, 'claim_invalid'],
  ['sub 300 characters', () => hs256(claims({ sub: `auth0|${'a'.repeat(300)}` })), 401, 'claim_invalid'],
  ['sub with a control character', () => hs256(claims({ sub: 'auth0|ali\u0007ce' })), 401, 'claim_invalid'],
  ['name with a bidi override', () => hs256(claims({ name: 'Alice \u202eecilA' })), 401, 'claim_invalid'],
  ['email malformed', () => hs256(claims({ email: 'not-an-email' })), 401, 'claim_invalid'],
  ['steps a string', () => hs256(claims({ steps: 'terms' })), 401, 'claim_invalid'],
  ['steps empty', () => hs256(claims({ steps: [] })), 401, 'claim_invalid'],
  ['steps duplicated', () => hs256(claims({ steps: ['terms', 'terms'] })), 401, 'claim_invalid'],
  ['an unknown step', () => hs256(claims({ steps: ['terms', 'wire_transfer'] })), 401, 'unknown_step'],
  ['steps missing', () => hs256(claims({ steps: undefined })), 401, 'claim_invalid'],
  ['jti missing', () => hs256(claims({ jti: undefined })), 401, 'claim_invalid'],
  ['jti too short', () => hs256(claims({ jti: 'abc' })), 401, 'claim_invalid'],
  ['jti with spaces', () => hs256(claims({ jti: 'jti with spaces 123' })), 401, 'claim_invalid'],
  ['exp a string', () => hs256(claims({ exp: String(now() + 600) })), 401, 'claim_invalid'],
  ['exp missing', () => hs256(claims({ exp: undefined })), 401, 'claim_invalid'],
  ['expired', () => hs256(claims({ iat: now() - 700, exp: now() - 60 })), 401, 'token_expired'],
  ['iat missing', () => hs256(claims({ iat: undefined })), 401, 'claim_invalid'],
  ['iat in the future', () => hs256(claims({ iat: now() + 300, exp: now() + 600 })), 401, 'token_not_yet_valid'],
  ['nbf ahead', () => hs256(claims({ nbf: now() + 300 })), 401, 'token_not_yet_valid'],
  ['issued too long ago', () => hs256(claims({ iat: now() - 1000, exp: now() + 100 })), 401, 'token_too_old'],
  ['lives longer than the maximum age', () => hs256(claims({ exp: now() + 3600 })), 401, 'token_too_old'],
  ['aud missing', () => hs256(claims({ aud: undefined })), 401, 'claim_invalid'],
  ['aud another application', () => hs256(claims({ aud: 'https://other.example.com' })), 401, 'audience_mismatch'],
  ['aud array without ours', () => hs256(claims({ aud: ['https://a.example', 'https://b.example'] })), 401, 'audience_mismatch'],
  ['iss missing', () => hs256(claims({ iss: undefined })), 401, 'claim_invalid'],
  ['iss a number', () => hs256(claims({ iss: 7 })), 401, 'issuer_not_allowed'],
  ['profile with a nested object', () => hs256(claims({ profile: { address: { street: 'x' } } })), 401, 'claim_invalid'],
  ['profile with 60 keys', () => hs256(claims({ profile: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${i}`, 'x'])) })), 401, 'claim_invalid'],
  ['ui_locales with markup', () => hs256(claims({ ui_locales: 'en"><script>' })), 401, 'claim_invalid'],
  ['connection of 200 characters', () => hs256(claims({ connection: 'c'.repeat(200) })), 401, 'claim_invalid'],
  ['state claim differing from the query', () => hs256(claims({ state: 'another-state' })), 400, 'state_mismatch'],
];

const openRedirects: Case[] = [
  ['iss an attacker host', () => hs256(claims({ iss: 'evil.example.com' })), 401, 'issuer_not_allowed'],
  ['iss the tenant host with a path', () => hs256(claims({ iss: `127.0.0.1:${ACTIONS.tenantPort}/evil` })), 401, 'issuer_not_allowed'],
  ['iss with userinfo', () => hs256(claims({ iss: `http://evil@127.0.0.1:${ACTIONS.tenantPort}/` })), 401, 'issuer_not_allowed'],
  ['iss on another port', () => hs256(claims({ iss: `127.0.0.1:${ACTIONS.tenantPort + 1}` })), 401, 'issuer_not_allowed'],
  ['authorize_again as javascript:', () => hs256(claims({ authorize_again: 'javascript:alert(1)' })), 401, 'claim_invalid'],
];

for (const [group, cases] of [['forgery', forgeries], ['claims', badClaims], ['open redirect', openRedirects]] as const) {
  for (const [name, token, status, code] of cases) {
    test(`${group}: ${name} → ${status} ${code}, nothing happens`, async ({ request }) => {
      const raw = await token();
      const response = await request.get(`${base}/start?state=corpus-state&session_token=${raw}`, { maxRedirects: 0 });
      await expectRefusal(response, status, code);
      expect(response.headers()['set-cookie']).toBeUndefined();
      await nothingHappened(request);
    });
  }
}

// Parameters: the token is valid, the request around it is not. The person is not at fault for a mangled link,
// so the same token must still start the flow afterwards.
const parameterCases: [string, (token: string) => string, number, string][] = [
  ['state missing', (t) => `session_token=${t}`, 400, 'invalid_request'],
  ['state empty', (t) => `state=&session_token=${t}`, 400, 'invalid_request'],
  ['state twice', (t) => `state=a&state=b&session_token=${t}`, 400, 'invalid_request'],
  ['state of 2049 characters', (t) => `state=${'s'.repeat(2049)}&session_token=${t}`, 400, 'invalid_request'],
  ['token missing', () => `state=s`, 400, 'invalid_request'],
  ['token twice', (t) => `state=s&session_token=${t}&session_token=${t}`, 400, 'invalid_request'],
  ['token under the rules name', (t) => `state=s&token=${t}`, 400, 'invalid_request'],
  ['token and state percent-encoded twice', (t) => `state=s&session_token=${encodeURIComponent(encodeURIComponent(t + '='))}`, 400, 'token_malformed'],
];
for (const [name, query, status, code] of parameterCases) {
  test(`parameters: ${name} → ${status} ${code}, and the token still works`, async ({ request, browser }) => {
    const token = await mintSessionToken(ACTIONS);
    const response = await request.get(`${base}/start?${query(token)}`, { maxRedirects: 0 });
    await expectRefusal(response, status, code);
    await nothingHappened(request);
    await expectTokenStillStarts(browser, token);
  });
}

async function expectTokenStillStarts(browser: Browser, token: string) {
  const context = await browser.newContext();
  const response = await context.request.get(startUrlFor(ACTIONS, token), { maxRedirects: 0 });
  expect(response.status(), 'the jti was not burned').toBe(303);
  await context.close();
}

test('parameters: injection characters in state are carried as opaque text and only ever rendered escaped', async ({ page, request }) => {
  const state = `"><script>alert(1)</script>&x=<img src=x onerror=alert(2)>`;
  await page.goto(startUrlFor(ACTIONS, await mintSessionToken(ACTIONS), state));
  await expect(page).toHaveURL(`${base}/steps/terms`);
  await page.getByLabel('I have read and accept the terms of service').check();
  // Hold the hand-back: the page's HTML is what matters here, not the tenant (which has no such transaction).
  await page.route(`${tenantUrl(ACTIONS)}/**`, (route) => route.fulfill({ status: 204, body: '' }));
  const complete = page.waitForResponse((r) => r.url() === `${base}/complete`);
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  const html = await (await complete).text();
  expect(html).not.toContain('<script>alert(1)');
  expect(html).not.toContain('<img src=x');
  expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(html).toContain(`action="${tenantUrl(ACTIONS)}/continue?state=%22%3E%3Cscript%3E`);
  expect((await tenantCalls(request, ACTIONS)).continues).toHaveLength(0);
});

test('open redirect: a continue_uri claim and extra query parameters never choose where the browser goes', async ({ page }) => {
  const token = await mintSessionToken(ACTIONS, { continue_uri: 'https://evil.example.com/continue', redirect_uri: 'https://evil.example.com' });
  await page.goto(`${startUrlFor(ACTIONS, token)}&redirect_uri=https%3A%2F%2Fevil.example.com&continue=https%3A%2F%2Fevil.example.com&returnTo=%2F%2Fevil.example.com`);
  await expect(page).toHaveURL(`${base}/steps/terms`);
  await page.getByLabel('I have read and accept the terms of service').check();
  await page.route(`${tenantUrl(ACTIONS)}/**`, (route) => route.fulfill({ status: 204, body: '' }));
  const complete = page.waitForResponse((r) => r.url() === `${base}/complete`);
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  const html = await (await complete).text();
  expect(html).not.toContain('evil.example.com');
  expect(html).toContain(`action="${tenantUrl(ACTIONS)}/continue?state=`);
});

test('open redirect: authorize_again to a host that is not the tenant is not followed', async ({ page }) => {
  const token = await mintSessionToken(ACTIONS, { authorize_again: 'https://evil.example.com/authorize', steps: ['terms'] });
  await page.goto(startUrlFor(ACTIONS, token));
  await page.getByLabel('I have read and accept the terms of service').check();
  await page.route(`${tenantUrl(ACTIONS)}/**`, (route) => route.fulfill({ status: 204, body: '' }));
  const complete = page.waitForResponse((r) => r.url() === `${base}/complete`);
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  const response = await complete;
  expect(response.status()).toBe(200);
  expect(await response.text()).not.toContain('evil.example.com');
});

// Form posts: a real flow, then a post that must never reach the action, or that the action refuses.
test.describe('form posts', () => {
  async function openTermsFlow(browser: Browser) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const startUrl = await loginAt(page, ACTIONS, 'alice');
    await expect(page).toHaveURL(`${base}/steps/terms`);
    return { context, page, startUrl };
  }

  for (const [name, headers, status, code] of [
    ['no Origin', {}, 403, 'origin_rejected'],
    ['Origin: null', { origin: 'null' }, 403, 'origin_rejected'],
    ['a cross-site Origin', { origin: 'https://evil.example.com' }, 403, 'origin_rejected'],
    ['a look-alike Origin', { origin: `${base}.evil.example.com` }, 403, 'origin_rejected'],
    ['Sec-Fetch-Site: cross-site', { origin: base, 'sec-fetch-site': 'cross-site' }, 403, 'origin_rejected'],
  ] as const) {
    test(`with the flow cookie but ${name} → ${status}`, async ({ browser, request }) => {
      const { context } = await openTermsFlow(browser);
      const response = await context.request.post(`${base}/steps/terms`, { headers: { ...headers }, multipart: { accept: 'on', version: '2026-11-01' }, maxRedirects: 0 });
      await expectRefusal(response, status, code);
      await nothingHappened(request);
      await context.close();
    });
  }

  test('without a flow cookie → 401', async ({ request }) => {
    const response = await request.post(`${base}/steps/terms`, { headers: { origin: base }, multipart: { accept: 'on' }, maxRedirects: 0 });
    await expectRefusal(response, 401, 'flow_missing');
    await nothingHappened(request);
  });

  test('a flow cookie sealed with another key → the step refuses it', async ({ browser, request }) => {
    const { context, page } = await openTermsFlow(browser);
    const [cookie] = (await context.cookies(base)).filter((c) => c.name === '__Host-detour-flow');
    // A well-formed JWE from another deployment (different key): same shape, other bytes.
    const forged = cookie!.value.split('.').map((part, i) => (i === 3 ? b64('forged-ciphertext-of-another-deployment') : part)).join('.');
    await context.addCookies([{ ...cookie!, value: forged }]);
    await page.getByLabel('I have read and accept the terms of service').check();
    await page.getByRole('button', { name: 'Accept and continue' }).click();
    await expect(page.locator('[role="alert"][data-error-code="flow_missing"]')).toBeVisible();
    await nothingHappened(request);
    await context.close();
  });

  test('a tampered hidden field (another terms version) is refused, nothing written', async ({ browser, request }) => {
    const { context, page, startUrl } = await openTermsFlow(browser);
    await page.locator('input[name="version"]').evaluate((input: HTMLInputElement) => (input.value = '2025-01-01'));
    await page.getByLabel('I have read and accept the terms of service').check();
    await page.getByRole('button', { name: 'Accept and continue' }).click();
    await expect(page.locator('[role="alert"][data-error-code="validation_failed"]')).toBeVisible();
    await expect(page).toHaveURL(`${base}/steps/terms`);
    const jti = new URL(startUrl).searchParams.get('session_token')!.split('.')[1]!;
    await nothingHappened(request, JSON.parse(Buffer.from(jti, 'base64url').toString()).jti);
    await context.close();
  });

  test('a 1 MB body is refused before it is parsed', async ({ browser, request }) => {
    const { context } = await openTermsFlow(browser);
    const response = await context.request.post(`${base}/steps/terms`, {
      headers: { origin: base, 'next-action': 'x' },
      multipart: { accept: 'on', version: '2026-11-01', filler: 'x'.repeat(1024 * 1024) },
      maxRedirects: 0,
    });
    expect(response.status()).toBeGreaterThanOrEqual(400);
    expect(response.status()).toBeLessThan(500);
    await nothingHappened(request);
    await context.close();
  });

  test('a wrong type for accept (sent twice) is a field error, nothing written', async ({ browser, request }) => {
    const { context, page } = await openTermsFlow(browser);
    await page.locator('form:has(input[name="version"])').evaluate((form: HTMLFormElement) => {
      const extra = document.createElement('input');
      extra.type = 'hidden';
      extra.name = 'accept';
      extra.value = 'on';
      form.append(extra);
    });
    await page.getByLabel('I have read and accept the terms of service').check();
    await page.getByRole('button', { name: 'Accept and continue' }).click();
    await expect(page.locator('[role="alert"][data-error-code="validation_failed"]').first()).toBeVisible();
    await nothingHappened(request);
    await context.close();
  });

  for (const method of ['POST /start', 'POST /api/requirements', 'PUT /complete', 'DELETE /steps/terms', 'PATCH /start-over']) {
    test(`${method} is not a form endpoint → 405`, async ({ request }) => {
      const [verb = 'POST', path = '/'] = method.split(' ');
      const response = await request.fetch(`${base}${path}`, { method: verb, headers: { origin: base }, form: { state: 's' }, maxRedirects: 0 });
      await expectRefusal(response, 405, 'invalid_request');
      await nothingHappened(request);
    });
  }

  // POST /complete mints a fresh hand-back (docs/design.md "Slow hands"): a form post like the steps', checked alike.
  for (const [name, headers, status, code] of [
    ['without a flow cookie', { origin: base }, 401, 'flow_missing'],
    ['from another origin', { origin: 'https://evil.example.com', cookie: '__Host-detour-flow=x' }, 403, 'origin_rejected'],
    ['without an Origin', { cookie: '__Host-detour-flow=x' }, 403, 'origin_rejected'],
    ['with a forged flow cookie', { origin: base, cookie: '__Host-detour-flow=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z' }, 401, 'flow_missing'],
  ] as const) {
    test(`POST /complete ${name} → ${status} ${code}, no token minted`, async ({ request }) => {
      const response = await request.post(`${base}/complete`, { headers, form: { state: 's' }, maxRedirects: 0 });
      const html = await expectRefusal(response, status, code);
      expect(html).not.toMatch(/name="session_token"/);
      await nothingHappened(request);
    });
  }
});

test('replay: a used link is refused in another browser with 409, and the flow it started is untouched', async ({ browser, request }) => {
  const first = await browser.newContext();
  const page = await first.newPage();
  const startUrl = await loginAt(page, ACTIONS, 'alice');
  const second = await browser.newContext();
  const response = await second.request.get(startUrl, { maxRedirects: 0 });
  await expectRefusal(response, 409, 'token_replayed');
  await nothingHappened(request);
  await page.reload();
  await expect(page).toHaveURL(`${base}/steps/terms`);
  await first.close();
  await second.close();
});
