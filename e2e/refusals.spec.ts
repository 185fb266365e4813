import { expect, test } from '@playwright/test';
import { ACTIONS, RULES, detourUrl, mintSessionToken, resetTenant, startUrlFor, tenantCalls, tenantUrl } from './helpers';

test.beforeEach(async ({ request }) => resetTenant(request, ACTIONS));

const base = detourUrl(ACTIONS);

for (const [name, query, status, code] of [
  ['no parameters', '', 400, 'invalid_request'],
  ['state missing', '?session_token=a.b.c', 400, 'invalid_request'],
  ['state twice', '?state=a&state=b&session_token=a.b.c', 400, 'invalid_request'],
  ['token twice', '?state=a&session_token=a.b.c&session_token=a.b.c', 400, 'invalid_request'],
  ['token not a JWT', '?state=a&session_token=not-a-token', 400, 'token_malformed'],
  ['token with padding', '?state=a&session_token=eyJhbGciOiJIUzI1NiJ9.e30.c2ln%3D', 400, 'token_malformed'],
  ['forged token', '?state=a&session_token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', 401, 'token_signature'],
] as const) {
  test(`/start refuses ${name} with ${status} ${code}`, async ({ request }) => {
    const response = await request.get(`${base}/start${query}`, { maxRedirects: 0 });
    expect(response.status()).toBe(status);
    expect(response.headers()['cache-control']).toContain('no-store');
    const html = await response.text();
    expect(html).toContain(`role="alert"`);
    expect(html).toContain(`data-error-code="${code}"`);
    expect(response.headers()['set-cookie']).toBeUndefined();
  });
}

test('a link refused for its parameters burns nothing: the same token still starts the flow', async ({ page, request }) => {
  // Log in at the tenant without following its redirect, so the token stays unused.
  const login = await request.post(`${tenantUrl(ACTIONS)}/login`, { form: { user_id: 'auth0|alice' }, maxRedirects: 0 });
  expect(login.status()).toBe(302);
  const startUrl = login.headers()['location'] ?? '';
  expect(startUrl.startsWith(`${base}/start?`)).toBe(true);

  const tampered = new URL(startUrl);
  tampered.searchParams.append('session_token', tampered.searchParams.get('session_token') ?? '');
  const refused = await request.get(tampered.toString(), { maxRedirects: 0 });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain('data-error-code="invalid_request"');

  await page.goto(startUrl);
  await expect(page).toHaveURL(`${base}/steps/terms`);
  expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(0);
});

test('an address longer than 8 KB is refused with 414 before any work', async ({ request }) => {
  const response = await request.get(`${base}/start?state=a&session_token=${'a'.repeat(9000)}`, { maxRedirects: 0 });
  expect(response.status()).toBe(414);
  expect(response.headers()['cache-control']).toContain('no-store');
});

test('a step page without a flow cookie is refused', async ({ request }) => {
  const response = await request.get(`${base}/steps/terms`, { maxRedirects: 0 });
  expect(response.status()).toBe(401);
  expect(await response.text()).toContain('data-error-code="flow_missing"');
});

test('a form post without Origin, with Origin null or cross-site never reaches the action', async ({ request }) => {
  const variants: Record<string, string>[] = [{}, { origin: 'null' }, { origin: 'https://evil.example' }, { origin: base, 'sec-fetch-site': 'cross-site' }];
  for (const headers of variants) {
    const response = await request.post(`${base}/steps/terms`, { headers, form: { accept: 'on' }, maxRedirects: 0 });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('data-error-code="origin_rejected"');
  }
  expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(0);
});

