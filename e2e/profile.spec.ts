import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { decodeJwt } from 'jose';
import { ACTIONS, clearFaults, continueWithoutScript, detourUrl, injectFault, loginAt, mintSessionToken, resetTenant, startUrlFor, tenantCalls, tenantUrl } from './helpers';
import { detourEnv, type StackInstance } from './stack';

/**
 * The profile step through the local tenant, with the shipped steps file: erin (profile only; her given name,
 * family name, phone and country are missing) and grace (terms and profile in one redirect).
 */

const PROFILE_URL = `${detourUrl(ACTIONS)}/steps/profile`;
const summary = (page: Page) => page.getByTestId('error-summary');
const fieldError = (page: Page, id: string) => page.locator(`#field-${id}-error`);

test.beforeEach(async ({ request }) => {
  await resetTenant(request, ACTIONS);
});

async function storedUser(request: APIRequestContext, userId: string): Promise<Record<string, unknown>> {
  const response = await request.get(`${tenantUrl(ACTIONS)}/__users/${encodeURIComponent(userId)}`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}

/** Waits for the hand-back POST to the tenant's /continue and returns the return token's claims. */
function returnToken(page: Page) {
  return page
    .waitForRequest((r) => r.url().startsWith(`${tenantUrl(ACTIONS)}/continue?`) && r.method() === 'POST')
    .then((r) => decodeJwt(new URLSearchParams(r.postData() ?? '').get('session_token') ?? ''));
}

const withoutMaxLength = (page: Page, id: string) => page.locator(`#field-${id}`).evaluate((input) => input.removeAttribute('maxlength'));

async function fillErin(page: Page, overrides: Partial<Record<'given' | 'family' | 'phone' | 'country' | 'birth', string>> = {}) {
  await page.getByLabel('Given name').fill(overrides.given ?? '  Erin ');
  await page.getByLabel('Family name').fill(overrides.family ?? 'Example');
  await page.getByLabel('Phone number').fill(overrides.phone ?? '+44 20 7946 0018');
  await page.getByLabel('Country or region').selectOption(overrides.country ?? 'GB');
  await page.getByLabel('Date of birth').fill(overrides.birth ?? '1990-05-17');
}

test('erin: a profile-only login asks only what is missing, refuses bad answers and writes one PATCH', async ({ page, request }) => {
  const startUrl = await loginAt(page, ACTIONS, 'erin');
  await expect(page).toHaveURL(PROFILE_URL);
  expect(decodeJwt(new URL(startUrl).searchParams.get('session_token') ?? '')).toMatchObject({ steps: ['profile'], profile: { job_title: 'Designer' } });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Complete your profile');

  // Four required fields are missing, then the first optional one: max_fields_per_login is 5. Job title is
  // known, and marketing emails waits for a later login.
  await expect(page.locator('[data-field]')).toHaveCount(5);
  await expect(page.getByLabel('Given name')).toHaveAttribute('autocomplete', 'given-name');
  await expect(page.getByLabel('Family name')).toHaveAttribute('autocomplete', 'family-name');
  await expect(page.getByLabel('Phone number')).toHaveAttribute('type', 'tel');
  await expect(page.getByLabel('Phone number')).toHaveAttribute('autocomplete', 'tel');
  await expect(page.getByLabel('Phone number')).toHaveAttribute('aria-describedby', 'field-phone-hint');
  await expect(page.getByLabel('Country or region')).toHaveAttribute('autocomplete', 'country');
  await expect(page.getByLabel('Country or region').locator('option[value="DE"]')).toHaveText('Germany');
  await expect(page.getByLabel('Date of birth (optional)')).toHaveAttribute('type', 'date');
  await expect(page.getByLabel('Date of birth (optional)')).toHaveAttribute('autocomplete', 'bday');
  await expect(page.getByLabel('Job title')).toHaveCount(0);

  // Checked in the browser first (its own constraint checks, with the server's sentences): nothing is even posted.
  const posts: string[] = [];
  page.on('request', (r) => void (r.method() === 'POST' && r.url() === PROFILE_URL && posts.push(r.url())));
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(summary(page)).toContainText('There is a problem');
  await expect(fieldError(page, 'given_name')).toHaveText('This field is required.');
  await expect(page.getByLabel('Given name')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Given name')).toHaveAttribute('aria-describedby', 'field-given_name-error');

  await fillErin(page, { phone: '+44 20 7946', birth: '2015-01-01' });
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(fieldError(page, 'phone')).toContainText('Enter a valid phone number');
  await expect(fieldError(page, 'birth_date')).toHaveText('The date must be at least 16 years ago.');
  await expect(fieldError(page, 'given_name')).toHaveCount(0);
  expect(posts).toHaveLength(0);
  expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(0);

  await fillErin(page);
  const claims = returnToken(page);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');

  // One PATCH for the whole form: root attributes at the top, the rest merged into user_metadata.
  const { writes } = await tenantCalls(request, ACTIONS);
  expect(writes).toHaveLength(1);
  expect(writes[0]).toMatchObject({
    method: 'PATCH',
    path: '/api/v2/users/auth0%7Cerin',
    body: { given_name: 'Erin', family_name: 'Example', user_metadata: { phone: '+442079460018', country: 'GB', birth_date: '1990-05-17' } },
  });
  // The job title she already had is still there.
  const userMetadata = JSON.parse((await page.getByTestId('user-metadata').textContent()) ?? '{}');
  expect(userMetadata).toEqual({ job_title: 'Designer', phone: '+442079460018', country: 'GB', birth_date: '1990-05-17' });
  expect(await storedUser(request, 'auth0|erin')).toMatchObject({ given_name: 'Erin', family_name: 'Example' });

  expect(await claims).toMatchObject({
    sub: 'auth0|erin',
    completed: ['profile'],
    profile: { given_name: 'Erin', family_name: 'Example', phone: '+442079460018', country: 'GB', birth_date: '1990-05-17' },
  });
});

test('grace: terms and profile in one redirect, with HTML kept as text', async ({ page, request }) => {
  await loginAt(page, ACTIONS, 'grace');
  await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/steps/terms`);
  await expect(page.getByRole('navigation', { name: 'Progress' })).toContainText('Your profile');
  await page.getByLabel('I have read and accept the terms of service').check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();

  await expect(page).toHaveURL(PROFILE_URL);
  await expect(page.getByText('Step 2 of 2')).toBeVisible();
  // Her given name and marketing choice are known; the three missing required fields and two optional ones are asked.
  await expect(page.locator('[data-field]')).toHaveCount(5);
  await expect(page.getByLabel('Given name')).toHaveCount(0);
  await expect(page.getByLabel('Email me product news and offers')).toHaveCount(0);

  const html = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
  await page.getByLabel('Family name').fill('Hopper');
  await page.getByLabel('Phone number').fill('+1 (415) 555-2671');
  await page.getByLabel('Country or region').selectOption('US');
  await page.getByLabel('Job title (optional)').fill(html);
  const claims = returnToken(page);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');

  const { writes } = await tenantCalls(request, ACTIONS);
  expect(writes.map((w) => w.body)).toEqual([
    { app_metadata: { terms_accepted_version: '2026-11-01', terms_accepted_at: expect.any(String) } },
    { family_name: 'Hopper', user_metadata: { phone: '+14155552671', country: 'US', job_title: html } },
  ]);
  const userMetadata = JSON.parse((await page.getByTestId('user-metadata').textContent()) ?? '{}');
  expect(userMetadata).toEqual({ marketing_emails: false, phone: '+14155552671', country: 'US', job_title: html });
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  expect(await claims).toMatchObject({
    sub: 'auth0|grace',
    completed: ['terms', 'profile'],
    terms: { version: '2026-11-01' },
    profile: { family_name: 'Hopper', phone: '+14155552671', country: 'US', job_title: html },
  });
  expect(Object.keys((await claims).profile as object)).toEqual(['family_name', 'phone', 'country', 'job_title']);
});

test('a Management API failure keeps the answers, and a retry writes them once', async ({ page, request }) => {
  await loginAt(page, ACTIONS, 'erin');
  await injectFault(request, ACTIONS, { target: 'users_patch', mode: '500', times: 1000 });
  await fillErin(page);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.locator('[role="alert"][data-error-code="upstream_unavailable"]')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByLabel('Phone number')).toHaveValue('+44 20 7946 0018');
  await expect(page.getByLabel('Country or region')).toHaveValue('GB');

  await clearFaults(request, ACTIONS);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
  // The tenant records every PATCH with its answer's status (TenantCalls leaves it out of its type).
  const writes = (await tenantCalls(request, ACTIONS)).writes as { body: Record<string, unknown>; status?: number }[];
  expect(writes.filter((w) => w.status === 200).map((w) => w.body)).toEqual([
    { given_name: 'Erin', family_name: 'Example', user_metadata: { phone: '+442079460018', country: 'GB', birth_date: '1990-05-17' } },
  ]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the form posts, the server puts its errors on the fields, keeps the input, and the login completes', async ({ page, request }) => {
    await loginAt(page, ACTIONS, 'erin');
    await expect(page).toHaveURL(PROFILE_URL);
    await fillErin(page, { family: '', phone: '0044 12', country: '' });
    await page.getByRole('button', { name: 'Save and continue' }).click();

    await expect(summary(page)).toHaveAttribute('role', 'alert');
    await expect(summary(page)).toHaveAttribute('data-error-code', 'validation_failed');
    await expect(summary(page).getByRole('link', { name: /Family name: This field is required/ })).toHaveAttribute('href', '#field-family_name');
    await expect(fieldError(page, 'family_name')).toHaveText('This field is required.');
    await expect(fieldError(page, 'phone')).toContainText('Enter a valid phone number');
    await expect(fieldError(page, 'country')).toHaveText('This field is required.');
    await expect(page.getByLabel('Phone number')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Phone number')).toHaveAttribute('aria-describedby', 'field-phone-hint field-phone-error');
    await expect(page.getByLabel('Given name')).toHaveValue('  Erin ');
    await expect(page.getByLabel('Phone number')).toHaveValue('0044 12');
    await expect(page.getByLabel('Date of birth (optional)')).toHaveValue('1990-05-17');
    expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(0);

    await fillErin(page);
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await expect(page).toHaveURL(`${detourUrl(ACTIONS)}/complete`);
    await continueWithoutScript(page, ACTIONS);
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
    const { writes } = await tenantCalls(request, ACTIONS);
    expect(writes.map((w) => w.body)).toEqual([
      { given_name: 'Erin', family_name: 'Example', user_metadata: { phone: '+442079460018', country: 'GB', birth_date: '1990-05-17' } },
    ]);
  });

  // Posts the browser's own checks would stop: the server refuses each with a clear error and writes nothing.
  const tampered: [string, (page: Page) => Promise<void>, RegExp][] = [
    [
      'a field that is not on the form',
      (page) => page.locator('form:has(#field-phone)').evaluate((form) => form.insertAdjacentHTML('beforeend', '<input type="hidden" name="is_admin" value="true">')),
      /sent an answer we did not ask for/,
    ],
    [
      'a field the steps file has but this login did not ask',
      (page) => page.locator('form:has(#field-phone)').evaluate((form) => form.insertAdjacentHTML('beforeend', '<input type="hidden" name="job_title" value="CEO">')),
      /sent an answer we did not ask for/,
    ],
    [
      'a country that is not in the list',
      async (page) => {
        await page.locator('#field-country').evaluate((select) => select.insertAdjacentHTML('beforeend', '<option value="ZZ">Zed</option>'));
        await page.getByLabel('Country or region').selectOption('ZZ');
      },
      /Country or region: Choose a country from the list/,
    ],
    // The input's maxlength stops typing at 100: a tampered page without it.
    ['a family name over the declared 100 characters', (page) => withoutMaxLength(page, 'family_name').then(() => page.getByLabel('Family name').fill('x'.repeat(101))), /Family name: Use at most 100 characters/],
    ['a family name over 2 KB', (page) => withoutMaxLength(page, 'family_name').then(() => page.getByLabel('Family name').fill('ß'.repeat(1100))), /Family name: This answer is too long to save/],
    [
      'a field sent twice',
      (page) => page.locator('form:has(#field-phone)').evaluate((form) => form.insertAdjacentHTML('beforeend', '<input type="hidden" name="family_name" value="Other">')),
      /Family name: This answer could not be read/,
    ],
    ['a date that is not a date', (page) => page.locator('#field-birth_date').evaluate((input) => input.setAttribute('type', 'text')).then(() => page.getByLabel('Date of birth (optional)').fill('17/05/1990')), /Date of birth: Enter a real date/],
  ];
  for (const [name, tamper, message] of tampered) {
    test(`refuses ${name}`, async ({ page, request }) => {
      await loginAt(page, ACTIONS, 'erin');
      await expect(page).toHaveURL(PROFILE_URL);
      await fillErin(page);
      await tamper(page);
      await page.getByRole('button', { name: 'Save and continue' }).click();
      await expect(summary(page)).toContainText(message);
      await expect(page).toHaveURL(PROFILE_URL);
      expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(0);
    });
  }
});

/**
 * A second Detour on its own port with a steps file of its own: conditional fields, radio buttons, a number, a
 * multi-select, and `persist: "action"` (nothing written through the Management API; the values travel in the claim).
 * Its tokens are minted here, so the tenant's /continue refuses the hand-back; the test reads the token it was sent.
 */
test.describe('a custom steps file', () => {
  const label = (en: string) => ({ en });
  const CUSTOM_PROFILE = {
    persist: 'action',
    fields: [
      { id: 'plan', type: 'radio', required: true, label: label('How do you use Example?'), options: [{ value: 'personal', label: label('For myself') }, { value: 'work', label: label('For work') }] },
      { id: 'company', type: 'text', required: true, label: label('Company'), show_when: { field: 'plan', equals: 'work' } },
      { id: 'team_size', type: 'number', integer: true, min: 1, max: 10000, label: label('Team size'), show_when: { field: 'plan', equals: 'work' } },
      { id: 'topics', type: 'multi_select', max_selected: 2, label: label('Topics'), options: ['news', 'offers', 'events'].map((value) => ({ value, label: label(`Topic: ${value}`) })) },
      { id: 'newsletter', type: 'checkbox', label: label('Newsletter') },
    ],
  };
  const instance: StackInstance = { protocol: 'actions', tenantPort: ACTIONS.tenantPort, detourPort: Number(process.env.E2E_PORT_BASE ?? 3110) + 87 };
  let folder = '';
  let server: ChildProcess | undefined;

  test.beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'detour-profile-custom-'));
    const steps = { ...(JSON.parse(readFileSync('detour.config.json', 'utf8')) as Record<string, unknown>), profile: CUSTOM_PROFILE };
    writeFileSync(path.join(folder, 'detour.config.json'), JSON.stringify(steps));
    const env = { ...detourEnv(instance, path.join(folder, 'detour.sqlite')), DETOUR_CONFIG: path.join(folder, 'detour.config.json'), LOG_LEVEL: 'warn' };
    server = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(instance.detourPort)], {
      env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: 'ignore',
    });
    for (let attempt = 0; ; attempt += 1) {
      const ready = await fetch(`${detourUrl(instance)}/api/health`).then((r) => r.ok, () => false);
      if (ready) break;
      if (attempt > 100) throw new Error('the second Detour did not start');
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

  const openProfile = async (page: Page, profile: Record<string, unknown> = {}) => {
    await page.goto(startUrlFor(instance, await mintSessionToken(instance, { sub: 'auth0|custom', steps: ['profile'], profile })));
    await expect(page).toHaveURL(`${detourUrl(instance)}/steps/profile`);
  };
  const handBack = (page: Page) =>
    page.waitForRequest((r) => r.url().startsWith(`${tenantUrl(ACTIONS)}/continue?`)).then((r) => decodeJwt(new URLSearchParams(r.postData() ?? '').get('session_token') ?? ''));

  test('a conditional field appears with its condition, is required then, and persist "action" writes nothing', async ({ page, request }) => {
    await openProfile(page);
    await expect(page.getByLabel('Company')).toBeHidden();
    await expect(page.getByLabel('Company')).toBeDisabled();
    await page.getByLabel('For work').check();
    await expect(page.getByLabel('Company')).toBeVisible();
    await page.getByLabel('Team size (optional)').fill('12.5');
    await page.getByLabel('Topic: news').check();
    await page.getByLabel('Topic: offers').check();
    await page.getByLabel('Topic: events').check();
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await expect(fieldError(page, 'company')).toHaveText('This field is required.');
    await expect(fieldError(page, 'team_size')).toHaveText('Enter a whole number.');
    await expect(fieldError(page, 'topics')).toHaveText('Choose at most 2.');

    await page.getByLabel('Company').fill(' Analytical Engines ');
    await page.getByLabel('Team size (optional)').fill('12');
    await page.getByLabel('Topic: offers').uncheck();
    const claims = handBack(page);
    await page.getByRole('button', { name: 'Save and continue' }).click();
    expect(await claims).toMatchObject({
      completed: ['profile'],
      persist_in_action: ['profile'],
      profile: { plan: 'work', company: 'Analytical Engines', team_size: 12, topics: ['news', 'events'], newsletter: false },
    });
    expect((await tenantCalls(request, ACTIONS)).writes).toHaveLength(0);
  });

  test('a known answer decides a condition: the dependent field is asked alone', async ({ page }) => {
    await openProfile(page, { plan: 'work', topics: 'news,events', newsletter: true });
    await expect(page.locator('[data-field]')).toHaveCount(2);
    await expect(page.getByLabel('Company')).toBeVisible();
    await expect(page.getByLabel('Team size (optional)')).toBeVisible();
    await page.getByLabel('Company').fill('Analytical Engines');
    const claims = handBack(page);
    await page.getByRole('button', { name: 'Save and continue' }).click();
    expect((await claims).profile).toEqual({ company: 'Analytical Engines' });
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('every field is shown, a conditional one says when it is needed, and its answer is dropped when it is not', async ({ page }) => {
      await openProfile(page);
      await expect(page.getByLabel('Company')).toBeVisible();
      await expect(page.locator('#field-company-condition')).toHaveText('Only needed if you answered “For work” to “How do you use Example?”.');
      await page.getByLabel('For myself').check();
      await page.getByLabel('Company').fill('not needed');
      await page.getByRole('button', { name: 'Save and continue' }).click();
      await expect(page).toHaveURL(`${detourUrl(instance)}/complete`);
      const claims = handBack(page);
      await continueWithoutScript(page, instance);
      expect((await claims).profile).toEqual({ plan: 'personal', newsletter: false });
    });
  });
});

test('a steps file with a bad field definition stops start-up with a message naming the field', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'detour-profile-config-'));
  try {
    const steps = JSON.parse(readFileSync('detour.config.json', 'utf8')) as { profile: { fields: Record<string, unknown>[] } };
    steps.profile.fields.push({ id: 'company', type: 'text', target: 'root', label: { en: 'Company' } });
    steps.profile.fields.push({ id: 'shoe_size', type: 'number', label: { en: 'Shoe size' }, min: 50, max: 30 });
    const file = path.join(folder, 'detour.config.json');
    writeFileSync(file, JSON.stringify(steps));
    const port = Number(process.env.E2E_PORT_BASE ?? 3110) + 88;
    const { code, output } = await startDetour({ ...detourEnv(ACTIONS, path.join(folder, 'never.sqlite')), DETOUR_CONFIG: file, PORT: String(port) }, port);
    expect(code).toBe(1);
    expect(output).toContain('Detour cannot start');
    expect(output).toMatch(/profile\.fields\.7\.target: field "company": target "root" is only for given_name/);
    expect(output).toMatch(/profile\.fields\.8\.min: field "shoe_size": min is above max/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

/** Starts the production build and collects what it prints until it exits (it must, on a bad steps file). */
function startDetour(env: Record<string, string>, port: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
      env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Detour did not stop on a bad steps file; it printed:\n${output}`));
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
