import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { latestCode, mintSessionToken, startUrlFor } from './helpers';
import { detourEnv, detourServerArgs, tenantEnv, type StackInstance } from './stack';

// Several instances (issue "Several instances"): two Detour servers behind a round-robin balancer, sharing
// Postgres and Redis, the same build and the same secrets. Redis is reached through a TCP relay the test can cut,
// so "Redis down" never touches the machine's own Redis.
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_PORT = Number(process.env.TEST_REDIS_PORT ?? 6379);
const portBase = Number(process.env.E2E_PORT_BASE ?? 3110) + 40;
const balancerPort = portBase;
const ports = { a: portBase + 1, b: portBase + 2, relay: portBase + 3 };
// The public origin both instances share; the tenant sends people there.
const site: StackInstance = { protocol: 'actions', detourPort: balancerPort, tenantPort: portBase + 1000 };
const schema = `detour_multi_${process.pid}`;

const children: ChildProcess[] = [];
let sharedEnv: Record<string, string> = {};
const servedBy: { path: string; instance: string }[] = [];
let balancer: http.Server;
let relay: ReturnType<typeof redisRelay>;

function start(command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn', ...env }, stdio: 'ignore' });
  children.push(child);
  return child;
}

function startDetour(port: number): ChildProcess {
  return start(process.execPath, detourServerArgs(), { ...sharedEnv, PORT: String(port), HOSTNAME: '127.0.0.1' });
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not come up`);
}

/**
 * Round robin, strictly alternating, so one flow's requests land on both instances. The flow's own requests alternate
 * among themselves (assets such as the stylesheet on a counter of their own), so that how many assets a page loads
 * does not decide which instance answers its form post.
 */
function startBalancer(): http.Server {
  const backends = [
    { name: 'a', port: ports.a },
    { name: 'b', port: ports.b },
  ];
  const next = { flow: 0, asset: 0 };
  const server = http.createServer((req, res) => {
    const requestPath = (req.url ?? '').split('?')[0]!;
    const kind = /^\/(start|steps\/|complete)/.test(requestPath) ? 'flow' : 'asset';
    const backend = backends[next[kind]++ % backends.length]!;
    servedBy.push({ path: requestPath, instance: backend.name });
    const upstream = http.request({ host: '127.0.0.1', port: backend.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-served-by': backend.name });
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.listen(balancerPort, '127.0.0.1');
  return server;
}

/** A TCP relay to the machine's Redis that can be cut (Redis "down") and restored. */
function redisRelay() {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(REDIS_PORT, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(ports.relay, '127.0.0.1', () => resolve());
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server?.close(() => resolve());
      server = null;
    });
  return { open, cut };
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema if not exists ${schema}`);
  await admin.end();
  relay = redisRelay();
  await relay.open();
  balancer = startBalancer();
  start(process.execPath, ['--import', 'tsx', 'e2e/local-tenant/main.ts'], tenantEnv(site));
  const shared = {
    ...detourEnv(site, path.join(os.tmpdir(), 'unused.sqlite')),
    DATABASE_URL: `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    REDIS_URL: `redis://127.0.0.1:${ports.relay}`,
  };
  sharedEnv = shared;
  for (const port of [ports.a, ports.b]) startDetour(port);
  await Promise.all([waitFor(`http://127.0.0.1:${site.tenantPort}/`), waitFor(`http://127.0.0.1:${ports.a}/api/health`), waitFor(`http://127.0.0.1:${ports.b}/api/health`)]);
});

test.afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  balancer?.close();
  await relay?.cut();
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
});

test('a flow started on one instance finishes on the other', async ({ page }) => {
  servedBy.length = 0;
  await page.goto(`http://127.0.0.1:${site.tenantPort}/`);
  await page.getByTestId('login-alice').click();
  await expect(page).toHaveURL(`http://127.0.0.1:${balancerPort}/steps/terms`);
  await page.getByLabel('I have read and accept the terms of service').check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-outcome', 'completed');

  const flowRequests = servedBy.filter((r) => r.path === '/start' || r.path.startsWith('/steps/') || r.path === '/complete');
  expect(new Set(flowRequests.map((r) => r.instance))).toEqual(new Set(['a', 'b']));
  // The terms page rendered by one instance was posted to the other (alternation), and the flow went on.
  const terms = flowRequests.filter((r) => r.path === '/steps/terms').map((r) => r.instance);
  expect(new Set(terms).size).toBe(2);
});

