/**
 * `npm run screenshots`: every step page and state, in English and Arabic (right-to-left), on a phone (360 px) and
 * a desktop (1280 px), as PNGs under docs/screenshots/ (docs/screenshots.md shows them).
 *
 * It builds nothing: run `npm run build` first (NEXT_DIST_DIR is honoured). It starts its own local tenant and a
 * Detour (`npm start`'s server) on SCREENSHOT_PORT_BASE (default 3950; the tenant on +1000, its mail catcher, Detour's
 * SMTP_URL, on +1015) with a throw-away database, drives Chromium through the flows, then stops both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { detourEnv, detourServerArgs, detourUrl, mailboxUrl, tenantEnv, tenantUrl, type StackInstance } from '../e2e/stack';
import { chromiumLaunchOptions } from '../e2e/chromium';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'docs', 'screenshots');
const DIST = process.env.NEXT_DIST_DIR || '.next';
const portBase = Number(process.env.SCREENSHOT_PORT_BASE ?? 3950);
const instance: StackInstance = { protocol: 'actions', detourPort: portBase, tenantPort: portBase + 1000 };
const LOCALES = ['en', 'ar'] as const;
const WIDTHS = [
  { name: 'phone', width: 360, height: 760 },
  { name: 'desktop', width: 1280, height: 820 },
] as const;
const STRONG = 'Blue-Kettle-Violin-42';

type Locale = (typeof LOCALES)[number];
type Width = (typeof WIDTHS)[number];


const children: ChildProcess[] = [];
function start(name: string, args: string[], env: Record<string, string>): void {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`[screenshots] ${name} exited early (${code ?? 'signal'})`);
      process.exitCode = 1;
    }
  });
  children.push(child);
}

let stopping = false;
async function stopAll(): Promise<void> {
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

async function waitFor(url: string): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer`);
}

async function resetTenant(): Promise<void> {
  await fetch(`${tenantUrl(instance)}/__reset`, { method: 'POST' });
}

/** Logs in at the local tenant with the language the Action sends as `ui_locales`; ends on Detour's first step. */
async function login(page: Page, user: string, locale: Locale): Promise<void> {
  await page.goto(`${tenantUrl(instance)}/`);
  await page.getByTestId('login-language').selectOption(locale);
  await page.getByTestId(`login-${user}`).click();
  await page.waitForURL((url) => url.origin === detourUrl(instance));
}

/** The /start URL the Action would send `user` to, without opening it (so it can be opened twice). */
async function startUrl(user: string, locale: Locale): Promise<string> {
  const response = await fetch(`${tenantUrl(instance)}/login`, {
    method: 'POST',
    body: new URLSearchParams({ user_id: `auth0|${user}`, language: locale }),
    redirect: 'manual',
  });
  const location = response.headers.get('location');
  if (!location) throw new Error(`the tenant did not redirect ${user} (${response.status})`);
  return location;
}

let written = 0;
async function shoot(page: Page, state: string, locale: Locale, width: Width): Promise<void> {
  // Settle fonts and layout; the caret would make two runs differ.
  await page.evaluate(() => document.fonts.ready);
  const file = path.join(OUT, `${state}-${locale}-${width.name}.png`);
  await page.screenshot({ path: file, fullPage: true, caret: 'hide', animations: 'disabled' });
  written += 1;
  console.log(`  ${path.relative(ROOT, file)}`);
}

