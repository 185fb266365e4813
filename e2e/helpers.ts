import { randomBytes } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import { ACTIONS, RULES, e2eDatabaseFile } from '../playwright.config';
import { DEV_SESSION_TOKEN_SECRET } from './local-tenant/config';
import type { CaughtMail } from './local-tenant/mail-catcher';
import { detourUrl, mailboxUrl, sampleAppUrl, tenantUrl, type StackInstance } from './stack';

export { ACTIONS, RULES, detourUrl, mailboxUrl, sampleAppUrl, tenantUrl };

export interface TenantCalls {
  writes: { method: string; path: string; status?: number; body: Record<string, unknown> }[];
  tokenRequests: number;
  /** `recorded_methods`: what the Action's api.authentication.recordMethod() named (trigger v3). */
  continues: { outcome: string; recorded_methods?: string[] }[];
}

/**
 * Resets the tenant and puts its Action on the running project's post-login trigger version (playwright.config.ts
 * `projects`, metadata.triggerVersion; the tenant refuses a bad one). No version named: the tenant's default.
 */
export async function resetTenant(request: APIRequestContext, instance: StackInstance): Promise<void> {
  const triggerVersion: unknown = test.info().project.metadata.triggerVersion;
  const response = await request.post(`${tenantUrl(instance)}/__reset`, triggerVersion === undefined ? {} : { data: { trigger_version: triggerVersion } });
  expect(response.ok()).toBe(true);
}

export async function tenantCalls(request: APIRequestContext, instance: StackInstance): Promise<TenantCalls> {
  const response = await request.get(`${tenantUrl(instance)}/__calls`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as TenantCalls;
}

export async function injectFault(
  request: APIRequestContext,
  instance: StackInstance,
  fault: { target: 'users_patch' | 'oauth_token' | 'users_get'; mode: '429' | '500' | 'slow' | 'refused'; times: number; resetInSeconds?: number; delayMs?: number },
): Promise<void> {
  const response = await request.post(`${tenantUrl(instance)}/__faults`, { data: fault });
  expect(response.ok()).toBe(true);
}

export async function clearFaults(request: APIRequestContext, instance: StackInstance): Promise<void> {
  await request.delete(`${tenantUrl(instance)}/__faults`);
}

/** One message in the tenant's GET /mailbox.json (newest first), as the catcher keeps it. */
export type { CaughtMail };

/** Everything the tenant's mail catcher holds, newest first (resetTenant empties it). */
export async function mailbox(instance: StackInstance = ACTIONS): Promise<CaughtMail[]> {
  const response = await fetch(`${mailboxUrl(instance)}.json`);
  expect(response.ok).toBe(true);
  return ((await response.json()) as { messages: CaughtMail[] }).messages;
}

/** Empties the mailbox, e.g. before asking for a new code so that latestCode() waits for it. */
export async function clearMailbox(instance: StackInstance = ACTIONS): Promise<void> {
  const response = await fetch(`${mailboxUrl(instance)}/clear`, { method: 'POST', redirect: 'manual' });
  expect(response.status).toBe(303);
}

/** The next `count` deliveries to the catcher fail: `refuse` answers 451, `drop` cuts the connection. */
export async function failMail(count: number, mode: 'refuse' | 'drop', instance: StackInstance = ACTIONS): Promise<void> {
  const response = await fetch(`${tenantUrl(instance)}/__mail/fail`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count, mode }) });
  expect(response.ok).toBe(true);
}

/**
 * The six-digit code in the newest mail to `email`: polls the tenant's mailbox until one arrives (or `timeoutMs`
 * passes), and reads the code from a line of its own in the text body. Only mail after `after` (a message id
 * from mailbox()) counts, so a resent code is not confused with the first.
 */
