import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ACTIONS, detourUrl, forgetVerifySendCounts, latestCode, mailbox, mintSessionToken, readConsents, resetTenant, startUrlFor, tenantUrl } from './helpers';
import { DATABASE_CONNECTION } from './local-tenant/users';

/**
 * Languages without a locale in the URL: the token's `ui_locales`, then Accept-Language, then the default. Every
 * shipped language renders its own catalogue, steps-file labels and terms document; Arabic is right-to-left.
 */

const base = detourUrl(ACTIONS);
const LOCALES = ['en', 'de', 'fr', 'es', 'ja', 'ar'] as const;
type Locale = (typeof LOCALES)[number];

/** A message of the catalogue, by `namespace.key.path`, as the page shows it (no placeholders used here). */
function msg(locale: Locale, key: string): string {
  const [namespace, ...rest] = key.split('.');
  let node: unknown = JSON.parse(readFileSync(path.join('messages', locale, `${namespace}.json`), 'utf8'));
  for (const part of rest) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'string') throw new Error(`no message ${key} in ${locale}`);
  return node;
}
const steps = JSON.parse(readFileSync('detour.config.json', 'utf8')) as { profile: { fields: { id: string; label: Record<Locale, string> }[] } };
const label = (id: string, locale: Locale) => steps.profile.fields.find((f) => f.id === id)!.label[locale];

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

test.beforeEach(async ({ request }) => resetTenant(request, ACTIONS));

/** The login page of the local tenant, its "Browser language" set: the Action sends it as `ui_locales`. */
async function loginIn(page: Page, user: string, language: Locale): Promise<void> {
  await page.goto(`${tenantUrl(ACTIONS)}/`);
  await page.getByTestId('login-language').selectOption(language);
  await page.getByTestId(`login-${user}`).click();
  await page.waitForURL((url) => url.origin === base);
}

