import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { decodeJwt } from 'jose';
import { ACTIONS, RULES, detourUrl, loginAt, mintSessionToken, resetTenant, startUrlFor, tenantCalls, tenantUrl } from './helpers';
import { DATABASE_CONNECTION, SEED_PASSWORD } from './local-tenant/users';
import type { StackInstance } from './stack';

/**
 * The password step (DESIGN rule 8) against the local tenant: frank has `force_password_change`, heidi too (plus
 * older terms and an empty profile). Detour's attempt limits (5 a minute per flow and per user) live in its own
 * database, which /__reset does not clear, so each test below uses a user and instance whose count it can afford.
 */

const STRONG = 'Blue-Kettle-Violin-42';
const PASSWORD_PAGE = (instance: StackInstance) => `${detourUrl(instance)}/steps/password`;

test.beforeEach(async ({ request }) => {
  await resetTenant(request, ACTIONS);
  await resetTenant(request, RULES);
});

async function setTenantSecrets(request: APIRequestContext, instance: StackInstance, secrets: Record<string, string | null>) {
  const response = await request.post(`${tenantUrl(instance)}/__secrets`, { data: secrets });
  expect(response.ok()).toBe(true);
}

function fields(page: Page) {
  return {
    password: page.getByLabel('New password', { exact: true }),
    confirm: page.getByLabel('Type the new password again'),
    submit: page.getByRole('button', { name: 'Change password and continue' }),
    rule: (id: string) => page.locator(`[data-testid="password-rules"] li[data-rule="${id}"]`),
  };
}

async function fill(page: Page, password: string, confirm = password) {
  const f = fields(page);
  await f.password.fill(password);
  await f.confirm.fill(confirm);
}

/** JavaScript the page fetched so far, as transferred (compressed), in bytes. */
async function scriptBytes(page: Page): Promise<{ encoded: number; decoded: number; files: number }> {
  return page.evaluate(() => {
    const scripts = performance.getEntriesByType('resource').filter((entry) => /\.js(\?|$)/.test(entry.name)) as PerformanceResourceTiming[];
    return {
      encoded: scripts.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
      decoded: scripts.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
      files: scripts.length,
    };
  });
}

test('frank: the policy is listed up front and ticks live; the dictionaries load only once he types', async ({ page }) => {
  await loginAt(page, ACTIONS, 'frank');
  await expect(page).toHaveURL(PASSWORD_PAGE(ACTIONS));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
  const f = fields(page);
  await expect(f.password).toHaveAttribute('autocomplete', 'new-password');
  await expect(f.confirm).toHaveAttribute('autocomplete', 'new-password');
  await expect(f.rule('min_length')).toHaveText(/At least 12 characters/);
  for (const id of ['min_length', 'classes', 'max_repeated', 'personal_info', 'strength']) await expect(f.rule(id)).toHaveAttribute('data-met', 'false');

  await page.waitForLoadState('networkidle');
  const before = await scriptBytes(page);
  await f.password.pressSequentially('frank');
  await expect(f.rule('personal_info')).toHaveAttribute('data-met', 'false');
  await f.password.fill(STRONG);
  for (const id of ['min_length', 'classes', 'max_repeated', 'personal_info']) await expect(f.rule(id)).toHaveAttribute('data-met', 'true');
  await expect(page.getByTestId('password-strength')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('password-strength')).toContainText('Strength: very strong');
  await expect(f.rule('strength')).toHaveAttribute('data-met', 'true');
  await page.waitForLoadState('networkidle');
  const after = await scriptBytes(page);
  const report = `before typing ${before.encoded} B in ${before.files} files (${before.decoded} B decoded); after the dictionaries ${after.encoded} B in ${after.files} files (${after.decoded} B decoded)`;
  test.info().annotations.push({ type: 'password page JS, as transferred', description: report });
  console.log(`password page JS, as transferred: ${report}`);
  // The dictionaries (several hundred kB even compressed) are not part of the first load.
  expect(after.encoded - before.encoded).toBeGreaterThan(200_000);
  expect(before.encoded).toBeLessThan(after.encoded / 2);

  // Show/hide toggles both fields between hidden and visible text.
  await expect(f.password).toHaveAttribute('type', 'password');
  await page.getByRole('button', { name: 'Show password' }).click();
  await expect(f.password).toHaveAttribute('type', 'text');
  await expect(f.confirm).toHaveAttribute('type', 'text');
  await page.getByRole('button', { name: 'Hide password' }).click();
  await expect(f.password).toHaveAttribute('type', 'password');
});

