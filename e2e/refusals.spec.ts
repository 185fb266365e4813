import { expect, test } from '@playwright/test';
import { ACTIONS, detourUrl, resetTenant, tenantCalls, tenantUrl } from './helpers';

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
  expect(csp).toMatch(/form-action 'self' http:\/\/127\.0\.0\.1:4110(;|$)/);
  expect(csp).not.toContain('unsafe-inline');
  const nonce = (value: string) => /'nonce-([^']+)'/.exec(value)?.[1];
  expect(nonce(csp)).toBeTruthy();
  expect(nonce(csp)).not.toBe(nonce(second.headers()['content-security-policy'] ?? ''));
  expect(first.headers()['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(first.headers()['x-content-type-options']).toBe('nosniff');
  expect(first.headers()['strict-transport-security']).toBeUndefined();
});
