import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { ACTIONS, continueWithoutScript, detourUrl, forgetVerifySendCounts, latestCode, loginAt, mintSessionToken, resetTenant, startUrlFor, tenantUrl } from './helpers';
import { DATABASE_CONNECTION } from './local-tenant/users';
import { detourEnv, type StackInstance } from './stack';

/**
 * WCAG 2.2 AA with axe-core on every page Detour shows, in its first, refused and valid states, in the light and
 * the dark scheme; the error summary takes the focus after a refused submit; refusal pages say what to do next
 * and give a support reference; and one sign-in through three steps (heidi: password, terms, profile) done with
 * the keyboard alone.
 */

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const STRONG = 'Blue-Kettle-Violin-42';
const base = detourUrl(ACTIONS);

/** Zero violations, in the light and the dark scheme. */
async function expectAccessible(page: Page, what: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    const found = violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
    expect(found, `${what}, ${colorScheme} scheme`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const activeTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.id ?? null);

async function expectSummaryFocused(page: Page): Promise<void> {
  await expect(page.getByTestId('error-summary')).toBeVisible();
  await expect.poll(() => activeTestId(page)).toBe('error-summary');
}

/**
 * The hand-back page as a browser without JavaScript gets it: scripts are off while `action` loads it (the terms
 * form posts to it and is answered with a redirect, which a route cannot intercept), so its auto-submit does not
 * run; they are on again afterwards, for axe.
 */
async function holdHandBack(page: Page, action: () => Promise<void>): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
  try {
    await action();
  } finally {
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: false });
    await cdp.detach();
  }
}

test.beforeEach(async ({ request }) => resetTenant(request, ACTIONS));

