import { expect, test } from '@playwright/test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { ACTIONS, RULES, clearFaults, continueWithoutScript, detourUrl, injectFault, loginAt, readConsents, resetTenant, sampleAppUrl, tenantCalls, tenantUrl } from './helpers';

test.beforeEach(async ({ request }) => {
  await resetTenant(request, ACTIONS);
  await resetTenant(request, RULES);
});

test('actions: terms accepted, written to Auth0 and accepted by /continue', async ({ page, request }) => {
  const startUrl = await loginAt(page, ACTIONS, 'alice');
  expect(startUrl).toContain('session_token=');
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/terms`);
  // DESIGN rule 4: the token left the URL at once.
  expect(page.url()).not.toContain('session_token');
  await expect(page.getByTestId('account')).toContainText('a***e@example.com');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Review our updated terms');

  await page.getByRole('button', { name: 'Accept and continue' }).click();
  const fieldError = page.locator('[role="alert"][data-error-code="validation_failed"]');
  await expect(fieldError).toContainText('Tick the box');
  expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(0);

  await page.getByLabel('I have read and accept the terms of service').check();
  const handBack = page.waitForRequest((r) => r.url().startsWith(`${tenantUrl(ACTIONS)}/continue?`));
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
  // As with Auth0: /continue → /authorize/resume → the application's callback, on the application's origin.
  expect(new URL(page.url()).origin).toBe(sampleAppUrl(ACTIONS));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Signed in as alice');

  // The hand-back is a POST of state + session_token to the tenant's /continue?state=S (DESIGN "Return token").
  const continueRequest = await handBack;
  expect(continueRequest.method()).toBe('POST');
  const body = new URLSearchParams(continueRequest.postData() ?? '');
  const state = new URL(startUrl).searchParams.get('state');
  expect(new URL(continueRequest.url()).searchParams.get('state')).toBe(state);
  expect(body.get('state')).toBe(state);
  const header = decodeProtectedHeader(body.get('session_token') ?? '');
  expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
  const returned = decodeJwt(body.get('session_token') ?? '');
  const incoming = decodeJwt(new URL(startUrl).searchParams.get('session_token') ?? '');
  expect(returned).toMatchObject({
    sub: 'auth0|alice',
    iss: detourUrl(ACTIONS),
    aud: incoming.iss,
    jti: incoming.jti,
    state,
    completed: ['terms'],
    terms: { version: '2026-11-01' },
  });
  expect((returned.exp ?? 0) - (returned.iat ?? 0)).toBe(60);

  const consents = readConsents(ACTIONS).filter((row) => row.jti === incoming.jti);
  expect(consents).toHaveLength(1);
  expect(consents[0]).toMatchObject({ sub: 'auth0|alice', terms_version: '2026-11-01', locale: 'en' });
  expect(consents[0]?.document_sha256).toMatch(/^[0-9a-f]{64}$/);
  const appMetadata = JSON.parse((await page.getByTestId('app-metadata').textContent()) ?? '{}');
  expect(appMetadata.terms_accepted_version).toBe('2026-11-01');
  expect(typeof appMetadata.terms_accepted_at).toBe('string');

  const calls = await tenantCalls(request, ACTIONS);
  expect(calls.writes).toHaveLength(1);
  expect(calls.writes[0]?.path).toBe('/api/v2/users/auth0%7Calice');
});

test('the terms page loads no JavaScript: no-store, its form a plain post', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(request.url());
  });
  const terms = page.waitForResponse((r) => r.url() === `${detourUrl(ACTIONS)}/steps/terms` && r.request().method() === 'GET');
  await loginAt(page, ACTIONS, 'alice');
  const response = await terms;
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('text/html; charset=utf-8');
  expect(response.headers()['cache-control']).toContain('no-store');
  expect(await response.text()).not.toMatch(/<script\b/i);
  await expect(page.locator('form:has(#accept)')).toHaveAttribute('method', 'post');
  await expect(page.locator('form:has(#accept)')).toHaveAttribute('action', '/steps/terms');
  expect(scripts).toEqual([]);
});

test('the /start answer: 303 to a clean URL, no-store, no-referrer, HttpOnly __Host- cookie', async ({ page }) => {
  const startResponse = page.waitForResponse((r) => r.url().startsWith(`${detourUrl(ACTIONS)}/start?`));
  await loginAt(page, ACTIONS, 'alice');
  const response = await startResponse;
  expect(response.status()).toBe(303);
  const headers = await response.allHeaders();
  expect(headers['location']).toBe(`${detourUrl(ACTIONS)}/steps/terms`);
  expect(headers['cache-control']).toContain('no-store');
  expect(headers['referrer-policy']).toBe('no-referrer');

  const cookies = await page.context().cookies(detourUrl(ACTIONS));
  const flowCookie = cookies.find((c) => c.name === '__Host-detour-flow');
  expect(flowCookie?.httpOnly).toBe(true);
  expect(flowCookie?.secure).toBe(true);
  expect(flowCookie?.sameSite).toBe('Lax');
  expect(flowCookie?.path).toBe('/');
  expect(flowCookie?.domain).toBe('127.0.0.1');
});

test('a replayed link is refused in another browser but resumes in the one that holds the flow', async ({ page, browser }) => {
  const startUrl = await loginAt(page, ACTIONS, 'alice');
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/terms`);

  // Same browser: reload the link (back button, refresh) → resumes where it was.
  await page.goto(startUrl);
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/terms`);

  const other = await browser.newContext();
  const otherPage = await other.newPage();
  const response = await otherPage.goto(startUrl);
  expect(response?.status()).toBe(409);
  await expect(otherPage.locator('[role="alert"]')).toHaveAttribute('data-error-code', 'token_replayed');
  await expect(otherPage.locator('[role="alert"]')).toContainText('already been used');
  await other.close();
});

test('a Management API failure is shown, the input is kept, and a retry succeeds without a new link', async ({ page, request }) => {
  await loginAt(page, ACTIONS, 'alice');
  await injectFault(request, ACTIONS, { target: 'users_patch', mode: '500', times: 1000 });
  await page.getByLabel('I have read and accept the terms of service').check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  const alert = page.locator('[role="alert"][data-error-code="upstream_unavailable"]');
  await expect(alert).toBeVisible({ timeout: 20_000 });
  await expect(alert).toContainText('please try again');
  await expect(page.getByLabel('I have read and accept the terms of service')).toBeChecked();
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/terms`);
  expect((await tenantCalls(request, ACTIONS)).continues).toHaveLength(0);

  await clearFaults(request, ACTIONS);
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
});

