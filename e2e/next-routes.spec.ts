import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loginAt, mintSessionToken, startUrlFor } from './helpers';
import { detourEnv, detourUrl, tenantEnv, tenantUrl, type StackInstance } from './stack';

// Every other spec runs `npm start`'s server, whose fast lane answers /start, the terms page and /complete before
// Next. Where Next runs alone (`next start`, Vercel) the routes in app/ answer them, with proxy.ts applying the edge
// policy: this spec runs one whole login that way, so that path cannot rot unseen.
const portBase = Number(process.env.E2E_PORT_BASE ?? 3110) + 70;
const instance: StackInstance = { protocol: 'actions', detourPort: portBase, tenantPort: portBase + 1000 };
const base = detourUrl(instance);

let dir = '';
const children: ChildProcess[] = [];

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; ; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    if (i > 120 || child.exitCode !== null) throw new Error(`${url} did not come up`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'detour-next-routes-'));
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn' };
  const tenant = spawn(process.execPath, ['--import', 'tsx', 'e2e/local-tenant/main.ts'], { env: { ...env, ...tenantEnv(instance), LOCAL_TENANT_LOG: '0' }, stdio: 'ignore' });
  const next = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(instance.detourPort)], {
    env: { ...env, ...detourEnv(instance, path.join(dir, 'detour.sqlite')) },
    stdio: 'ignore',
  });
  children.push(tenant, next);
  await waitUntilUp(`${tenantUrl(instance)}/`, tenant);
  await waitUntilUp(`${base}/api/health`, next);
});

test.afterAll(async () => {
  await Promise.all(
    children.map((child) => (child.exitCode === null ? new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))) : null)),
  );
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('without the fast lane, the routes in app/ give the same answers: a whole login, headers and refusals', async ({ page }) => {
  // /start through app/start/route.ts and proxy.ts.
  const token = await mintSessionToken(instance);
  const started = await fetch(startUrlFor(instance, token), { redirect: 'manual' });
  expect(started.status).toBe(303);
  expect(started.headers.get('cache-control')).toContain('no-store');
  expect(started.headers.get('referrer-policy')).toBe('no-referrer');
  expect(started.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(started.headers.get('set-cookie')).toMatch(/^__Host-detour-flow=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
  // A refusal answered by the route, localised and escaped as the fast lane's is.
  const replayed = await fetch(startUrlFor(instance, token), { redirect: 'manual' });
  expect(replayed.status).toBe(409);
  expect(await replayed.text()).toContain('data-error-code="token_replayed"');
  const noFlow = await fetch(`${base}/complete`, { redirect: 'manual' });
  expect(noFlow.status).toBe(401);
  expect(await noFlow.text()).toContain('data-error-code="flow_missing"');

  // The browser: the terms page from app/steps/terms/route.ts, its post, and /complete's hand-back.
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script' && request.url().startsWith(base)) scripts.push(request.url());
  });
  const termsAnswer = page.waitForResponse((r) => r.url() === `${base}/steps/terms` && r.request().method() === 'GET');
  // Through the local tenant's login, so its /continue knows the transaction the hand-back resumes.
  await loginAt(page, instance, 'alice');
  const terms = await termsAnswer;
  expect(terms.status()).toBe(200);
  const nonce = /'nonce-([^']+)'/.exec(terms.headers()['content-security-policy'] ?? '')?.[1];
  expect(nonce).toBeTruthy();
  expect(await terms.text()).toContain(`<style nonce="${nonce}">`);
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await expect(page.locator('[role="alert"][data-error-code="validation_failed"]')).toBeVisible();
  await page.getByLabel('I have read and accept the terms of service').check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
  expect(scripts).toEqual([]);
});
