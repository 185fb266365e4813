import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { e2eLogFile } from '../../playwright.config';
import { decodeJwt } from 'jose';
import { ACTIONS, detourUrl, forgetVerifySendCounts, latestCode, loginAt, resetTenant, tenantUrl } from '../helpers';

test.beforeEach(async ({ request }) => resetTenant(request, ACTIONS));

test('after /start no request carries the token, history holds no token URL, and the logs hold no secret', async ({ page }) => {
  const seen: { url: string; referer: string | undefined }[] = [];
  page.on('request', (request) => seen.push({ url: request.url(), referer: request.headers()['referer'] }));
  const logBefore = readFileSync(e2eLogFile(ACTIONS), 'utf8').length;

  const startUrl = await loginAt(page, ACTIONS, 'alice');
  const start = new URL(startUrl);
  const token = start.searchParams.get('session_token') ?? '';
  const state = start.searchParams.get('state') ?? '';
  expect(token.length).toBeGreaterThan(100);

  await page.getByLabel('I have read and accept the terms of service').check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');

  // Browser side: every request after /start is free of the token, in its URL and in its Referer.
  const startIndex = seen.findIndex((r) => r.url.startsWith(`${detourUrl(ACTIONS)}/start?`));
  expect(startIndex).toBeGreaterThanOrEqual(0);
  const after = seen.slice(startIndex + 1);
  expect(after.length).toBeGreaterThan(3);
  for (const request of after) {
    expect(request.url).not.toContain(token);
    expect(request.referer ?? '').not.toContain(token);
  }

  // History: going back from the terms page lands on the tenant's login page, never on the /start URL.
  await page.goto(`${detourUrl(ACTIONS)}/api/health`);
  for (let i = 0; i < 6; i++) {
    const response = await page.goBack().catch(() => null);
    if (!response) break;
    expect(page.url()).not.toContain('session_token');
    if (page.url().startsWith(`${tenantUrl(ACTIONS)}/`) && new URL(page.url()).pathname === '/') break;
  }

  // Server side: the whole flow's log lines name the flow but hold no token, state, email or cookie.
  await expect.poll(() => readFileSync(e2eLogFile(ACTIONS), 'utf8').slice(logBefore)).toContain('"event":"flow_completed"');
  const log = readFileSync(e2eLogFile(ACTIONS), 'utf8').slice(logBefore);
  expect(log).toContain('"event":"flow_started"');
  expect(log).toContain('"event":"step_completed"');
  for (const secret of [token, token.split('.')[2] ?? token, state, 'alice@example.com', '__Host-detour-flow=']) {
    expect(log).not.toContain(secret);
  }
});

test('a verify code is never in a URL, the flow cookie, the return token or a log line', async ({ page }) => {
  forgetVerifySendCounts(ACTIONS);
  const logBefore = readFileSync(e2eLogFile(ACTIONS), 'utf8').length;
  const urls: string[] = [];
  const bodies: string[] = [];
  page.on('request', (request) => {
    urls.push(request.url());
    if (request.url().startsWith(`${tenantUrl(ACTIONS)}/continue`)) bodies.push(request.postData() ?? '');
  });
  await loginAt(page, ACTIONS, 'pablo');
  const code = await latestCode('pablo@example.com');
  const cookieBefore = (await page.context().cookies()).find((c) => c.name === '__Host-detour-flow')?.value ?? '';
  await page.getByLabel('Code from the email').fill(code);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');

  // The code as a whole token: six digits not inside a longer run of letters or digits (a timestamp, an id).
  const asToken = new RegExp(`(?<![0-9A-Za-z])${code}(?![0-9A-Za-z])`);
  for (const url of urls) expect(url).not.toMatch(asToken);
  const returnToken = new URLSearchParams(bodies[0] ?? '').get('session_token') ?? '';
  expect(returnToken).not.toBe('');
  expect(JSON.stringify(decodeJwt(returnToken))).not.toMatch(asToken);
  // The flow cookie is encrypted; what the flow keeps of this step is its claim (method, time, place; asserted
  // exactly in lib/steps/verify/step.test.ts), never the code.
  expect(cookieBefore).not.toBe('');
  await expect.poll(() => readFileSync(e2eLogFile(ACTIONS), 'utf8').slice(logBefore)).toContain('"event":"flow_completed"');
  const log = readFileSync(e2eLogFile(ACTIONS), 'utf8').slice(logBefore);
  expect(log).toContain('"event":"verify_code_sent"');
  expect(log).not.toMatch(asToken);
  expect(log).not.toContain('pablo@example.com');
});
