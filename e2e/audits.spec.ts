import { expect, test } from '@playwright/test';
import { ACTIONS, detourUrl, resetTenant } from './helpers';

/**
 * Findings of the audits, each kept fixed: the icon every page names.
 */

const base = detourUrl(ACTIONS);

test.beforeEach(async ({ request }) => resetTenant(request, ACTIONS));

test('/favicon.ico answers an icon, and both kinds of page name it', async ({ page, request }) => {
  const icon = await request.get(`${base}/favicon.ico`);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
  // An ICO file starts with reserved 0, type 1 (icon).
  expect([...(await icon.body()).subarray(0, 4)]).toEqual([0, 0, 1, 0]);

  // Framework-free (a /start refusal) and React (the home page's refusal).
  expect(await (await request.get(`${base}/start`)).text()).toContain('<link rel="icon" href="/favicon.ico">');
  await page.goto(`${base}/`);
  await expect(page.locator('head link[rel="icon"]')).toHaveAttribute('href', '/favicon.ico');
});