test('frank: a weak password shows its errors and nothing is written', async ({ page, request }) => {
  await loginAt(page, ACTIONS, 'frank');
  const f = fields(page);
  // Broken rules: caught in the browser, on the field, before any post.
  await fill(page, 'frank-1', 'frank-2');
  await f.submit.click();
  const passwordError = page.locator('[role="alert"][data-error-code="validation_failed"]').first();
  await expect(passwordError).toContainText('Use at least 12 characters.');
  await expect(passwordError).toContainText('Leave out your name and the first part of your email address.');
  await expect(page.locator('[role="alert"]').filter({ hasText: 'The two passwords are not the same.' })).toBeVisible();
  await expect(f.password).toHaveAttribute('aria-invalid', 'true');

  // Meets every listed rule but is easy to guess: the server's zxcvbn check refuses it, on the field.
  await fill(page, 'Password1234!');
  await f.submit.click();
  const policyError = page.locator('[role="alert"][data-error-code="password_policy"]');
  await expect(policyError).toContainText('This password is too easy to guess.');
  await expect(page).toHaveURL(PASSWORD_PAGE(ACTIONS));
  expect((await tenantCalls(request, ACTIONS)).writes.filter((w) => w.path.includes('frank'))).toHaveLength(0);
});

test('frank: Auth0’s own policy error (a previous password) is shown on the field', async ({ page, request }) => {
  await loginAt(page, ACTIONS, 'frank');
  // The seed password meets Detour's policy (and scores 4), so only the tenant's history check can refuse it.
  await fill(page, SEED_PASSWORD);
  await fields(page).submit.click();
  const policyError = page.locator('[role="alert"][data-error-code="password_policy"]');
  await expect(policyError).toContainText('You have used this password before.');
  await expect(fields(page).password).toHaveAttribute('aria-invalid', 'true');
  const calls = await tenantCalls(request, ACTIONS);
  expect(calls.writes).toHaveLength(1);
  expect(calls.writes[0]).toMatchObject({ method: 'PATCH', status: 400 });
  expect(calls.continues).toHaveLength(0);
  // Typing again clears the server's verdict on the field.
  await fields(page).password.fill(STRONG);
  await expect(policyError).toHaveCount(0);
});

test('frank: a strong password is written with his connection and /continue accepts the hand-back', async ({ page, request }) => {
  await loginAt(page, ACTIONS, 'frank');
  await fill(page, STRONG);
  const handBack = page.waitForRequest((r) => r.url().startsWith(`${tenantUrl(ACTIONS)}/continue?`));
  await fields(page).submit.click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
  await expect(page.getByTestId('password-changed')).toBeVisible();
  expect(await page.content()).not.toContain(STRONG);

  const calls = await tenantCalls(request, ACTIONS);
  expect(calls.writes).toHaveLength(1);
  expect(calls.writes[0]).toMatchObject({ method: 'PATCH', path: '/api/v2/users/auth0%7Cfrank', body: { password: '[redacted]', connection: DATABASE_CONNECTION } });
  expect(Object.keys(calls.writes[0]!.body).sort()).toEqual(['connection', 'password']);

  const continueRequest = await handBack;
  expect(continueRequest.postData() ?? '').not.toContain(STRONG);
  const returned = decodeJwt(new URLSearchParams(continueRequest.postData() ?? '').get('session_token') ?? '');
  expect(returned.completed).toEqual(['password']);
  expect(Object.keys(returned.password as object)).toEqual(['changed_at']);
  expect(Date.parse((returned.password as { changed_at: string }).changed_at)).not.toBeNaN();
  expect(JSON.stringify(returned)).not.toContain(STRONG);
  // The shipped Action cleared the flag once Detour reported the change.
  const appMetadata = JSON.parse((await page.getByTestId('app-metadata').textContent()) ?? '{}');
  expect(appMetadata.force_password_change).toBeUndefined();
});