test('verify: the code one instance sent is checked by the other, and posted to both at once it goes through once', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${site.tenantPort}/`);
  await page.getByTestId('login-pablo').click();
  await expect(page).toHaveURL(`http://127.0.0.1:${balancerPort}/steps/verify`);
  const code = await latestCode('pablo@example.com', { instance: site });
  const cookie = (await page.context().cookies()).find((c) => c.name === '__Host-detour-flow');
  expect(cookie).toBeDefined();
  const post = (port: number) =>
    fetch(`http://127.0.0.1:${port}/steps/verify`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `${cookie!.name}=${cookie!.value}`,
        origin: `http://127.0.0.1:${balancerPort}`,
        'sec-fetch-site': 'same-origin',
      },
      body: new URLSearchParams({ intent: 'verify', code }).toString(),
    });
  const answers = await Promise.all([post(ports.a), post(ports.b)]);
  expect(answers.map((a) => a.status).sort()).toEqual([303, 422]);
  const loser = answers.find((a) => a.status === 422)!;
  expect(await loser.text()).toContain('data-error-code="code_invalid"');
  expect(answers.find((a) => a.status === 303)!.headers.get('location')).toMatch(/\/complete$/);
});

test('the same token sent to both instances at once, 20 times, starts exactly one flow', async () => {
  const token = await mintSessionToken(site);
  const url = new URL(startUrlFor(site, token));
  const statuses = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      fetch(`http://127.0.0.1:${i % 2 ? ports.b : ports.a}${url.pathname}${url.search}`, { redirect: 'manual' }).then((r) => r.status),
    ),
  );
  expect(statuses.filter((s) => s === 303)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(19);
});

test('with Redis down, /start is refused with a clear error and lets nothing through; it recovers when Redis is back', async () => {
  const token = await mintSessionToken(site);
  const url = new URL(startUrlFor(site, token));
  await relay.cut();
  try {
    for (const port of [ports.a, ports.b]) {
      const response = await fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, { redirect: 'manual' });
      expect(response.status).toBe(503);
      const html = await response.text();
      expect(html).toContain('data-error-code="store_unavailable"');
      expect(html).toContain('try again');
      expect(response.headers.get('set-cookie')).toBeNull();
    }
    const ready = await fetch(`http://127.0.0.1:${ports.a}/api/ready`);
    expect(ready.status).toBe(503);
  } finally {
    await relay.open();
  }
  // The refused token was not burned: once Redis answers again, it starts the flow (once).
  await expect
    .poll(async () => (await fetch(`http://127.0.0.1:${ports.a}${url.pathname}${url.search}`, { redirect: 'manual' })).status, { timeout: 15_000 })
    .toBe(303);
  expect((await fetch(`http://127.0.0.1:${ports.b}${url.pathname}${url.search}`, { redirect: 'manual' })).status).toBe(409);
});

test('a used token stays used after every instance restarts', async () => {
  const token = await mintSessionToken(site);
  const url = new URL(startUrlFor(site, token));
  expect((await fetch(`http://127.0.0.1:${ports.a}${url.pathname}${url.search}`, { redirect: 'manual' })).status).toBe(303);
  for (const child of children.filter((c) => c.spawnargs.some((arg) => arg.endsWith('next/dist/bin/next')))) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  startDetour(ports.a);
  await waitFor(`http://127.0.0.1:${ports.a}/api/health`);
  const replay = await fetch(`http://127.0.0.1:${ports.a}${url.pathname}${url.search}`, { redirect: 'manual' });
  expect(replay.status).toBe(409);
  expect(await replay.text()).toContain('data-error-code="token_replayed"');
});
