import { expect, test, type APIRequestContext } from '@playwright/test';
import { decodeJwt } from 'jose';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET } from './local-tenant/config';
import { ACTIONS, forgetVerifySendCounts, detourUrl, latestCode, loginAt, mailbox, resetTenant, sampleAppUrl, tenantCalls, tenantUrl } from './helpers';

// Verify it's you (docs/design.md "The verify step"): pablo's known location is Berlin, and he signs in from Lisbon.
test.beforeEach(async ({ request }) => {
  await resetTenant(request, ACTIONS);
  forgetVerifySendCounts(ACTIONS);
});

async function managementToken(request: APIRequestContext): Promise<string> {
  const response = await request.post(`${tenantUrl(ACTIONS)}/oauth/token`, {
    data: { grant_type: 'client_credentials', client_id: DEV_CLIENT_ID, client_secret: DEV_CLIENT_SECRET, audience: `${tenantUrl(ACTIONS)}/api/v2/` },
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

test('a sign-in from a new country: the code by mail, /continue accepts, and the next sign-in from there goes straight through', async ({ page, request }) => {
  const startUrl = await loginAt(page, ACTIONS, 'pablo');
  const incoming = decodeJwt(new URL(startUrl).searchParams.get('session_token') ?? '');
  expect(incoming.steps).toEqual(['verify']);
  // Names only: no coordinates, no IP in the claim.
  expect(incoming.verify).toEqual({ location: { country: 'PT', region: 'Lisbon', city: 'Lisbon' }, reason: 'new_location' });

  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/verify`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Confirm it's you");
  await expect(page.getByRole('main')).toContainText('This sign-in comes from a place where you have not signed in before: Lisbon, Portugal.');
  await expect(page.getByRole('main')).toContainText('We sent a 6-digit code to p***o@example.com');
  const code = await latestCode('pablo@example.com');
  const [mail] = await mailbox(ACTIONS);
  expect(mail?.subject).toBe('Your Example sign-in code');
  expect(mail?.text).toContain('Lisbon, Portugal');
  expect(mail?.text).toContain('If this was not you');

  const input = page.getByLabel('Code from the email');
  await expect(input).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(input).toHaveAttribute('inputmode', 'numeric');
  // As pasted from the mail, with a space in the middle.
  await input.fill(`${code.slice(0, 3)} ${code.slice(3)}`);
  const handBack = page.waitForRequest((r) => r.url().startsWith(`${tenantUrl(ACTIONS)}/continue?`));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
  expect(new URL(page.url()).origin).toBe(sampleAppUrl(ACTIONS));

  const returned = decodeJwt(new URLSearchParams((await handBack).postData() ?? '').get('session_token') ?? '');
  expect(returned).toMatchObject({ completed: ['verify'], verify: { method: 'email_otp', location: { country: 'PT', region: 'Lisbon', city: 'Lisbon' } } });
  expect(Date.parse(String((returned.verify as { at: string }).at))).not.toBeNaN();
  // Nothing went through the Management API: the Action records the location, and on trigger v3 the method.
  const calls = await tenantCalls(request, ACTIONS);
  expect(calls.writes).toHaveLength(0);
  const triggerVersion = test.info().project.metadata.triggerVersion as string;
  expect(calls.continues.map((c) => c.recorded_methods)).toEqual([triggerVersion === 'v3' ? [`${detourUrl(ACTIONS)}/verify/email`] : undefined]);
  const appMetadata = JSON.parse((await page.getByTestId('app-metadata').textContent()) ?? '{}') as { detour_known_locations: { country: string; region?: string }[] };
  expect(appMetadata.detour_known_locations.map(({ country, region }) => ({ country, region }))).toEqual([
    { country: 'DE', region: 'Berlin' },
    { country: 'PT', region: 'Lisbon' },
  ]);

  // The next sign-in from Lisbon is not detoured.
  const again = await loginAt(page, ACTIONS, 'pablo');
  expect(again).toBe('');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Signed in as pablo');
});

test('verify and terms in one redirect: verify first, then terms, one /continue', async ({ page, request }) => {
  const token = await managementToken(request);
  const reset = await request.patch(`${tenantUrl(ACTIONS)}/api/v2/users/${encodeURIComponent('auth0|pablo')}`, {
    headers: { authorization: `Bearer ${token}` },
    data: { app_metadata: { terms_accepted_version: null } },
  });
  expect(reset.status()).toBe(200);
  const startUrl = await loginAt(page, ACTIONS, 'pablo');
  expect(decodeJwt(new URL(startUrl).searchParams.get('session_token') ?? '').steps).toEqual(['verify', 'terms']);
  await expect(page.getByRole('navigation', { name: 'Progress' })).toContainText('Step 1 of 2');
  await page.getByLabel('Code from the email').fill(await latestCode('pablo@example.com'));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/terms`);
  // A finished verification cannot be opened again.
  await expect(page.getByRole('navigation', { name: 'Progress' }).getByRole('link')).toHaveCount(0);
  await page.getByLabel('I have read and accept the terms of service').check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Signed in as pablo');
});

test('a user without a verified email is not sent a code: the Action denies the sign-in and says why', async ({ page }) => {
  expect(await loginAt(page, ACTIONS, 'quentin')).toBe('');
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'denied');
  await expect(page.getByTestId('deny-reason')).toContainText('verification_required');
  await expect(page.getByTestId('deny-reason')).toContainText('no verified email address');
  expect(await mailbox(ACTIONS)).toHaveLength(0);
});