test.describe('step pages', () => {
  test('terms: first view, refused without the box ticked, ticked, and the hand-back page', async ({ page }) => {
    await loginAt(page, ACTIONS, 'alice');
    await expect(page).toHaveURL(`${base}/steps/terms`);
    await expect(page).toHaveTitle('Review our updated terms · Example');
    await expectAccessible(page, 'terms, first view');

    await page.getByRole('button', { name: 'Accept and continue' }).click();
    await expectSummaryFocused(page);
    await expect(page.getByLabel('I have read and accept the terms of service')).toHaveAttribute('aria-describedby', 'accept-error');
    await expectAccessible(page, 'terms, refused');

    // The page has no JavaScript: the summary stays until the next submit, the field no longer fails.
    await page.getByLabel('I have read and accept the terms of service').check();
    await expect(page.getByLabel('I have read and accept the terms of service')).toBeChecked();
    await expect(page.getByTestId('error-summary')).toHaveCount(1);
    await expectAccessible(page, 'terms, ticked');

    await holdHandBack(page, async () => {
      await page.getByRole('button', { name: 'Accept and continue' }).click();
      await expect(page).toHaveURL(`${base}/complete`);
      await expect(page.getByRole('button', { name: 'Continue signing in' })).toBeVisible();
    });
    await expect(page).toHaveURL(`${base}/complete`);
    await expectAccessible(page, 'hand-back page');
  });

  test('profile: first view, refused empty (summary links to the fields), and filled in', async ({ page }) => {
    await loginAt(page, ACTIONS, 'erin');
    await expect(page).toHaveURL(`${base}/steps/profile`);
    await expectAccessible(page, 'profile, first view');

    await page.getByRole('button', { name: 'Save and continue' }).click();
    await expectSummaryFocused(page);
    await expect(page.getByLabel('Given name')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Given name')).toHaveAttribute('aria-describedby', 'field-given_name-error');
    await expect(page.getByLabel('Phone number')).toHaveAttribute('aria-describedby', 'field-phone-hint field-phone-error');
    await expectAccessible(page, 'profile, refused');
    // A summary link puts the caret in its field.
    await page.getByTestId('error-summary').getByRole('link', { name: /Phone number/ }).click();
    await expect(page.getByLabel('Phone number')).toBeFocused();

    await page.getByLabel('Given name').fill('Erin');
    await page.getByLabel('Family name').fill('Example');
    await page.getByLabel('Phone number').fill('+44 20 7946 0018');
    await page.getByLabel('Country or region').selectOption('GB');
    await expectAccessible(page, 'profile, filled in');
  });

  test('password: first view, refused in the browser, refused by the server, strong, and without a connection', async ({ page }) => {
    // A user of its own: the server refusal counts against Detour's attempt limits, which /__reset does not clear.
    const sub = `auth0|a11y-${Date.now()}`;
    await page.goto(startUrlFor(ACTIONS, await mintSessionToken(ACTIONS, { sub, steps: ['password'], connection: DATABASE_CONNECTION, email: 'a11y@example.com' })));
    await expect(page).toHaveURL(`${base}/steps/password`);
    await expectAccessible(page, 'password, first view');

    const password = page.getByLabel('New password', { exact: true });
    const confirm = page.getByLabel('Type the new password again');
    const submit = page.getByRole('button', { name: 'Change password and continue' });
    await password.fill('short');
    await confirm.fill('other');
    await submit.click();
    await expectSummaryFocused(page);
    await expect(page.getByTestId('error-summary')).toContainText('Use at least 12 characters.');
    await expectAccessible(page, 'password, refused in the browser');

    await password.fill('Password1234!');
    await confirm.fill('Password1234!');
    await submit.click();
    await expect(page.locator('[role="alert"][data-error-code="password_policy"]')).toContainText('too easy to guess');
    await expectSummaryFocused(page);
    await expectAccessible(page, 'password, refused by the server');

    await password.fill(STRONG);
    await confirm.fill(STRONG);
    await expect(page.getByTestId('password-strength')).toHaveAttribute('data-status', 'ready');
    await expectAccessible(page, 'password, strong');
    await page.getByRole('button', { name: 'Show password' }).click();
    await expectAccessible(page, 'password, shown');

    await page.goto(startUrlFor(ACTIONS, await mintSessionToken(ACTIONS, { sub: `${sub}-nc`, steps: ['password'], email: 'a11y@example.com' })));
    await expect(page.locator('[role="alert"][data-error-code="misconfigured"]')).toBeVisible();
    await expectAccessible(page, 'password, no connection');
  });

  test('a step that several steps share: the progress indicator, with a finished step', async ({ page }) => {
    await loginAt(page, ACTIONS, 'grace');
    await expect(page).toHaveURL(`${base}/steps/terms`);
    await page.getByLabel('I have read and accept the terms of service').check();
    await page.getByRole('button', { name: 'Accept and continue' }).click();
    await expect(page).toHaveURL(`${base}/steps/profile`);
    await expect(page.getByRole('navigation', { name: 'Progress' })).toContainText('Terms (completed)');
    await expectAccessible(page, 'profile, second of two steps');
  });

  test('verify: first view, a wrong code (summary, field), "this wasn\'t me", and in Arabic', async ({ page, browser }) => {
    forgetVerifySendCounts(ACTIONS);
    await loginAt(page, ACTIONS, 'pablo');
    await expect(page).toHaveURL(`${base}/steps/verify`);
    await expect(page).toHaveTitle("Confirm it's you · Example");
    await expectAccessible(page, 'verify, first view');
    const code = await latestCode('pablo@example.com');
    await page.getByLabel('Code from the email').fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expectSummaryFocused(page);
    await expect(page.getByLabel('Code from the email')).toHaveAttribute('aria-describedby', 'code-hint code-error');
    await expectAccessible(page, 'verify, wrong code');
    await page.getByRole('button', { name: "This wasn't me" }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('We stopped this sign-in');
    await expectAccessible(page, 'verify, stopped');

    forgetVerifySendCounts(ACTIONS);
    const arabic = await browser.newContext({ locale: 'ar' });
    const page2 = await arabic.newPage();
    // The tenant's login page sends the chosen language as ui_locales, as an application's /authorize would.
    await page2.goto(`${tenantUrl(ACTIONS)}/`);
    await page2.getByTestId('login-language').selectOption('ar');
    await page2.getByTestId('login-pablo').click();
    await expect(page2).toHaveURL(`${base}/steps/verify`);
    await expect(page2.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page2.getByRole('main')).toContainText('البرتغال');
    // The code reads left to right in a right-to-left page.
    expect(await page2.locator('#code').evaluate((input) => getComputedStyle(input).direction)).toBe('ltr');
    await expectAccessible(page2, 'verify, Arabic');
    await arabic.close();
  });
});

test.describe('refusal and exit pages', () => {
  test('/start refusals (expired, used in another browser), flow_missing, not found, the React refusals and start over', async ({ page, browser }) => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await page.goto(startUrlFor(ACTIONS, await mintSessionToken(ACTIONS, { iat: now - 700, exp: now - 100 })));
    expect(expired?.status()).toBe(401);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This sign-in link has expired');
    await expect(page.getByTestId('support-reference')).toHaveText(expired?.headers()['x-request-id'] ?? 'missing');
    await expectAccessible(page, '/start refusal: expired');

    const startUrl = await loginAt(page, ACTIONS, 'alice');
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    expect((await otherPage.goto(startUrl))?.status()).toBe(409);
    await expect(otherPage.getByRole('heading', { level: 1 })).toHaveText('This sign-in link has already been used');
    await expectAccessible(otherPage, '/start refusal: used link');

    const missing = await otherPage.goto(`${base}/steps/terms`);
    expect(missing?.status()).toBe(401);
    await expect(otherPage.locator('[role="alert"][data-error-code]')).toHaveAttribute('data-error-code', 'flow_missing');
    await expectAccessible(otherPage, 'flow_missing (no cookie)');

    await otherPage.goto(`${base}/`);
    await expect(otherPage.locator('[role="alert"][data-error-code]')).toHaveAttribute('data-error-code', 'flow_missing');
    await expectAccessible(otherPage, 'home page (no sign-in)');

    await otherPage.goto(`${base}/no-such-page`);
    await expect(otherPage.getByRole('heading', { level: 1 })).toHaveText('Page not found');
    await expectAccessible(otherPage, 'not found');
    await other.close();

    // A flow cookie this deployment cannot open: the step page itself refuses (React).
    await tamperFlowCookie(page.context(), base);
    await page.goto(`${base}/steps/terms`);
    await expect(page.locator('[role="alert"][data-error-code]')).toHaveAttribute('data-error-code', 'flow_missing');
    await expect(page.getByTestId('support-reference')).toBeVisible();
    await expectAccessible(page, 'step page refusal (React)');

    await page.context().clearCookies();
    await loginAt(page, ACTIONS, 'bob');
    await page.getByRole('button', { name: 'Not you? Start over' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('You have left this sign-in');
    await expectAccessible(page, 'start over');
  });
});

async function tamperFlowCookie(context: BrowserContext, origin: string): Promise<void> {
  const [cookie] = (await context.cookies(origin)).filter((c) => c.name === '__Host-detour-flow');
  if (!cookie) throw new Error('no flow cookie to tamper with');
  const value = `${cookie.value.slice(0, -8)}${cookie.value.slice(-8) === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA'}`;
  await context.addCookies([{ ...cookie, value }]);
}

/**
 * A Detour of its own with LOGIN_RESTART_URL and a branded steps file (colours for both schemes, radius, fonts,
 * support link): every refusal offers "start the sign-in again" and a support reference,
 * and the derived colours pass axe's contrast checks.
 */
test.describe('with LOGIN_RESTART_URL and branding', () => {
  const instance: StackInstance = { protocol: 'actions', tenantPort: ACTIONS.tenantPort, detourPort: Number(process.env.E2E_PORT_BASE ?? 3110) + 88 };
  const origin = detourUrl(instance);
  const RESTART = 'https://app.example.com/login';
  const BRANDING = {
    product_name: 'Acme Cloud',
    logo: '/logo.svg',
    primary_color: '#0ea5e9',
    background: '#eef6f5',
    corner_radius: '6px',
    font_stack: '"Liberation Sans", Arial, sans-serif',
    support_url: 'https://example.com/help',
    dark: { primary_color: '#0ea5e9', background: '#0b1320' },
  };
  let folder = '';
  let server: ChildProcess | undefined;

  test.beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'detour-a11y-'));
    const steps = { ...(JSON.parse(readFileSync('detour.config.json', 'utf8')) as Record<string, unknown>), branding: BRANDING };
    writeFileSync(path.join(folder, 'detour.config.json'), JSON.stringify(steps));
    const env = { ...detourEnv(instance, path.join(folder, 'detour.sqlite')), DETOUR_CONFIG: path.join(folder, 'detour.config.json'), LOGIN_RESTART_URL: RESTART, LOG_LEVEL: 'warn' };
    server = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(instance.detourPort)], {
      env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: 'ignore',
    });
    for (let attempt = 0; ; attempt += 1) {
      if (await fetch(`${origin}/api/health`).then((r) => r.ok, () => false)) break;
      if (attempt > 100) throw new Error('the branded Detour did not start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  test.afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill();
      await exited;
    }
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const openTerms = async (page: Page) => {
    await page.goto(startUrlFor(instance, await mintSessionToken(instance, { sub: `auth0|brand-${Date.now()}` })));
    await expect(page).toHaveURL(`${origin}/steps/terms`);
  };

  async function expectWayBack(page: Page, requestId: string | undefined, what: string) {
    await expect(page.getByTestId('restart'), what).toHaveAttribute('href', RESTART);
    await expect(page.getByTestId('restart'), what).toHaveText('Start the sign-in again');
    await expect(page.getByTestId('support-reference'), what).toHaveText(requestId ?? 'missing');
    await expect(page.getByRole('link', { name: 'Contact support' }), what).toHaveAttribute('href', BRANDING.support_url);
    await expect(page.locator('body'), what).not.toContainText(/at .*\.(js|ts):\d+/);
  }

  test('every kind of refusal page offers the way back and a support reference', async ({ page, browser }) => {
    const now = Math.floor(Date.now() / 1000);
    const refusals: [string, () => Promise<string>, string][] = [
      ['expired link', async () => startUrlFor(instance, await mintSessionToken(instance, { iat: now - 700, exp: now - 100 })), 'token_expired'],
      ['link for another application', async () => startUrlFor(instance, await mintSessionToken(instance, { aud: 'https://elsewhere.example' })), 'audience_mismatch'],
      ['a step Detour does not offer', async () => startUrlFor(instance, await mintSessionToken(instance, { steps: ['teleport'] })), 'unknown_step'],
      ['no sign-in in this browser', async () => `${origin}/steps/profile`, 'flow_missing'],
      ['the home page', async () => `${origin}/`, 'flow_missing'],
    ];
    for (const [what, url, code] of refusals) {
      const response = await page.goto(await url());
      await expect(page.locator('[role="alert"][data-error-code]'), what).toHaveAttribute('data-error-code', code);
      await expectWayBack(page, response?.headers()['x-request-id'], what);
      await expectAccessible(page, what);
    }

    // Used in another browser (409), and a cookie this deployment cannot open (the React step page).
    const startUrl = startUrlFor(instance, await mintSessionToken(instance, { sub: 'auth0|brand-used' }));
    await page.goto(startUrl);
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    const used = await otherPage.goto(startUrl);
    expect(used?.status()).toBe(409);
    await expectWayBack(otherPage, used?.headers()['x-request-id'], 'used link');
    await other.close();

    await tamperFlowCookie(page.context(), origin);
    const tampered = await page.goto(`${origin}/steps/terms`);
    await expect(page.locator('[role="alert"][data-error-code]')).toHaveAttribute('data-error-code', 'flow_missing');
    await expectWayBack(page, tampered?.headers()['x-request-id'], 'step page refusal');
  });

  test('a sign-in lost while the form was open: the form says so, with the way back and a reference', async ({ page }) => {
    await openTerms(page);
    await tamperFlowCookie(page.context(), origin);
    await page.getByLabel('I have read and accept the terms of service').check();
    await page.getByRole('button', { name: 'Accept and continue' }).click();
    await expect(page.locator('[role="alert"][data-error-code="flow_missing"]')).toBeVisible();
    await expect(page.getByTestId('restart')).toHaveAttribute('href', RESTART);
    await expect(page.locator('.form-alert')).toContainText(/Support reference: [0-9a-f-]{36}/);
    await expectAccessible(page, 'terms form, sign-in lost');
  });

  test("the steps file's branding reaches every page as CSS variables, and still passes contrast", async ({ page }) => {
    await openTerms(page);
    const variables = () =>
      page.evaluate(() => {
        const style = getComputedStyle(document.documentElement);
        return { brand: style.getPropertyValue('--brand'), bg: style.getPropertyValue('--bg'), radius: style.getPropertyValue('--radius'), font: style.getPropertyValue('--font') };
      });
    expect(await variables()).toEqual({ brand: '#0ea5e9', bg: '#eef6f5', radius: '6px', font: '"Liberation Sans", Arial, sans-serif' });
    await expect(page.locator('header.brand')).toHaveText('Acme Cloud');
    await expect(page).toHaveTitle('Review our updated terms · Acme Cloud');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect((await variables()).bg).toBe('#0b1320');
    await page.emulateMedia({ colorScheme: 'light' });
    await expectAccessible(page, 'branded terms page');
    await page.getByRole('button', { name: 'Accept and continue' }).click();
    await expectAccessible(page, 'branded terms page, refused');

    // Every page carries the same variables (one Page component).
    await page.context().clearCookies();
    await page.goto(`${origin}/steps/terms`);
    expect(await variables()).toEqual({ brand: '#0ea5e9', bg: '#eef6f5', radius: '6px', font: '"Liberation Sans", Arial, sans-serif' });
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('heidi: plain form posts through the three steps, the server’s errors in the summary, a visible hand-back button', async ({ page }) => {
    await loginAt(page, ACTIONS, 'heidi');
    await expect(page).toHaveURL(`${base}/steps/password`);
    await page.getByLabel('New password', { exact: true }).fill(STRONG);
    await page.getByLabel('Type the new password again').fill(STRONG);
    await page.getByRole('button', { name: 'Change password and continue' }).click();
    await expect(page).toHaveURL(`${base}/steps/terms`);
    await page.getByLabel('I have read and accept the terms of service').check();
    await page.getByRole('button', { name: 'Accept and continue' }).click();
    await expect(page).toHaveURL(`${base}/steps/profile`);

    await page.getByRole('button', { name: 'Save and continue' }).click();
    const summary = page.getByTestId('error-summary');
    await expect(summary).toContainText('There is a problem');
    await expect(summary.getByRole('link', { name: 'Given name: This field is required.' })).toHaveAttribute('href', '#field-given_name');
    await expect(page.getByLabel('Given name')).toHaveAttribute('aria-describedby', 'field-given_name-error');

    await page.getByLabel('Given name').fill('Heidi');
    await page.getByLabel('Family name').fill('Example');
    await page.getByLabel('Phone number').fill('+44 20 7946 0018');
    await page.getByLabel('Country or region').selectOption('GB');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await expect(page).toHaveURL(`${base}/complete`);
    // axe cannot run in a page without JavaScript; the same pages are checked with it above.
    await continueWithoutScript(page, ACTIONS);
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
  });
});

test.describe('keyboard only', () => {
  /** Presses Tab (never clicks) until the element matching `selector` has the focus, which must be visible. */
  async function tabTo(page: Page, selector: string): Promise<void> {
    for (let presses = 0; presses < 40; presses += 1) {
      await page.keyboard.press('Tab');
      const state = await page.evaluate((sel) => {
        const active = document.activeElement;
        if (!active || active === document.body) return { matches: false, outline: 'none', element: 'body' };
        const style = getComputedStyle(active);
        const element = `${active.tagName.toLowerCase()}${active.id ? `#${active.id}` : ''}${active.getAttribute('type') ? `[type=${active.getAttribute('type')}]` : ''}`;
        return { matches: active.matches(sel), outline: `${style.outlineStyle} ${style.outlineWidth}`, element };
      }, selector);
      // WCAG 2.4.7: wherever the focus goes, it shows.
      expect(state.outline, `focus indicator on ${state.element}, Tab ${presses + 1} towards ${selector}`).not.toMatch(/^none|0px$/);
      if (state.matches) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  async function typeKeys(page: Page, text: string): Promise<void> {
    for (const key of text) await page.keyboard.press(key);
  }

  test('heidi signs in through password, terms and profile with the keyboard alone', async ({ page }) => {
    await loginAt(page, ACTIONS, 'heidi');
    await expect(page).toHaveURL(`${base}/steps/password`);
    await expect(page.getByRole('navigation', { name: 'Progress' })).toContainText('Step 1 of 3');

    // The skip link comes first and lands in the main content.
    await page.keyboard.press('Tab');
    await expect(page.locator('.skip-link')).toBeFocused();
    await expect(page.locator('.skip-link')).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.locator('main')).toBeFocused();

    // Password: a refused submit puts the focus on the summary; its link leads into the field.
    await tabTo(page, '#password');
    await page.keyboard.press('Enter');
    await expectSummaryFocused(page);
    await tabTo(page, '[data-testid="error-summary"] a');
    await page.keyboard.press('Enter');
    await expect(page.locator('#password')).toBeFocused();
    await typeKeys(page, STRONG);
    await tabTo(page, '#confirm_password');
    await typeKeys(page, STRONG);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(`${base}/steps/terms`);

    // Terms: Space ticks the box, Enter on the button accepts.
    await tabTo(page, '#accept');
    await page.keyboard.press('Space');
    await expect(page.locator('#accept')).toBeChecked();
    await tabTo(page, 'form .actions button[type="submit"]');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(`${base}/steps/profile`);

    // Profile: type, Tab, type; a select answers to typed letters.
    await tabTo(page, '#field-given_name');
    await typeKeys(page, 'Heidi');
    await page.keyboard.press('Tab');
    await expect(page.locator('#field-family_name')).toBeFocused();
    await typeKeys(page, 'Example');
    await page.keyboard.press('Tab');
    await expect(page.locator('#field-phone')).toBeFocused();
    await typeKeys(page, '+442079460018');
    await page.keyboard.press('Tab');
    await expect(page.locator('#field-country')).toBeFocused();
    await typeKeys(page, 'Germ');
    await expect(page.locator('#field-country')).toHaveValue('DE');
    await tabTo(page, 'form .actions button[type="submit"]');
    await page.keyboard.press('Enter');

    // The hand-back posts itself; the tenant's /continue accepts the three steps.
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
    await expect(page.getByTestId('password-changed')).toBeVisible();
    const root = JSON.parse((await page.getByTestId('root-attributes').textContent()) ?? '{}') as Record<string, string>;
    expect(root).toEqual({ given_name: 'Heidi', family_name: 'Example' });
  });

  test('pablo confirms a new place with the keyboard alone: the code typed, a wrong one corrected', async ({ page }) => {
    forgetVerifySendCounts(ACTIONS);
    await loginAt(page, ACTIONS, 'pablo');
    await expect(page).toHaveURL(`${base}/steps/verify`);
    const code = await latestCode('pablo@example.com');
    await tabTo(page, '#code');
    await typeKeys(page, String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
    await page.keyboard.press('Enter');
    await expectSummaryFocused(page);
    await tabTo(page, '#code');
    await page.keyboard.press('ControlOrMeta+A');
    await typeKeys(page, code);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
  });
});