export async function latestCode(email: string, options: { instance?: StackInstance; timeoutMs?: number; after?: number } = {}): Promise<string> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const mail = (await mailbox(options.instance)).find((m) => m.to.some((to) => to.toLowerCase() === email.toLowerCase()) && m.id > (options.after ?? 0));
    if (mail) {
      const code = /^\s*(\d{6})\s*$/m.exec(mail.text)?.[1];
      if (!code) throw new Error(`the newest mail to ${email} ("${mail.subject}") has no six-digit code on a line of its own`);
      return code;
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${email} reached ${mailboxUrl(options.instance ?? ACTIONS)} within ${options.timeoutMs ?? 10_000} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Signs in from the sample application as `user` on the tenant's login page; returns the /start URL the Action sent
 * the browser to ('' when the login went straight back to the application).
 */
export async function loginAt(page: Page, instance: StackInstance, user: string): Promise<string> {
  let startUrl = '';
  const onRequest = (req: { url(): string }) => {
    if (req.url().startsWith(`${detourUrl(instance)}/start?`)) startUrl = req.url();
  };
  page.on('request', onRequest);
  await page.goto(`${sampleAppUrl(instance)}/`);
  await page.getByTestId('sign-in').click();
  await page.getByTestId(`login-${user}`).click();
  await page.waitForURL((url) => url.origin === detourUrl(instance) || url.origin === sampleAppUrl(instance));
  page.off('request', onRequest);
  return startUrl;
}

/**
 * Presses "Continue signing in" on /complete in a page without JavaScript: the button asks Detour for a return token
 * minted at that moment (POST /complete, docs/design.md "Slow hands"), and the page that answers carries it to
 * Auth0 with a second press.
 */
export async function continueWithoutScript(page: Page, instance: StackInstance): Promise<void> {
  const button = page.getByRole('button', { name: 'Continue signing in' });
  const reissued = page.waitForResponse((r) => r.url() === `${detourUrl(instance)}/complete` && r.request().method() === 'POST');
  await button.click();
  expect((await reissued).status()).toBe(200);
  await button.click();
}

/** Signs a session token as the local tenant's Action would, with overrides to make it bad on purpose. */
export async function mintSessionToken(
  instance: StackInstance,
  overrides: Record<string, unknown> = {},
  options: { secret?: string; lifetimeSeconds?: number; header?: Record<string, unknown> } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: `127.0.0.1:${instance.tenantPort}`,
    sub: 'auth0|alice',
    aud: detourUrl(instance),
    iat: now,
    exp: now + (options.lifetimeSeconds ?? 600),
    jti: randomBytes(16).toString('base64url'),
    steps: ['terms'],
    email: 'alice@example.com',
    ...overrides,
  };
  for (const [key, value] of Object.entries(claims)) if (value === undefined) delete (claims as Record<string, unknown>)[key];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...options.header })
    .sign(new TextEncoder().encode(options.secret ?? DEV_SESSION_TOKEN_SECRET));
}

export function startUrlFor(instance: StackInstance, token: string, state = 'e2e-state-1234'): string {
  const param = instance.protocol === 'rules' ? 'token' : 'session_token';
  return `${detourUrl(instance)}/start?state=${encodeURIComponent(state)}&${param}=${token}`;
}

export interface ConsentRecord {
  sub: string;
  terms_version: string;
  locale: string;
  document_sha256: string;
  jti: string;
  user_agent: string | null;
}

/** Reads the consent ledger straight from the SQLite file the Detour server under test writes. */
export function readConsents(instance: StackInstance): ConsentRecord[] {
  const db = new Database(e2eDatabaseFile(instance), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT sub, terms_version, locale, document_sha256, jti, user_agent FROM consents ORDER BY accepted_at').all() as ConsentRecord[];
  } finally {
    db.close();
  }
}

/**
 * Lets every test start with the verify step's send counters at zero: the per-person limit (10 codes an hour across
 * sign-ins) would otherwise be reached by the suite's own sign-ins as pablo. Deletes only those counters, in the
 * SQLite file of the Detour server under test; the limit itself is tested in lib/steps/verify/code-store.test.ts.
 */
export function forgetVerifySendCounts(instance: StackInstance): void {
  const db = new Database(e2eDatabaseFile(instance), { fileMustExist: true });
  try {
    db.prepare("DELETE FROM rate_limits WHERE key LIKE 'verify:user-sends:%'").run();
  } finally {
    db.close();
  }
}