const STATES: Record<string, (context: () => Promise<BrowserContext>, locale: Locale, width: Width) => Promise<void>> = {
  // The terms step as alice first sees it.
  async terms(context, locale, width) {
    const page = await (await context()).newPage();
    await login(page, 'alice', locale);
    await shoot(page, 'terms', locale, width);
  },
  // Submitted without ticking the box: the error summary has the focus.
  async 'terms-error'(context, locale, width) {
    const page = await (await context()).newPage();
    await login(page, 'alice', locale);
    await page.locator('form .actions button[type="submit"]').click();
    await page.getByTestId('error-summary').waitFor();
    await shoot(page, 'terms-error', locale, width);
  },
  // erin's profile, submitted empty: every missing field in the summary and on the field.
  async 'profile-error'(context, locale, width) {
    const page = await (await context()).newPage();
    await login(page, 'erin', locale);
    await page.locator('form .actions button[type="submit"]').click();
    await page.getByTestId('error-summary').waitFor();
    await shoot(page, 'profile-error', locale, width);
  },
  // frank's new password: the rules ticking and zxcvbn's verdict.
  async password(context, locale, width) {
    const page = await (await context()).newPage();
    await login(page, 'frank', locale);
    await page.locator('#password').fill(STRONG);
    await page.locator('[data-testid="password-strength"][data-status="ready"]').waitFor();
    await page.locator('#confirm_password').fill(STRONG);
    await page.locator('#confirm_password').blur();
    await shoot(page, 'password', locale, width);
  },
  // pablo signs in from Lisbon, a new place for him: the code went to his address.
  async verify(context, locale, width) {
    const page = await (await context()).newPage();
    await login(page, 'pablo', locale);
    await page.locator('#code').waitFor();
    await shoot(page, 'verify', locale, width);
  },
  // A wrong code (the one mailed, changed by one): the field says so, and how many tries are left.
  async 'verify-error'(context, locale, width) {
    const page = await (await context()).newPage();
    await login(page, 'pablo', locale);
    const { messages } = (await (await fetch(`${mailboxUrl(instance)}.json`)).json()) as { messages: { text: string }[] };
    const code = /^\s*(\d{6})\s*$/m.exec(messages[0]?.text ?? '')?.[1] ?? '000000';
    await page.locator('#code').fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
    await page.locator('form .actions button[type="submit"]').click();
    await page.getByTestId('error-summary').waitFor();
    await shoot(page, 'verify-error', locale, width);
  },
  // The hand-back without JavaScript: the visible button that finishes the sign-in.
  async complete(context, locale, width) {
    const page = await (await context({ javaScriptEnabled: false })).newPage();
    await page.goto(await startUrl('alice', locale));
    await page.locator('#accept').check();
    await page.locator('form .actions button[type="submit"]').click();
    await page.waitForURL(`${detourUrl(instance)}/complete`);
    await shoot(page, 'complete', locale, width);
  },
  // A link opened in a second browser: refused as already used, with the way back and a support reference.
  async 'used-link'(context, locale, width) {
    const url = await startUrl('alice', locale);
    await (await (await context()).newPage()).goto(url);
    const page = await (await context()).newPage();
    await page.goto(url);
    await page.locator('[data-error-code="token_replayed"]').waitFor();
    await shoot(page, 'used-link', locale, width);
  },
};

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, DIST, 'BUILD_ID'))) {
    throw new Error(`no production build in ${DIST}/: run \`npm run build\` first (with NEXT_DIST_DIR=${DIST} if you use another folder)`);
  }
  mkdirSync(OUT, { recursive: true });
  const data = mkdtempSync(path.join(tmpdir(), 'detour-screenshots-'));
  let browser: Browser | undefined;
  try {
    start('local tenant', ['--import', 'tsx', 'e2e/local-tenant/main.ts'], tenantEnv(instance));
    start('detour', detourServerArgs(), {
      ...detourEnv(instance, path.join(data, 'detour.sqlite')),
      // Error pages then show "start the sign-in again", as a deployment that sets it would.
      LOGIN_RESTART_URL: `${tenantUrl(instance)}/`,
    });
    await Promise.all([waitFor(`${tenantUrl(instance)}/`), waitFor(`${detourUrl(instance)}/api/health`)]);

    browser = await chromium.launch({
      ...chromiumLaunchOptions(),
    });
    for (const locale of LOCALES) {
      for (const width of WIDTHS) {
        for (const [, capture] of Object.entries(STATES)) {
          await resetTenant();
          const opened: BrowserContext[] = [];
          const context = async (options: { javaScriptEnabled?: boolean } = {}) => {
            const created = await browser!.newContext({
              viewport: { width: width.width, height: width.height },
              deviceScaleFactor: 1,
              locale,
              colorScheme: 'light',
              reducedMotion: 'reduce',
              ...options,
            });
            opened.push(created);
            return created;
          };
          try {
            await capture(context, locale, width);
          } finally {
            await Promise.all(opened.map((c) => c.close()));
          }
        }
      }
    }
    console.log(`[screenshots] ${written} images in ${path.relative(ROOT, OUT)}/`);
  } finally {
    await browser?.close();
    await stopAll();
    rmSync(data, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`[screenshots] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
  void stopAll();
});