test('kate: a terms + password login completes, password first', async ({ page, request }) => {
  // kate's profile is complete: the Action asks her for a new password and the current terms only.
  await loginAt(page, ACTIONS, 'kate');
  await expect(page).toHaveURL(PASSWORD_PAGE(ACTIONS));
  await expect(page.getByRole('navigation', { name: 'Progress' })).toContainText('Step 1 of 2');
  await fill(page, STRONG);
  await fields(page).submit.click();
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/terms`);
  const handBack = page.waitForRequest((r) => r.url().startsWith(`${tenantUrl(ACTIONS)}/continue?`));
  await page.getByLabel('I have read and accept the terms of service').check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
  await expect(page.getByTestId('password-changed')).toBeVisible();
  const returned = decodeJwt(new URLSearchParams((await handBack).postData() ?? '').get('session_token') ?? '');
  expect(returned.completed).toEqual(['password', 'terms']);
  const writes = (await tenantCalls(request, ACTIONS)).writes;
  expect(writes.map((w) => Object.keys(w.body).sort())).toEqual([['connection', 'password'], ['app_metadata']]);
});

test.describe('legacy authorize_again (Rules)', () => {
  test('after the change the browser starts a new /authorize at the tenant instead of /continue', async ({ page, request }) => {
    await setTenantSecrets(request, RULES, { AUTHORIZE_AGAIN_AFTER_PASSWORD: 'true' });
    const startUrl = await loginAt(page, RULES, 'frank');
    expect(decodeJwt(new URL(startUrl).searchParams.get('token') ?? '').authorize_again).toMatch(new RegExp(`^${tenantUrl(RULES)}/authorize\\?`));
    await fill(page, STRONG);
    await fields(page).submit.click();
    await expect(page.getByTestId('authorize-again')).toBeVisible();
    expect(new URL(page.url()).origin).toBe(tenantUrl(RULES));
    const calls = await tenantCalls(request, RULES);
    expect(calls.writes).toHaveLength(1);
    expect(calls.continues).toHaveLength(0);
  });

  test('an authorize_again outside the tenant origins is ignored: the flow hands back to /continue', async ({ page, request }) => {
    await setTenantSecrets(request, RULES, { AUTHORIZE_AGAIN_AFTER_PASSWORD: 'true', TENANT_URL: 'https://evil.example.com' });
    const startUrl = await loginAt(page, RULES, 'frank');
    expect(decodeJwt(new URL(startUrl).searchParams.get('token') ?? '').authorize_again ?? '').toMatch(/^https:\/\/evil\.example\.com\//);
    await fill(page, STRONG);
    const handBack = page.waitForRequest((r) => r.url().startsWith(`${tenantUrl(RULES)}/continue?`));
    await fields(page).submit.click();
    await handBack;
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
    expect((await tenantCalls(request, RULES)).continues).toHaveLength(1);
  });
});

test('attempts are limited per flow and per user, with the wait in seconds', async ({ page, browser, request }) => {
  // A user of its own (minted tokens, as the Action would sign them), so no other test's count — or this one's
  // limit — leaks across: the counts live in Detour's database, which /__reset does not clear.
  const sub = `auth0|limits-${Date.now()}`;
  const token = () => mintSessionToken(ACTIONS, { sub, steps: ['password'], connection: DATABASE_CONNECTION, email: 'limits@example.com' });
  await page.goto(startUrlFor(ACTIONS, await token()));
  await expect(page).toHaveURL(PASSWORD_PAGE(ACTIONS));
  const f = fields(page);
  // Each of these meets every listed rule, so it reaches the server, which refuses it as too easy to guess.
  for (let attempt = 1; attempt <= 5; attempt++) {
    await fill(page, 'Password1234!');
    await f.submit.click();
    await expect(page.locator('[role="alert"][data-error-code="password_policy"]')).toContainText('too easy to guess');
    await f.password.fill('');
  }
  await fill(page, STRONG);
  await f.submit.click();
  const limited = page.locator('[role="alert"][data-error-code="rate_limited"]');
  await expect(limited).toContainText(/^Too many attempts\. Try again in \d+ s\.$/);
  const seconds = Number(/in (\d+) s/.exec((await limited.textContent()) ?? '')?.[1]);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(60);
  await expect(page).toHaveURL(PASSWORD_PAGE(ACTIONS));

  // A new link (a new flow) does not reset the same user's count.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(startUrlFor(ACTIONS, await token()));
  await fill(otherPage, STRONG);
  await fields(otherPage).submit.click();
  await expect(otherPage.locator('[role="alert"][data-error-code="rate_limited"]')).toBeVisible();
  await other.close();
  expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(0);
});

test('a token without a connection gets a clear error page instead of the form', async ({ page }) => {
  const token = await mintSessionToken(ACTIONS, { sub: `auth0|no-connection-${Date.now()}`, steps: ['password'], email: 'nc@example.com' });
  await page.goto(startUrlFor(ACTIONS, token));
  await expect(page).toHaveURL(PASSWORD_PAGE(ACTIONS));
  const alert = page.locator('[role="alert"][data-error-code="misconfigured"]');
  await expect(alert).toContainText('the sign-in did not say which account database holds it');
  await expect(page.getByLabel('New password', { exact: true })).toHaveCount(0);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the rules are listed, errors come back from the server, and the password is never echoed', async ({ page }) => {
    await loginAt(page, ACTIONS, 'heidi');
    await expect(page).toHaveURL(PASSWORD_PAGE(ACTIONS));
    await expect(page.getByTestId('password-rules')).toContainText('At least 12 characters');
    await expect(page.getByRole('button', { name: 'Show password' })).toHaveCount(0);
    const secret = 'Unechoed-Secret-Value-77';
    await fill(page, secret, `${secret}!`);
    await fields(page).submit.click();
    await expect(page.locator('[role="alert"]').filter({ hasText: 'The two passwords are not the same.' })).toBeVisible();
    expect(await page.content()).not.toContain(secret);
    await expect(fields(page).password).toHaveValue('');

    await fill(page, STRONG);
    await fields(page).submit.click();
    await expect(page).not.toHaveURL(PASSWORD_PAGE(ACTIONS));
  });
});