test('every page carries the security headers with a fresh nonce', async ({ request }) => {
  const first = await request.get(`${base}/steps/terms`);
  const second = await request.get(`${base}/steps/terms`);
  const csp = first.headers()['content-security-policy'] ?? '';
  expect(csp).toContain(`frame-ancestors 'none'`);
  expect(csp).toContain(`object-src 'none'`);
  expect(csp).toContain(`base-uri 'none'`);
  // Step pages post only to Detour (docs/design.md rule 6); the hand-back page sends none (lib/security/csp.test.ts; e2e/handback.spec.ts proves logins get through).
  expect(csp.split('; ')).toContain(`form-action 'self'`);
  expect(csp).not.toContain('unsafe-inline');
  const nonce = (value: string) => /'nonce-([^']+)'/.exec(value)?.[1];
  expect(nonce(csp)).toBeTruthy();
  expect(nonce(csp)).not.toBe(nonce(second.headers()['content-security-policy'] ?? ''));
  expect(first.headers()['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(first.headers()['x-content-type-options']).toBe('nosniff');
  expect(first.headers()['strict-transport-security']).toBeUndefined();
});

const now = () => Math.floor(Date.now() / 1000);

for (const [name, mint, status, code] of [
  ['a token signed with another secret', () => mintSessionToken(ACTIONS, {}, { secret: 'another-secret-of-at-least-32-bytes-long!!' }), 401, 'token_signature'],
  ['an expired token', () => mintSessionToken(ACTIONS, { iat: now() - 700, exp: now() - 100 }), 401, 'token_expired'],
  ['a token for another audience', () => mintSessionToken(ACTIONS, { aud: 'https://elsewhere.example' }), 401, 'audience_mismatch'],
  ['a token from an attacker host', () => mintSessionToken(ACTIONS, { iss: 'evil.example.com' }), 401, 'issuer_not_allowed'],
  ['a token without jti', () => mintSessionToken(ACTIONS, { jti: undefined }), 401, 'claim_invalid'],
  ['a token asking for an unknown step', () => mintSessionToken(ACTIONS, { steps: ['terms', 'teleport'] }), 401, 'unknown_step'],
  ['a token whose state claim differs from the query', () => mintSessionToken(ACTIONS, { state: 'another-state' }), 400, 'state_mismatch'],
  ['a token with a control character in sub', () => mintSessionToken(ACTIONS, { sub: 'auth0|ali\u0000ce' }), 401, 'claim_invalid'],
  ['a token that lives longer than the maximum age', () => mintSessionToken(ACTIONS, {}, { lifetimeSeconds: 3600 }), 401, 'token_too_old'],
] as const) {
  test(`/start refuses ${name} (${code}) and writes nothing`, async ({ request }) => {
    const response = await request.get(startUrlFor(ACTIONS, await mint()), { maxRedirects: 0 });
    expect(response.status()).toBe(status);
    expect(await response.text()).toContain(`data-error-code="${code}"`);
    expect(response.headers()['set-cookie']).toBeUndefined();
    expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(0);
  });
}

test('the same token sent 20 times at once starts exactly one flow', async ({ playwright }) => {
  const token = await mintSessionToken(ACTIONS);
  const contexts = await Promise.all(Array.from({ length: 20 }, () => playwright.request.newContext()));
  const statuses = await Promise.all(contexts.map(async (context) => (await context.get(startUrlFor(ACTIONS, token), { maxRedirects: 0 })).status()));
  await Promise.all(contexts.map((context) => context.dispose()));
  expect(statuses.filter((s) => s === 303)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(19);
});

test('a rules token is refused by the actions instance and vice versa', async ({ request }) => {
  const rulesToken = await mintSessionToken(RULES, { iss: 'urn:detour:local-rule' });
  const response = await request.get(startUrlFor(ACTIONS, rulesToken), { maxRedirects: 0 });
  expect(response.status()).toBe(401);
  const actionsToken = await mintSessionToken(ACTIONS, { aud: detourUrl(RULES) });
  const other = await request.get(startUrlFor(RULES, actionsToken), { maxRedirects: 0 });
  expect(other.status()).toBe(401);
  expect(await other.text()).toContain('data-error-code="issuer_not_allowed"');
});

test('readiness reports the database and the token endpoint without secrets', async ({ request }) => {
  const health = await request.get(`${base}/api/health`);
  expect(health.status()).toBe(200);
  const ready = await request.get(`${base}/api/ready`);
  expect(ready.status()).toBe(200);
  const body = await ready.text();
  expect(JSON.parse(body)).toEqual({ status: 'ready', checks: { database: 'ok', management_api_token: 'ok' } });
  expect(body).not.toContain('secret');
});
