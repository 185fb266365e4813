import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { e2eLogFile } from '../../playwright.config';
import { ACTIONS, detourUrl, loginAt, resetTenant, tenantUrl } from '../helpers';

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