test('a step form post re-checks the flow cookie: a tampered cookie is refused and nothing is written', async ({ page, request }) => {
  await loginAt(page, ACTIONS, 'alice');
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/terms`);
  const [cookie] = (await page.context().cookies(detourUrl(ACTIONS))).filter((c) => c.name === '__Host-detour-flow');
  expect(cookie).toBeDefined();
  const value = cookie?.value ?? '';
  const tampered = `${value.slice(0, -8)}${value.slice(-8) === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA'}`;
  await page.context().addCookies([{ ...cookie!, value: tampered }]);
  await page.getByLabel('I have read and accept the terms of service').check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await expect(page.locator('[role="alert"][data-error-code="flow_missing"]')).toBeVisible();
  await expect(page.getByLabel('I have read and accept the terms of service')).toBeChecked();
  expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(0);
});

test('"not you? start over" ends the flow in this browser and writes nothing', async ({ page, request }) => {
  const startUrl = await loginAt(page, ACTIONS, 'alice');
  await page.getByRole('button', { name: 'Not you? Start over' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You have left this sign-in');
  const flowCookies = (await page.context().cookies(detourUrl(ACTIONS))).filter((c) => c.name === '__Host-detour-flow');
  expect(flowCookies).toHaveLength(0);
  const step = await page.goto(`${detourUrl(ACTIONS)}/steps/terms`);
  expect(step?.status()).toBe(401);
  // The link was used and the flow is gone: it cannot be picked up again.
  const again = await page.goto(startUrl);
  expect(again?.status()).toBe(409);
  const calls = await tenantCalls(request, ACTIONS);
  expect(calls.writes).toHaveLength(0);
  expect(calls.continues).toHaveLength(0);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the form posts, server errors show, and the hand-back button finishes the login', async ({ page, request }) => {
    await loginAt(page, ACTIONS, 'alice');
    await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/terms`);
    await page.getByRole('button', { name: 'Accept and continue' }).click();
    await expect(page.locator('[role="alert"][data-error-code="validation_failed"]')).toContainText('Tick the box');

    await page.getByLabel('I have read and accept the terms of service').check();
    await page.getByRole('button', { name: 'Accept and continue' }).click();
    await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/complete`);
    await continueWithoutScript(page, ACTIONS);
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
    expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(1);
  });
});

test('rules: the legacy protocol reaches /continue with `token` and is accepted', async ({ page }) => {
  const startUrl = await loginAt(page, RULES, 'alice');
  expect(startUrl).toMatch(/[?&]token=/);
  await expect(page).toHaveURL(`${detourUrl(RULES)}/steps/terms`);
  await page.getByLabel('I have read and accept the terms of service').check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
  const appMetadata = JSON.parse((await page.getByTestId('app-metadata').textContent()) ?? '{}');
  expect(appMetadata.terms_accepted_version).toBe('2026-11-01');
});

test('a user already on the current terms is not detoured', async ({ page, request }) => {
  await page.goto(`${tenantUrl(ACTIONS)}/`);
  await page.getByTestId('login-carol').click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
  expect(new URL(page.url()).origin).toBe(sampleAppUrl(ACTIONS));
  expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(0);
});
