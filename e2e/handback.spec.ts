import { expect, test, type Page, type Response } from '@playwright/test';
import { ACTIONS, RULES, detourUrl, loginAt, resetTenant, sampleAppUrl, tenantUrl } from './helpers';
import type { StackInstance } from './stack';

/**
 * The hand-back as Auth0 answers it: /complete's form POSTs to the tenant's /continue, which answers 302 →
 * /authorize/resume → 302 to the application's callback on the application's own origin. Chromium applies the
 * hand-back page's CSP form-action to every one of those redirects, so a form-action naming only Detour and the
 * tenant stops the last one and the login never reaches the application. Each login here must end on the sample
 * application, signed in.
 */

const STRONG = 'Amber-Falcon-Meadow-57';

const steps: Record<'password' | 'terms' | 'profile', (page: Page) => Promise<void>> = {
  password: async (page) => {
    await page.getByLabel('New password', { exact: true }).fill(STRONG);
    await page.getByLabel('Type the new password again').fill(STRONG);
    await page.getByRole('button', { name: 'Change password and continue' }).click();
  },
  terms: async (page) => {
    await page.getByLabel('I have read and accept the terms of service').check();
    await page.getByRole('button', { name: 'Accept and continue' }).click();
  },
  profile: async (page) => {
    await page.getByLabel('Given name').fill('Pat');
    await page.getByLabel('Family name').fill('Example');
    await page.getByLabel('Phone number').fill('+44 20 7946 0018');
    await page.getByLabel('Country or region').selectOption('GB');
    await page.getByRole('button', { name: 'Save and continue' }).click();
  },
};

/** The requests that led to `response`, oldest first, as "METHOD where/path". */
function redirectChain(response: Response, instance: StackInstance): string[] {
  const where: Record<string, string> = { [tenantUrl(instance)]: 'tenant', [sampleAppUrl(instance)]: 'app', [detourUrl(instance)]: 'detour' };
  const chain: string[] = [];
  for (let request: ReturnType<Response['request']> | null = response.request(); request; request = request.redirectedFrom()) {
    const url = new URL(request.url());
    chain.unshift(`${request.method()} ${where[url.origin] ?? url.origin}${url.pathname}`);
  }
  return chain;
}

const logins: { name: string; instance: StackInstance; user: string; steps: (keyof typeof steps)[] }[] = [
  { name: 'actions, terms (alice)', instance: ACTIONS, user: 'alice', steps: ['terms'] },
  { name: 'actions, profile (erin)', instance: ACTIONS, user: 'erin', steps: ['profile'] },
  { name: 'actions, password (frank)', instance: ACTIONS, user: 'frank', steps: ['password'] },
  { name: 'actions, password + terms + profile (judy)', instance: ACTIONS, user: 'judy', steps: ['password', 'terms', 'profile'] },
  { name: 'rules, terms (alice)', instance: RULES, user: 'alice', steps: ['terms'] },
];

for (const login of logins) {
  test(`${login.name}: the hand-back ends on the sample application, signed in`, async ({ page, request }) => {
    const { instance, user } = login;
    await resetTenant(request, instance);
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    const callback = page.waitForResponse((r) => r.url().startsWith(`${sampleAppUrl(instance)}/callback?`));

    await loginAt(page, instance, user);
    for (const step of login.steps) {
      await expect(page).toHaveURL(`${detourUrl(instance)}/steps/${step}`);
      await steps[step](page);
    }

    // Either the browser reaches the application or Chromium reports the hand-back blocked (naming the /continue URL).
    await expect.poll(() => blocked.length > 0 || new URL(page.url()).origin === sampleAppUrl(instance), { timeout: 15_000 }).toBe(true);
    expect(blocked).toEqual([]);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Signed in as ${user}`);
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-user-id', `auth0|${user}`);
    const response = await callback;
    expect(response.status()).toBe(200);
    expect(redirectChain(response, instance)).toEqual(['POST tenant/continue', 'GET tenant/authorize/resume', 'GET app/callback']);
    if (login.steps.includes('password')) await expect(page.getByTestId('password-changed')).toBeVisible();
  });
}
