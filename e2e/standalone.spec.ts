import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { detourEnv, tenantEnv, tenantUrl, type StackInstance } from './stack';

// The deploy artefact (issue "Fast and operable", Deploy): the standalone server laid out exactly as the Dockerfile's
// runner stage lays it out (its COPY lines are read from the Dockerfile and repeated here, as are CMD and
// HEALTHCHECK), started the way the image starts it, and one whole login run through it.
const portBase = Number(process.env.E2E_PORT_BASE ?? 3110) + 60;
const instance: StackInstance = { protocol: 'actions', detourPort: portBase, tenantPort: portBase + 1000 };
const distDir = process.env.NEXT_DIST_DIR || '.next';

interface RunnerStage {
  copies: { from: string; to: string }[];
  cmd: string[];
  healthcheck: string[];
  user: string | null;
}

/** The final stage of the Dockerfile: what it copies from the build, as whom it runs, how it starts and is checked. */
function runnerStage(): RunnerStage {
  const lines = readFileSync('Dockerfile', 'utf8').split('\n');
  const stage = lines.slice(lines.findLastIndex((line) => line.startsWith('FROM ')));
  const json = (prefix: string) => {
    const line = stage.find((l) => l.startsWith(prefix));
    return line ? (JSON.parse(line.slice(line.indexOf('['))) as string[]) : [];
  };
  const copies = stage
    .map((line) => /^COPY --from=build (\S+) (\S+)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, from, to]) => ({ from: from!, to: to! }));
  return { copies, cmd: json('CMD '), healthcheck: json('HEALTHCHECK '), user: /^USER (\S+)$/m.exec(stage.join('\n'))?.[1] ?? null };
}

/** `/app/.next/static` → `<checkout>/<distDir>/static`; `./.next/static` → `<root>/<distDir>/static`. */
function localPath(dockerPath: string, root: string): string {
  const relative = dockerPath.replace(/^\/app\/?/, '').replace(/^\.\//, '');
  const mapped = relative === '.next' || relative.startsWith('.next/') ? distDir + relative.slice('.next'.length) : relative;
  return path.join(root, mapped);
}

let dir = '';
let tenant: ChildProcess | undefined;
let server: ChildProcess | undefined;
let output = '';

async function waitUntilUp(url: string, child: ChildProcess, name: string): Promise<void> {
  for (let i = 0; ; i++) {
    const up = await fetch(url).then((r) => r.ok, () => false);
    if (up) return;
    if (i > 120 || child.exitCode !== null) throw new Error(`${name} did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

test.beforeAll(async () => {
  // `npm run build` always writes the standalone tree: a missing one is a failure.
  const serverJs = path.join(distDir, 'standalone', 'server.js');
  if (!existsSync(serverJs)) throw new Error(`no ${serverJs}: run npm run build (next build with output: 'standalone')`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'detour-standalone-'));
  for (const { from, to } of runnerStage().copies) cpSync(localPath(from, process.cwd()), localPath(to, dir), { recursive: true });
  tenant = spawn(process.execPath, ['--import', 'tsx', 'e2e/local-tenant/main.ts'], { env: { ...process.env, ...tenantEnv(instance), LOCAL_TENANT_LOG: '0' }, stdio: 'ignore' });
  const env: NodeJS.ProcessEnv = { ...process.env, ...detourEnv(instance, ''), NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', HOSTNAME: '127.0.0.1' };
  // As in the image: the default DATABASE_URL, an SQLite file under ./data in the server's own folder.
  delete env.DATABASE_URL;
  delete env.NEXT_DIST_DIR;
  const [command, ...args] = runnerStage().cmd;
  expect(command).toBe('node');
  server = spawn(process.execPath, args, { cwd: dir, env });
  server.stdout?.on('data', (chunk) => (output += String(chunk)));
  server.stderr?.on('data', (chunk) => (output += String(chunk)));
  await waitUntilUp(`${tenantUrl(instance)}/`, tenant, 'the local tenant');
  await waitUntilUp(`http://127.0.0.1:${instance.detourPort}/api/health`, server, 'the standalone server');
});

test.afterAll(async () => {
  await Promise.all([stop(server), stop(tenant)]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the Dockerfile runs as a non-root user and checks /api/health', () => {
  const stage = runnerStage();
  expect(stage.user).not.toBeNull();
  expect(['root', '0']).not.toContain(stage.user);
  expect(stage.healthcheck.join(' ')).toContain('/api/health');
  expect(stage.copies.map((copy) => copy.to)).toEqual(expect.arrayContaining(['./', './.next/static', './public', './messages', './content', './detour.config.json']));
});

test('the standalone server serves a whole login, its health check passes and metrics are off', async ({ page }) => {
  const [command, ...args] = runnerStage().healthcheck;
  expect(command).toBe('node');
  const health = spawnSync(process.execPath, args, { env: { ...process.env, PORT: String(instance.detourPort) }, timeout: 10_000 });
  expect(health.status).toBe(0);
  expect((await fetch(`http://127.0.0.1:${instance.detourPort}/api/metrics`)).status).toBe(404);

  const failed: string[] = [];
  const scripts: string[] = [];
  const stylesheets: string[] = [];
  page.on('response', (response) => {
    if (!response.url().startsWith(`http://127.0.0.1:${instance.detourPort}/`)) return;
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    if (response.request().resourceType() === 'script') scripts.push(response.url());
    if (response.request().resourceType() === 'stylesheet') stylesheets.push(response.url());
  });
  await page.goto(`${tenantUrl(instance)}/`);
  await page.getByTestId('login-alice').click();
  await expect(page).toHaveURL(`http://127.0.0.1:${instance.detourPort}/steps/terms`);
  const refusal = page.waitForResponse((r) => r.url().endsWith('/steps/terms') && r.request().method() === 'POST');
  await page.locator('form:has(#accept) button[type="submit"]').click();
  expect((await refusal).status()).toBe(422);
  await expect(page.locator('[role="alert"][data-error-code="validation_failed"]')).toBeVisible();
  await page.locator('#accept').check();
  await page.locator('form:has(#accept) button[type="submit"]').click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');
  await page.goto(`http://127.0.0.1:${instance.detourPort}/`);
  await expect(page.locator('[role="alert"][data-error-code="flow_missing"]')).toBeVisible();
  // No page loads a framework script: the terms page, the hand-back (its one inline script) and the home page.
  expect(scripts).toEqual([]);
  // Every asset came from the standalone server's own copy of the build (public/, the step scripts built into it);
  // the one answer over 400 is the refused post (422, the form shown again with its errors).
  expect(failed).toEqual([`422 http://127.0.0.1:${instance.detourPort}/steps/terms`]);
  expect(stylesheets).toContain(`http://127.0.0.1:${instance.detourPort}/detour.css`);
  for (const asset of ['/assets/password.js', '/assets/profile.css']) {
    expect((await fetch(`http://127.0.0.1:${instance.detourPort}${asset}`)).status, asset).toBe(200);
  }
  // The embedded database was created where the image keeps it.
  expect(existsSync(path.join(dir, 'data', 'detour.sqlite'))).toBe(true);
});
