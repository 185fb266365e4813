import { readFileSync } from 'node:fs';
import { expect, test, type APIResponse } from '@playwright/test';
import { e2eLogFile } from '../playwright.config';
import { ACTIONS, detourUrl, loginAt, mintSessionToken, resetTenant, startUrlFor, tenantCalls } from './helpers';

// RFC 9110 §9.3.2: HEAD (and every method but a form POST) is safe. A mail scanner or a link checker that sends HEAD
// must not use up a sign-in link, set a cookie, advance a flow, mint a hand-back or write anything.

test.beforeEach(async ({ request }) => {
  await resetTenant(request, ACTIONS);
});

const logSince = (offset: number) => readFileSync(e2eLogFile(ACTIONS), 'utf8').slice(offset);
const logLength = () => readFileSync(e2eLogFile(ACTIONS), 'utf8').length;

function expectHeadersOnly(response: APIResponse) {
  expect(response.status()).toBe(200);
  expect(response.headers()['set-cookie']).toBeUndefined();
  expect(response.headers()['cache-control']).toBe('no-store');
  expect(response.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
}

test('HEAD /start with a fresh token answers without a cookie; the same link then starts the flow', async ({ page, request }) => {
  const url = startUrlFor(ACTIONS, await mintSessionToken(ACTIONS));
  const logFrom = logLength();
  for (let i = 0; i < 2; i += 1) expectHeadersOnly(await request.head(url, { maxRedirects: 0 }));
  expect(logSince(logFrom)).not.toMatch(/"event":"flow_(started|resumed|refused)"/);

  // Not claimed: the browser's GET is the first use of the jti (a claimed one would answer 409 here).
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/terms`);
  expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(0);
});

test('PUT, DELETE, PATCH and OPTIONS on /start are refused with 405 and leave the link usable', async ({ page, request }) => {
  const url = startUrlFor(ACTIONS, await mintSessionToken(ACTIONS));
  for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    const response = await request.fetch(url, { method, maxRedirects: 0 });
    expect(response.status(), method).toBe(405);
    expect(response.headers()['set-cookie'], method).toBeUndefined();
  }
  await page.goto(url);
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/terms`);
});

test.describe('without JavaScript, so the hand-back page stays open', () => {
  test.use({ javaScriptEnabled: false });

  test('HEAD on a step page and on /complete changes nothing: no cookie, no hand-back minted, nothing written', async ({ page, request }) => {
    const flowCookie = async () => (await page.context().cookies()).find((c) => c.name === '__Host-detour-flow')?.value;
    await loginAt(page, ACTIONS, 'alice');
    await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/terms`);
    const opened = await flowCookie();
    expect(opened).toBeTruthy();
    const logFrom = logLength();

    for (const path of ['/steps/terms', '/complete', '/start-over']) expectHeadersOnly(await page.request.head(`${detourUrl(ACTIONS)}${path}`, { maxRedirects: 0 }));
    expect(await flowCookie()).toBe(opened);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Review our updated terms');

    await page.getByLabel('I have read and accept the terms of service').check();
    await page.getByRole('button', { name: 'Accept and continue' }).click();
    await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/complete`);
    const completedLines = () => logSince(logFrom).match(/"event":"flow_completed"/g)?.length ?? 0;
    expect(completedLines()).toBe(1);
    const accepted = await flowCookie();
    for (let i = 0; i < 3; i += 1) expectHeadersOnly(await page.request.head(`${detourUrl(ACTIONS)}/complete`, { maxRedirects: 0 }));
    expect(completedLines()).toBe(1);
    expect(logSince(logFrom)).not.toContain('"event":"handback_reissued"');

    const calls = await tenantCalls(request, ACTIONS);
    expect(calls.writes).toHaveLength(1); // the terms acceptance, nothing from the HEADs
    expect(calls.continues).toHaveLength(0);
    expect(await flowCookie()).toBe(accepted);
  });
});
