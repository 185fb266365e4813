import { expect, test, type Page } from '@playwright/test';
import { HtmlValidate } from 'html-validate';
import { ACTIONS, detourUrl, forgetVerifySendCounts, loginAt, resetTenant } from './helpers';

/**
 * Findings of the audits, each kept fixed: the icon every page names, no CSP report from zod's eval probe, the
 * username a password manager files a new password under, and HTML that validates on every kind of page.
 */

const base = detourUrl(ACTIONS);

test.beforeEach(async ({ request }) => resetTenant(request, ACTIONS));

test('/favicon.ico answers an icon, and every page names it', async ({ page, request }) => {
  const icon = await request.get(`${base}/favicon.ico`);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
  // An ICO file starts with reserved 0, type 1 (icon).
  expect([...(await icon.body()).subarray(0, 4)]).toEqual([0, 0, 1, 0]);

  // A /start refusal, and the home page in the browser (one Page component renders both).
  expect(await (await request.get(`${base}/start`)).text()).toContain('<link rel="icon" href="/favicon.ico"/>');
  await page.goto(`${base}/`);
  await expect(page.locator('head link[rel="icon"]')).toHaveAttribute('href', '/favicon.ico');
});

/** Records every CSP violation the page reports, from before its first script runs. */
async function recordCspViolations(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) fromConsole.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} blocked ${event.blockedURI}`), true);
  });
  return async () => [...fromConsole, ...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations))];
}

test("the verify page's script (the wait before a new code) runs under the page's CSP and counts down", async ({ page }) => {
  forgetVerifySendCounts(ACTIONS);
  const violations = await recordCspViolations(page);
  await loginAt(page, ACTIONS, 'pablo');
  await expect(page).toHaveURL(`${base}/steps/verify`);
  const wait = page.locator('#resend-wait');
  await expect(page.getByRole('button', { name: 'Send a new code' })).toBeDisabled();
  const first = await wait.textContent();
  await expect(wait).not.toHaveText(first ?? '', { timeout: 3_000 });
  await expect(wait).toContainText(/new code in \d+ seconds/);
  expect(await violations()).toEqual([]);
});

test.describe("a step's script runs under the page's CSP: nonce'd, no eval, its lazy chunks allowed (no violation)", () => {
  const forms = [
    { user: 'erin', path: '/steps/profile', submit: 'Save and continue' },
    { user: 'frank', path: '/steps/password', submit: 'Change password and continue' },
  ];
  for (const form of forms) {
    test(form.path, async ({ page }) => {
      const violations = await recordCspViolations(page);
      await loginAt(page, ACTIONS, form.user);
      await expect(page).toHaveURL(`${base}${form.path}`);
      // An empty submit is refused in the browser: the step's module has loaded and checked the form.
      await page.getByRole('button', { name: form.submit }).click();
      await expect(page.getByTestId('error-summary')).toBeVisible();
      expect(await violations()).toEqual([]);
    });
  }
});

test('the password form names the account for password managers, and never posts it', async ({ page }) => {
  await loginAt(page, ACTIONS, 'frank');
  await expect(page).toHaveURL(`${base}/steps/password`);
  const username = page.locator('form input[autocomplete="username"]');
  await expect(username).toHaveValue('frank@example.com');
  await expect(username).toHaveAttribute('type', 'text');
  await expect(username).toBeHidden();
  expect(await username.getAttribute('name')).toBeNull();
  await expect(page.locator('form input[autocomplete="new-password"]')).toHaveCount(2);
  await expect(page.getByLabel('New password', { exact: true })).toHaveAttribute('autocomplete', 'new-password');
  await expect(page.getByLabel('Type the new password again')).toHaveAttribute('autocomplete', 'new-password');

  const strong = 'Blue-Kettle-Violin-42';
  await page.getByLabel('New password', { exact: true }).fill(strong);
  await page.getByLabel('Type the new password again').fill(strong);
  let body = '';
  await page.route(`${base}/steps/password`, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    body = route.request().postData() ?? '';
    // Read, not sent: nothing is written, and frank's attempt limit is left to password.spec.ts.
    await route.abort();
  });
  await page.getByRole('button', { name: 'Change password and continue' }).click();
  await expect.poll(() => body).not.toBe('');
  // A plain urlencoded form post: the password fields, and nothing of the hidden username field.
  expect(body).toMatch(/(^|&)password=/);
  expect(body).not.toContain('frank@example.com');
  expect(body).not.toContain('username');
});

/**
 * html-validate's "standard" preset (conformance to the HTML standard, what the Nu checker reports) and its
 * "document" preset (a doctype, labelled inputs, heading levels, ids that aria-* and `for` name exist). Not its
 * "recommended" preset: that adds style preferences (`<meta/>` vs `<meta>`, `charSet` vs `charset`, `async=""`)
 * about markup React writes and we do not.
 */
const validator = new HtmlValidate({
  extends: ['html-validate:standard', 'html-validate:document'],
  rules: {
    // Subresource integrity is for files from other origins; every script and stylesheet here is Detour's own,
    // from the same origin, and scripts already run only with the CSP nonce.
    'require-sri': 'off',
  },
});

async function validityErrors(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((result) => result.messages.map((m) => `${m.ruleId} at ${m.line}:${m.column}: ${m.message} — ${m.selector ?? ''}`));
}

test('every kind of page Detour serves is valid HTML', async ({ browser, page, request }) => {
  const served: Record<string, string> = {};
  const asServed = async (on: Page, url: string) => (await on.request.get(url)).text();

  // Without a flow: a /start refusal, a step page's refusal, the home page, a page that does not exist.
  served['/start without parameters (refusal)'] = await (await request.get(`${base}/start`)).text();
  served['/steps/profile without a flow (refusal)'] = await (await request.get(`${base}/steps/profile`)).text();
  served['/ (home)'] = await (await request.get(`${base}/`)).text();
  served['a page that does not exist'] = await (await request.get(`${base}/no-such-page`)).text();

  // With a flow cookie from a real login through the local tenant.
  await loginAt(page, ACTIONS, 'frank');
  served['/steps/password'] = await asServed(page, `${base}/steps/password`);
  await loginAt(page, ACTIONS, 'erin');
  served['/steps/profile'] = await asServed(page, `${base}/steps/profile`);
  forgetVerifySendCounts(ACTIONS);
  await loginAt(page, ACTIONS, 'pablo');
  served['/steps/verify'] = await asServed(page, `${base}/steps/verify`);
  // The step's own form (the other one is "not you? start over") posts to the step's URL, not to `action=""`.
  const formTags = (html: string) => html.match(/<form\b[^>]*>/g) ?? [];
  for (const step of ['password', 'profile']) {
    expect(formTags(served[`/steps/${step}`]!).filter((tag) => tag.includes(`action="/steps/${step}"`)), `the ${step} page's form`).toHaveLength(1);
  }

  // Without JavaScript the hand-back page stays put instead of posting on to the tenant.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  try {
    const terms = await noScript.newPage();
    await loginAt(terms, ACTIONS, 'alice');
    await expect(terms).toHaveURL(`${base}/steps/terms`);
    served['/steps/terms'] = await asServed(terms, `${base}/steps/terms`);
    await terms.getByLabel('I have read and accept the terms of service').check();
    await terms.getByRole('button', { name: 'Accept and continue' }).click();
    await expect(terms).toHaveURL(`${base}/complete`);
    served['/complete'] = await asServed(terms, `${base}/complete`);
  } finally {
    await noScript.close();
  }

  for (const [name, html] of Object.entries(served)) {
    expect(html, name).toMatch(/^<!DOCTYPE html>/i);
    expect.soft(await validityErrors(html), name).toEqual([]);
  }
});
