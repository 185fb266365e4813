import { expect, test, type Page } from '@playwright/test';
import { ACTIONS, forgetVerifySendCounts, clearMailbox, detourUrl, failMail, latestCode, loginAt, mailbox, resetTenant, tenantCalls } from './helpers';

// Every bad input on the verify page gets a clear answer, and nothing is verified or written (docs/design.md
// "The verify step", security rule 10). pablo signs in from Lisbon, a new country for him.
test.beforeEach(async ({ request }) => {
  await resetTenant(request, ACTIONS);
  forgetVerifySendCounts(ACTIONS);
});

const codeField = (page: Page) => page.getByLabel('Code from the email');
const confirm = (page: Page) => page.getByRole('button', { name: 'Confirm' });

async function openVerify(page: Page): Promise<string> {
  await loginAt(page, ACTIONS, 'pablo');
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/verify`);
  return latestCode('pablo@example.com');
}

/** A form post from this page's browser (its flow cookie), as its own form would send it. */
function postVerify(page: Page, fields: Record<string, string>) {
  return page.request.post(`${detourUrl(ACTIONS)}/steps/verify`, {
    form: fields,
    headers: { origin: detourUrl(ACTIONS), 'sec-fetch-site': 'same-origin' },
    maxRedirects: 0,
  });
}

async function expectNothingVerified(page: Page, request: Parameters<typeof tenantCalls>[0]): Promise<void> {
  expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(0);
  await expect(page.getByTestId('outcome')).toHaveCount(0);
}

test('letters, 7 digits and an empty field: a sentence at the field, the code is not spent', async ({ page, request }) => {
  const code = await openVerify(page);
  for (const typed of ['12ab56', '1234567', '']) {
    await codeField(page).fill(typed);
    await confirm(page).click();
    await expect(page.locator('#code-error')).toContainText('Enter the 6 digits from the email');
    await expect(codeField(page)).toHaveAttribute('aria-invalid', 'true');
  }
  await expectNothingVerified(page, request);
  // Format errors use no tries: all five are left for the real code.
  await codeField(page).fill(code);
  await confirm(page).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
});

test('wrong codes say how many tries are left; the fifth ends the sign-in', async ({ page, request }) => {
  const code = await openVerify(page);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  for (const left of [4, 3, 2, 1]) {
    await codeField(page).fill(wrong);
    await confirm(page).click();
    await expect(page.locator('#code-error')).toContainText(`${left} ${left === 1 ? 'try' : 'tries'} left`);
  }
  await codeField(page).fill(wrong);
  await confirm(page).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Too many wrong codes');
  // The flow cookie is forgotten, and the right code no longer helps.
  expect((await page.context().cookies()).filter((cookie) => cookie.name === '__Host-detour-flow')).toHaveLength(0);
  await page.goto(`${detourUrl(ACTIONS)}/steps/verify`);
  await expect(page.locator('[data-error-code="flow_missing"]')).toBeVisible();
  await expectNothingVerified(page, request);
});

test('a new code too soon is refused with the wait in seconds; the one sent stays valid', async ({ page }) => {
  const code = await openVerify(page);
  await expect(page.locator('#resend-wait')).toContainText('You can ask for a new code in');
  // The script keeps the button disabled during the wait; the server refuses it all the same.
  await expect(page.getByRole('button', { name: 'Send a new code' })).toBeDisabled();
  const refused = await postVerify(page, { intent: 'resend' });
  expect(refused.status()).toBe(429);
  const html = await refused.text();
  expect(html).toContain('data-error-code="send_rate_limited"');
  expect(html).toMatch(/Try again in \d+ seconds/);
  expect(await mailbox(ACTIONS)).toHaveLength(1);
  await codeField(page).fill(code);
  await confirm(page).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
});

test('the mail server refusing: the page says the code could not be sent and offers to try again', async ({ page, request }) => {
  await failMail(1, 'refuse');
  await loginAt(page, ACTIONS, 'pablo');
  await expect(page.locator('[role="alert"][data-error-code="mail_unavailable"]')).toContainText('We could not send the code');
  expect(await mailbox(ACTIONS)).toHaveLength(0);
  await expectNothingVerified(page, request);
  await page.getByRole('button', { name: 'Send the code' }).click();
  await expect(page.getByRole('status')).toContainText('We sent a new code to p***o@example.com');
  await codeField(page).fill(await latestCode('pablo@example.com'));
  await confirm(page).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
});

test('a code from another sign-in does not work here', async ({ page, browser, request }) => {
  const other = await browser.newPage();
  const otherCode = await openVerify(other);
  await clearMailbox(ACTIONS);
  const code = await openVerify(page);
  if (otherCode !== code) {
    await codeField(page).fill(otherCode);
    await confirm(page).click();
    await expect(page.locator('#code-error')).toContainText("That code is not right");
  }
  await expectNothingVerified(page, request);
  await other.close();
});

test('"This wasn\'t me" ends the sign-in without verifying, and says to change the password', async ({ page, request }) => {
  const code = await openVerify(page);
  await page.getByRole('button', { name: "This wasn't me" }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('We stopped this sign-in');
  await expect(page.getByRole('main')).toContainText('change it now');
  expect((await page.context().cookies()).filter((cookie) => cookie.name === '__Host-detour-flow')).toHaveLength(0);
  await expectNothingVerified(page, request);
  expect(code).toMatch(/^\d{6}$/);
});

test('the right code posted twice at once: exactly one goes through; a replay after success is refused', async ({ page, request }) => {
  const code = await openVerify(page);
  const [first, second] = await Promise.all([postVerify(page, { intent: 'verify', code }), postVerify(page, { intent: 'verify', code })]);
  const statuses = [first.status(), second.status()].sort();
  expect(statuses).toEqual([303, 422]);
  const loser = first.status() === 422 ? first : second;
  expect(await loser.text()).toContain('That code has already been used');
  // Replayed after success: this step is done and cannot be posted again.
  const replay = await postVerify(page, { intent: 'verify', code });
  expect(replay.status()).toBe(400);
  expect(await replay.text()).toContain('data-error-code="invalid_request"');
  expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(0);
});

test('without JavaScript the page works as it is: the wait is a sentence, the server enforces it, the code goes through', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const code = await openVerify(page);
  await expect(page.locator('script[src="/assets/verify.js"]')).toHaveCount(1);
  await expect(page.locator('#resend-wait')).toContainText(/new code in \d+ seconds/);
  const resend = page.getByRole('button', { name: 'Send a new code' });
  await expect(resend).toBeEnabled();
  await resend.click();
  await expect(page.locator('[role="alert"][data-error-code="send_rate_limited"]')).toContainText(/Try again in \d+ seconds/);
  await codeField(page).fill(code);
  await confirm(page).click();
  await expect(page.getByRole('button', { name: 'Continue signing in' })).toBeVisible();
  await context.close();
});