test('a German sign-in is German throughout: page, terms document, errors, the ledger row', async ({ page }) => {
  await loginIn(page, 'alice', 'de');
  await expect(page).toHaveURL(`${base}/steps/terms`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bitte prüfen Sie unsere aktualisierten Nutzungsbedingungen');
  await expect(page).toHaveTitle('Bitte prüfen Sie unsere aktualisierten Nutzungsbedingungen · Example');
  const document = page.locator('section.document');
  await expect(document).toHaveAttribute('lang', 'de');
  await expect(document.getByRole('heading', { level: 2 })).toHaveText('Nutzungsbedingungen');
  await expect(page.getByTestId('account')).toHaveText('Anmeldung als a***e@example.com');

  await page.getByRole('button', { name: 'Akzeptieren und fortfahren' }).click();
  await expect(page.getByTestId('error-summary')).toContainText('Es gibt ein Problem');
  await expect(page.locator('#accept-error')).toHaveText(msg('de', 'terms.errors.must_accept'));

  await page.getByLabel('Ich habe die Nutzungsbedingungen gelesen und akzeptiere sie').check();
  await page.getByRole('button', { name: 'Akzeptieren und fortfahren' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
  const [row] = readConsents(ACTIONS).filter((r) => r.sub === 'auth0|alice').slice(-1);
  expect(row?.locale).toBe('de');
});

for (const locale of ['de', 'ja', 'ar'] as const) {
  test(`a sign-in from a new place in ${locale}: the verify page and the code's mail in ${locale}`, async ({ page }) => {
    forgetVerifySendCounts(ACTIONS);
    await loginIn(page, 'pablo', locale);
    await expect(page).toHaveURL(`${base}/steps/verify`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg(locale, 'verify.title'));
    const portugal = new Intl.DisplayNames([locale], { type: 'region' }).of('PT')!;
    await expect(page.getByRole('main')).toContainText(portugal);
    const code = await latestCode('pablo@example.com');
    const [mail] = await mailbox(ACTIONS);
    expect(mail?.subject).toBe(msg(locale, 'verify.mail.subject').replace('{product}', 'Example'));
    expect(mail?.text).toContain(portugal);
    await page.getByRole('textbox').fill(code);
    await page.getByRole('button', { name: msg(locale, 'verify.submit') }).click();
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
  });
}

test('an Arabic sign-in is right-to-left, and so is the page it ends on', async ({ page }) => {
  await loginIn(page, 'alice', 'ar');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('ar', 'terms.title'));
  expect(await page.evaluate(() => getComputedStyle(document.body).direction)).toBe('rtl');
  // Mirrored by logical properties: the box sits to the right of its label, the button starts on the right.
  const box = (await page.locator('#accept').boundingBox())!;
  const labelBox = (await page.locator('label[for="accept"]').boundingBox())!;
  expect(box.x).toBeGreaterThan(labelBox.x);
  const card = (await page.locator('main').boundingBox())!;
  const button = (await page.locator('form .actions button[type="submit"]').boundingBox())!;
  expect(card.x + card.width - (button.x + button.width)).toBeLessThan(button.x - card.x);

  await page.getByRole('button', { name: msg('ar', 'common.not_you') }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('ar', 'start_over.title'));
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
});

for (const locale of LOCALES) {
  test(`ui_locales=${locale}: the terms and profile steps in ${locale}`, async ({ page }) => {
    const token = await mintSessionToken(ACTIONS, { sub: 'auth0|erin', email: 'erin@example.com', ui_locales: locale, steps: ['terms', 'profile'] });
    await page.goto(startUrlFor(ACTIONS, token));
    await expect(page).toHaveURL(`${base}/steps/terms`);
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    await expect(page.locator('html')).toHaveAttribute('dir', locale === 'ar' ? 'rtl' : 'ltr');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg(locale, 'terms.title'));
    await expect(page.locator('section.document')).toHaveAttribute('lang', locale);
    await page.getByLabel(msg(locale, 'terms.accept_label')).check();
    await page.getByRole('button', { name: msg(locale, 'terms.submit') }).click();

    await expect(page).toHaveURL(`${base}/steps/profile`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg(locale, 'profile.title'));
    await expect(page.getByLabel(label('given_name', locale))).toBeVisible();
    await expect(page.getByLabel(label('phone', locale))).toHaveAttribute('type', 'tel');
    const germany = new Intl.DisplayNames([locale], { type: 'region' }).of('DE')!;
    await expect(page.getByLabel(label('country', locale)).locator('option[value="DE"]')).toHaveText(germany);
    await page.getByRole('button', { name: msg(locale, 'profile.submit') }).click();
    await expect(page.locator('#field-given_name-error')).toHaveText(msg(locale, 'profile.errors.required'));
  });
}

test('without ui_locales Accept-Language decides; ui_locales wins over it; anything else falls back to English', async ({ browser }) => {
  // The browser's locale is what it sends as Accept-Language.
  const cases: [string | undefined, string, string][] = [
    [undefined, 'fr-CA', msg('fr', 'terms.title')],
    ['es', 'de-DE', msg('es', 'terms.title')],
    ['zh it', 'nl-NL', msg('en', 'terms.title')],
  ];
  for (const [uiLocales, acceptLanguage, title] of cases) {
    const context = await browser.newContext({ locale: acceptLanguage });
    const page = await context.newPage();
    await page.goto(startUrlFor(ACTIONS, await mintSessionToken(ACTIONS, uiLocales ? { ui_locales: uiLocales } : {})));
    await expect(page.getByRole('heading', { level: 1 }), `ui_locales ${uiLocales}, Accept-Language ${acceptLanguage}`).toHaveText(title);
    await context.close();
  }
});

test('a /start refusal is in the language of Accept-Language (the token is not trusted for it)', async ({ request }) => {
  for (const locale of LOCALES) {
    const response = await request.get(`${base}/start?state=a&session_token=not-a-token`, { headers: { 'accept-language': `${locale};q=0.9` } });
    expect(response.status()).toBe(400);
    const html = await response.text();
    expect(html).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
    expect(html).toContain(escapeHtml(msg(locale, 'errors.token_malformed')));
  }
  // "Wrong browser": a step page without a flow, refused before any page renders.
  const missing = await request.get(`${base}/steps/terms`, { headers: { 'accept-language': 'fr-FR,fr;q=0.9' }, maxRedirects: 0 });
  expect(missing.status()).toBe(401);
  const page = await missing.text();
  expect(page).toContain('<html lang="fr" dir="ltr">');
  expect(page).toContain(escapeHtml(msg('fr', 'errors.titles.wrong_browser')));
  expect(page).toContain(escapeHtml(msg('fr', 'errors.flow_missing')));
  // A token asking for Japanese does not make the refusal Japanese.
  const forged = await mintSessionToken(ACTIONS, { ui_locales: 'ja' }, { secret: 'another-secret-of-at-least-32-bytes-long!!' });
  const refused = await request.get(startUrlFor(ACTIONS, forged), { headers: { 'accept-language': 'de' } });
  expect(await refused.text()).toContain('<html lang="de"');
});

test('the password meter speaks the person’s language', async ({ page }) => {
  const token = await mintSessionToken(ACTIONS, { sub: `auth0|i18n-${Date.now()}`, steps: ['password'], connection: DATABASE_CONNECTION, email: 'i18n@example.com', ui_locales: 'de' });
  await page.goto(startUrlFor(ACTIONS, token));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('de', 'password.title'));
  await expect(page.getByTestId('password-rules')).toContainText('Mindestens 12 Zeichen');
  await page.getByLabel(msg('de', 'password.password_label'), { exact: true }).fill('password');
  const meter = page.getByTestId('password-strength');
  await expect(meter).toHaveAttribute('data-status', 'ready');
  await expect(meter).toContainText('Stärke: sehr schwach');
  await expect(meter).toContainText(msg('de', 'password.feedback.warnings.topTen'));
});
