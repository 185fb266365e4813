import { spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { decodeJwt } from 'jose';
import { e2eDatabaseFile } from '../playwright.config';
import { ACTIONS, detourUrl, loginAt, resetTenant, sampleAppUrl, tenantCalls, tenantUrl } from './helpers';

test.beforeEach(async ({ request }) => resetTenant(request, ACTIONS));

const STRONG = 'Quiet-Harbor-Lantern-82';

test('judy needs all three steps: one redirect, a named progress indicator, back navigation, and /continue accepts', async ({ page, request }) => {
  const startUrl = await loginAt(page, ACTIONS, 'judy');
  expect(decodeJwt(new URL(startUrl).searchParams.get('session_token') ?? '').steps).toEqual(['password', 'terms', 'profile']);

  // 1 of 3: password.
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/password`);
  const progress = page.getByRole('navigation', { name: 'Progress' });
  await expect(progress).toContainText('Step 1 of 3');
  await expect(progress.locator('li')).toHaveText(['New password', 'Terms', 'Your profile']);
  await page.getByLabel('New password', { exact: true }).fill(STRONG);
  await page.getByLabel('Type the new password again').fill(STRONG);
  await page.getByRole('button', { name: 'Change password and continue' }).click();

  // 2 of 3: terms. The finished password step cannot be reopened (a second change would hit Auth0's history rule).
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/terms`);
  await expect(progress).toContainText('Step 2 of 3');
  await expect(progress.getByRole('link')).toHaveCount(0);
  await page.getByLabel('I have read and accept the terms of service').check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();

  // 3 of 3: profile. Going back to terms shows the box ticked; submitting again returns here.
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/profile`);
  await expect(progress).toContainText('Step 3 of 3');
  await progress.getByRole('link', { name: 'Terms' }).click();
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/terms`);
  await expect(page.getByLabel('I have read and accept the terms of service')).toBeChecked();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/profile`);
  // Reloading resumes on the same step.
  await page.reload();
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/profile`);

  await page.getByLabel('Given name').fill('Judy');
  await page.getByLabel('Family name').fill('Hopps');
  await page.getByLabel('Phone number').fill('+44 20 7946 0018');
  await page.getByLabel('Country or region').selectOption('GB');
  const handBack = page.waitForRequest((r) => r.url().startsWith(`${tenantUrl(ACTIONS)}/continue?`) && r.method() === 'POST');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
  await expect(page.getByTestId('password-changed')).toBeVisible();

  const claims = decodeJwt(new URLSearchParams((await handBack).postData() ?? '').get('session_token') ?? '');
  expect(claims.completed).toEqual(['password', 'terms', 'profile']);
  expect(claims).toMatchObject({ terms: { version: '2026-11-01' }, profile: { given_name: 'Judy', family_name: 'Hopps', phone: '+442079460018', country: 'GB' } });
  expect(Object.keys(claims.password as object)).toEqual(['changed_at']);
  const writes = (await tenantCalls(request, ACTIONS)).writes;
  // One write per step with data: the password, the terms (twice: it was submitted again on the way back), the profile.
  expect(writes.map((w) => Object.keys(w.body).sort().join(','))).toEqual(['connection,password', 'app_metadata', 'app_metadata', 'family_name,given_name,user_metadata']);
});

test('a prompt=none login is never sent to Detour', async ({ page, request }) => {
  let detoured = false;
  page.on('request', (r) => {
    if (r.url().startsWith(detourUrl(ACTIONS))) detoured = true;
  });
  await page.goto(`${tenantUrl(ACTIONS)}/`);
  await page.getByTestId('login-prompt').selectOption('none');
  await page.getByTestId('login-alice').click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'denied');
  await expect(page.getByTestId('deny-reason')).toContainText('terms_not_accepted');
  // As with Auth0, the denial reaches the application's callback (error=access_denied), on its own origin.
  expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
  expect(new URL(page.url()).origin).toBe(sampleAppUrl(ACTIONS));
  expect(detoured).toBe(false);
  expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(0);
});

test('the requirements endpoint is public, holds no user data, and matches the steps file', async ({ request }) => {
  const response = await request.get(`${detourUrl(ACTIONS)}/api/requirements`);
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({
    terms: { current: '2026-11-01', reaccept_from: '2026-11-01' },
    profile: { required: ['given_name', 'family_name', 'phone', 'country'] },
    verify: { match: 'country', max_age_days: null, known_locations_max: 10 },
  });
});

test('the consent export lists every acceptance with its document hash', async ({ page }) => {
  const startUrl = await loginAt(page, ACTIONS, 'bob');
  const jti = String(decodeJwt(new URL(startUrl).searchParams.get('session_token') ?? '').jti);
  await page.getByLabel('I have read and accept the terms of service').check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');

  const exported = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/consent-export.mts', '--since', '2026-01-01', '--format', 'jsonl'], {
    env: { ...process.env, DATABASE_URL: `file:${e2eDatabaseFile(ACTIONS)}` },
    encoding: 'utf8',
  });
  expect(exported.status).toBe(0);
  const rows = exported.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
  const bob = rows.find((row) => row.jti === jti);
  expect(bob).toMatchObject({ sub: 'auth0|bob', terms_version: '2026-11-01', locale: 'en' });
  expect(bob?.document_sha256).toMatch(/^[0-9a-f]{64}$/);
});
