/**
 * `npm run bench` — a benchmark, not a test: how much Detour adds to a login, against the physical floor of this
 * machine, measured in one run. Against a production build (built first when there is none), with autocannon on
 * loopback at fixed concurrency for a fixed duration per scenario:
 *
 *   floor          a bare node:http server answering the terms page's own HTML bytes
 *   next static    a static page of the same app (Next's own floor: prerendered, served from its cache)
 *   GET /start     a fresh one-time session token per request (pre-minted)
 *   GET step page  /steps/terms with a flow cookie
 *   POST terms     the terms form's post, end to end (Management API write to the local tenant, ledger row)
 *   GET /complete  the hand-back page for a completed flow
 *
 * then the page weight of every step page in Chromium against bench/budgets.json, and the Management API calls per
 * completed flow. Prints tables and writes JSON under bench/results/. Nothing here fails on a slow number.
 *
 * Environment: BENCH_DURATION (s, default 8), BENCH_WARMUP (s, 2), BENCH_CONNECTIONS (50), BENCH_PORT_BASE (3810:
 * Detour there, the floor on +1, the local tenant on +1000, its mail catcher on +1015), NEXT_DIST_DIR (the build to measure, default .next),
 * BENCH_BUILD=1 (build even if one exists), BENCH_PAGE_WEIGHT=0 (skip Chromium), BENCH_DATABASE_URL and
 * BENCH_REDIS_URL (other stores than the embedded SQLite default, e.g. redis://127.0.0.1:6379).
 *
 * Then the whole login (bench/whole-login.mts): BENCH_LOGIN_USERS virtual users (32) loop start → terms page → terms
 * post → /complete, on the servers BENCH_SERVERS names (npm-start, next-start; default npm-start), alternating for
 * BENCH_ROUNDS rounds (2), Detour on BENCH_PORT_BASE + 2; with BENCH_BASELINE=<git rev>, the same servers of that
 * commit too, built in a temporary worktree (bench/baseline.mts). BENCH_SCENARIOS picks hot-paths, whole-login or both
 * (the default), or lighthouse: Lighthouse 12.2.3 (mobile) on every page and state (bench/lighthouse.mts; 5–7
 * minutes, so only when named: BENCH_SCENARIOS=lighthouse npm run bench), with BENCH_LIGHTHOUSE_RUNS (3, median
 * reported) and BENCH_LIGHTHOUSE_PAGES (comma list, default all).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareBaseline, type BaselineCheckout } from '../bench/baseline.mts';
import { LIGHTHOUSE_PAGES, measureLighthouse } from '../bench/lighthouse.mts';
import { medianRun, printLighthouse, type LighthouseBudgets } from '../bench/lighthouse-report.mts';
import { measure, type LoadOptions, type LoadResult } from '../bench/load.mts';
import { compareWholeLogins, SERVER_KINDS, type ServerKind, type ServerTarget } from '../bench/login-comparison.mts';
import { measurePageWeights, type PageWeight } from '../bench/page-weight.mts';
import { assertPortsFree, startProcess, stopProcess, waitUntilServing, type Started } from '../bench/processes.mts';
import { termsPostBody } from '../bench/forms.mts';
import { compareBudgets, printPageWeights, printTargets, printThroughput, withRatios, type Budgets, type TargetCheck } from '../bench/report.mts';
import { mintSessionToken, startPathPool } from '../bench/tokens.mts';
import { DEV_SESSION_TOKEN_SECRET } from '../e2e/local-tenant/config.ts';
import { DATABASE_CONNECTION } from '../e2e/local-tenant/users.ts';
import { detourEnv, detourServerArgs, detourUrl, mailUrl, sampleAppUrl, tenantEnv, tenantUrl, type StackInstance } from '../e2e/stack.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 3810);
const DIST_DIR = process.env.NEXT_DIST_DIR || '.next';
const instance: StackInstance = { protocol: 'actions', detourPort: PORT_BASE, tenantPort: PORT_BASE + 1000 };
const DETOUR = detourUrl(instance);
const TENANT = tenantUrl(instance);
const FLOOR = `http://127.0.0.1:${PORT_BASE + 1}`;
const STATE = 'bench-state-0123456789';
const METRICS_TOKEN = randomBytes(24).toString('base64url');
const SCENARIOS = new Set((process.env.BENCH_SCENARIOS ?? 'hot-paths,whole-login').split(',').map((name) => name.trim()));
const LOGIN_USERS = Number(process.env.BENCH_LOGIN_USERS ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SERVERS = (process.env.BENCH_SERVERS ?? 'npm-start').split(',').map((name) => name.trim());
const BASELINE = process.env.BENCH_BASELINE;
const LIGHTHOUSE_RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
const LIGHTHOUSE_PAGE_NAMES = (process.env.BENCH_LIGHTHOUSE_PAGES || Object.keys(LIGHTHOUSE_PAGES).join(',')).split(',').map((name) => name.trim());
for (const name of SCENARIOS) if (!['hot-paths', 'whole-login', 'lighthouse'].includes(name)) throw new Error(`BENCH_SCENARIOS: unknown scenario '${name}'`);
for (const name of SERVERS) if (!(SERVER_KINDS as readonly string[]).includes(name)) throw new Error(`BENCH_SERVERS: '${name}' is not one of ${SERVER_KINDS.join(', ')}`);
const startedAt = Date.now();

// ---- a production build --------------------------------------------------------------------------------------
// `npm run build`: the step assets (public/assets), then Next's build (what `npm start`, i.e. `next start`, serves).
if (process.env.BENCH_BUILD === '1' || !existsSync(path.join(DIST_DIR, 'BUILD_ID'))) {
  console.log(`[bench] no production build in ${DIST_DIR}: running npm run build`);
  for (const args of [['--import', 'tsx', 'scripts/build-assets.mts'], ['node_modules/next/dist/bin/next', 'build']]) {
    const build = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: '1' } });
    if (build.status !== 0) throw new Error(`${args.join(' ')} failed`);
  }
}
const buildSeconds = Math.round((Date.now() - startedAt) / 1000);

// ---- servers -------------------------------------------------------------------------------------------------
const work = mkdtempSync(path.join(os.tmpdir(), 'detour-bench-'));
const servers: Started[] = [];
async function stopAll() {
  await Promise.all(servers.map(stopProcess));
}
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

const mint = (steps: string[] = ['terms'], claims: Record<string, unknown> = {}) =>
  mintSessionToken(DEV_SESSION_TOKEN_SECRET, { iss: `127.0.0.1:${instance.tenantPort}`, aud: DETOUR, sub: 'auth0|alice', steps, ...claims });
const startUrl = (steps: string[], claims: Record<string, unknown> = {}) => `${DETOUR}/start?state=${STATE}&session_token=${mint(steps, claims)}`;

function flowCookieOf(headers: Record<string, string | string[] | undefined> | Headers): string | null {
  const raw = headers instanceof Headers ? headers.getSetCookie() : [headers['set-cookie'] ?? headers['Set-Cookie'] ?? []].flat();
  const cookie = raw.find((value) => value.startsWith('__Host-detour-flow='));
  return cookie ? cookie.slice(0, cookie.indexOf(';')) : null;
}

async function tenantCalls() {
  return (await (await fetch(`${TENANT}/__calls`)).json()) as { writes: { method: string; path: string; status: number }[]; tokenRequests: number };
}

async function detourMetrics(): Promise<string> {
  const response = await fetch(`${DETOUR}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  return response.ok ? response.text() : '';
}

/** One sample of the Prometheus text format, by name and exact label set (as printed); null when absent. */
function metricValue(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

async function termsStepsCompleted(): Promise<number | null> {
  return metricValue(await detourMetrics(), 'detour_flow_events_total{event="step_completed",step="terms",code=""}');
}

/** The no-JavaScript post of the terms form: the hidden fields the page rendered, plus the ticked box. */
function termsFormPost(html: string): { body: Buffer; contentType: string } {
  const body = termsPostBody(html);
  if (body === null) throw new Error('the terms page has no form posting to /steps/terms with its version');
  return { body: Buffer.from(body), contentType: 'application/x-www-form-urlencoded' };
}

/** The local tenant and a production Detour (npm start's server) on BENCH_PORT_BASE; `stopAll()` stops them. */
async function startStack(name: string, extraPorts: number[] = []): Promise<void> {
  await assertPortsFree([instance.detourPort, instance.tenantPort, Number(new URL(sampleAppUrl(instance)).port), Number(new URL(mailUrl(instance)).port), ...extraPorts]);
  servers.push(startProcess('local tenant', ['--import', 'tsx', 'e2e/local-tenant/main.ts'], { ...tenantEnv(instance), LOCAL_TENANT_LOG: '0' }, path.join(work, `${name}-tenant.log`)));
  servers.push(
    startProcess(
      'detour',
      detourServerArgs(),
      {
        // SMTP_URL / MAIL_FROM included: the verify step's mail goes to the tenant's catcher.
        ...detourEnv(instance, path.join(work, `${name}-detour.sqlite`)),
        ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
        ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL } : {}),
        NEXT_DIST_DIR: DIST_DIR,
        LOG_LEVEL: 'info',
        METRICS_TOKEN,
      },
      path.join(work, `${name}-detour.log`),
    ),
  );
  await Promise.all([waitUntilServing(`${TENANT}/`), waitUntilServing(`${DETOUR}/api/health`)]);
}

/** The hot paths one by one with autocannon, against the floor; then page weight, upstream economy, targets. */
async function benchHotPaths(): Promise<void> {
  try {
    await startStack('hot-paths', [PORT_BASE + 1]);

    // The terms page as a person gets it: its bytes are what the floor serves.
    const started = await fetch(startUrl(['terms']), { redirect: 'manual' });
    const sampleCookie = flowCookieOf(started.headers);
    if (started.status !== 303 || !sampleCookie) throw new Error(`/start answered ${started.status}; see ${work}/hot-paths-detour.log`);
    const termsPage = await fetch(`${DETOUR}/steps/terms`, { headers: { cookie: sampleCookie } });
    const termsHtml = await termsPage.text();
    if (termsPage.status !== 200) throw new Error(`the terms page answered ${termsPage.status}`);
    writeFileSync(path.join(work, 'terms.html'), termsHtml);
    servers.push(startProcess('floor', ['bench/floor-server.mjs', String(PORT_BASE + 1), path.join(work, 'terms.html')], {}, path.join(work, 'floor.log')));
    await waitUntilServing(`${FLOOR}/`);

    // ---- throughput ----------------------------------------------------------------------------------------------
    const load = (url: string, expectStatus: number): LoadOptions => ({ url, connections: CONNECTIONS, durationSeconds: DURATION, warmupSeconds: WARMUP, expectStatus });
    const results: (LoadResult & { scenario: string })[] = [];
    const step = async (scenario: string, run: () => Promise<LoadResult>) => {
      process.stdout.write(`[bench] ${scenario} … `);
      const result = await run();
      console.log(`${result.rps} req/s, p99 ${result.p99_ms} ms${result.unexpected ? `, ${result.unexpected} unexpected: ${JSON.stringify(result.statuses)}` : ''}`);
      results.push({ scenario, ...result });
    };

    await step('floor (node:http, same bytes)', () => measure(load(`${FLOOR}/`, 200), {}));
    await step('next static page', () => measure(load(`${DETOUR}/api/static`, 200), {}));

    // One-time tokens, minted ahead; the flows /start opens are kept for the form posts.
    const pool = startPathPool((DURATION + WARMUP) * 4000, () => mint(), STATE);
    const openFlows: string[] = [];
    await step('GET /start (fresh token)', () =>
      measure(load(`${DETOUR}/start`, 303), {
        path: () => pool.next(),
        onResponse: (_status, headers) => {
          const cookie = flowCookieOf(headers);
          if (cookie && openFlows.length < 200_000) openFlows.push(cookie);
        },
      }),
    );
    // A different person's flow on every request, as in real traffic (nothing may be served from a per-cookie cache).
    let nextPage = 0;
    await step('GET /steps/terms (flow cookie)', () =>
      measure(load(`${DETOUR}/steps/terms`, 200), { requestHeaders: () => ({ cookie: openFlows[nextPage++ % openFlows.length]! }) }),
    );

    // Each post spends one fresh flow (the cookie /start set); completed flows are kept for /complete.
    const before = { tenant: await tenantCalls(), termsCompleted: await termsStepsCompleted() };
    const post = termsFormPost(termsHtml);
    const completedFlows: string[] = [];
    let nextFlow = 0;
    let postedFlows = 0;
    await step('POST terms (form post)', () =>
      measure(load(`${DETOUR}/steps/terms`, 303), {
        method: 'POST',
        headers: { 'content-type': post.contentType, origin: DETOUR },
        body: post.body,
        requestHeaders: () => ({ cookie: openFlows[nextFlow++ % openFlows.length]! }),
        onResponse: (status, headers) => {
          if (status !== 303) return;
          postedFlows += 1;
          const cookie = flowCookieOf(headers);
          if (cookie && completedFlows.length < 50_000) completedFlows.push(cookie);
        },
      }),
    );
    // Posts still in flight when the load stopped finish on the server; let them land before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = { tenant: await tenantCalls(), termsCompleted: await termsStepsCompleted() };
    let nextCompleted = 0;
    await step('GET /complete (hand-back)', () =>
      measure(load(`${DETOUR}/complete`, 200), { requestHeaders: () => ({ cookie: completedFlows[nextCompleted++ % completedFlows.length]! }) }),
    );

    const floorRps = results[0]!.rps;
    const throughput = withRatios(results, floorRps);
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.type()} ${os.release()}, Node ${process.version}`;
    const store = [process.env.BENCH_DATABASE_URL?.split(':')[0] ?? 'sqlite', ...(process.env.BENCH_REDIS_URL ? ['redis for used jtis'] : [])].join(', ');
    printThroughput(throughput, `${CONNECTIONS} connections, ${DURATION} s each after ${WARMUP} s warm-up; store: ${store}; ${machine}`);
    if (pool.mintedLate() > 0) console.log(`note: the token pool ran dry; ${pool.mintedLate()} tokens were minted during the /start run`);
    if (nextFlow > openFlows.length) console.log(`note: ${nextFlow - openFlows.length} posts reused a flow (fewer flows opened than posts sent)`);

    // ---- upstream economy ------------------------------------------------------------------------------------------
    // Flows the server completed (its own count; the load generator misses posts cut off when the run ends).
    const completed = after.termsCompleted ?? postedFlows;
    const writes = after.tenant.writes.slice(before.tenant.writes.length);
    const tokenRequests = after.tenant.tokenRequests - before.tenant.tokenRequests;
    const upstream = {
      completed_flows: completed - (before.termsCompleted ?? 0),
      management_api_calls: writes.length,
      writes_per_flow: 0,
      token_requests: tokenRequests,
      flows_per_token_request: null as number | null,
      token_requests_since_start: metricValue(await detourMetrics(), 'detour_management_api_token_requests_total'),
    };
    upstream.writes_per_flow = upstream.completed_flows ? Math.round((writes.length / upstream.completed_flows) * 1000) / 1000 : 0;
    upstream.flows_per_token_request = tokenRequests ? Math.round(upstream.completed_flows / tokenRequests) : null;
    console.log('\nManagement API calls for the terms posts (counted by the local tenant)\n');
    console.table([upstream]);

    // ---- page weight -----------------------------------------------------------------------------------------------
    let weights: Record<string, PageWeight> = {};
    const budgets = JSON.parse(readFileSync('bench/budgets.json', 'utf8')) as Budgets;
    if (process.env.BENCH_PAGE_WEIGHT !== '0') {
      try {
        weights = await measurePageWeights({ detourUrl: DETOUR, tenantUrl: TENANT, distDir: DIST_DIR, startUrl, passwordConnection: DATABASE_CONNECTION });
      } catch (error) {
        console.log(`\npage weight skipped: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    }
    const budgetRows = compareBudgets(weights, budgets);
    if (Object.keys(weights).length > 0) printPageWeights(weights, budgetRows);

    // ---- targets ---------------------------------------------------------------------------------------------------
    const by = (prefix: string) => throughput.find((r) => r.scenario.startsWith(prefix))!;
    const checks: TargetCheck[] = [
      { target: 'step page GET ≥ 0.05 × floor', measured: `${by('GET /steps').ratio_to_floor}`, met: by('GET /steps').ratio_to_floor >= 0.05 },
      { target: '/start ≥ 0.10 × floor', measured: `${by('GET /start').ratio_to_floor}`, met: by('GET /start').ratio_to_floor >= 0.1 },
      { target: `/start p99 < 50 ms at ${CONNECTIONS} connections`, measured: `${by('GET /start').p99_ms} ms`, met: by('GET /start').p99_ms < 50 },
      ...(weights.terms ? [{ target: 'terms page JS ≤ 100 KB', measured: `${weights.terms.js_kb} KB`, met: weights.terms.js_kb <= 100 }] : []),
      ...(weights.terms ? [{ target: 'terms page: no JS of its own beyond the framework', measured: `${weights.terms.own_js_kb} KB`, met: weights.terms.own_js_kb === 0 }] : []),
      ...(weights.complete ? [{ target: 'hand-back page loads no JS', measured: `${weights.complete.js_kb} KB`, met: weights.complete.js_kb === 0 }] : []),
      ...(weights.password
        ? [{ target: 'strength dictionaries only on use', measured: `${weights.password.js_kb_after_typing} KB after typing`, met: (weights.password.js_kb_after_typing ?? 0) > 0 }]
        : []),
      {
        target: '≤ 1 token request per 1,000 flows',
        measured: `${tokenRequests} for ${upstream.completed_flows} flows (${upstream.token_requests_since_start ?? '?'} since start-up)`,
        met: tokenRequests <= Math.max(1, Math.floor(upstream.completed_flows / 1000)),
      },
      { target: '1 Management API write per step with data', measured: `${upstream.writes_per_flow} per terms post`, met: upstream.writes_per_flow === 1 },
    ];
    printTargets(checks);

    mkdirSync('bench/results', { recursive: true });
    const file = path.join('bench/results', `bench-${new Date().toISOString().replaceAll(':', '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          machine,
          build: { dist_dir: DIST_DIR, build_id: readFileSync(path.join(DIST_DIR, 'BUILD_ID'), 'utf8').trim(), built_now_seconds: buildSeconds || null },
          settings: { connections: CONNECTIONS, duration_s: DURATION, warmup_s: WARMUP, store, terms_html_bytes: Buffer.byteLength(termsHtml) },
          throughput,
          upstream,
          page_weight: weights,
          budgets: budgetRows,
          targets: checks,
        },
        null,
        2,
      ),
    );
    console.log(`\nwritten ${file} (${Math.round((Date.now() - startedAt) / 1000)} s in all)`);
  } finally {
    await stopAll();
  }
}

/** The whole login on each server of this build (and of the baseline's), alternating; the baseline removed after. */
async function benchWholeLogin(): Promise<void> {
  const kinds = SERVERS as ServerKind[];
  const label = (kind: ServerKind) => kind.replace('-', ' ');
  let baseline: BaselineCheckout | undefined;
  const removeBaseline = () => baseline?.remove();
  process.once('exit', removeBaseline);
  try {
    const targets: ServerTarget[] = kinds.map((kind) => ({ label: label(kind), kind, root: process.cwd(), distDir: DIST_DIR }));
    if (BASELINE) {
      baseline = prepareBaseline(BASELINE, process.cwd());
      const { root, shortRev, distDir } = baseline;
      // Interleaved (baseline, current, baseline, current…) so a drift in the machine's load hits both alike.
      targets.splice(0, targets.length, ...kinds.flatMap((kind) => [{ label: `baseline ${shortRev} ${label(kind)}`, kind, root, distDir }, targets.find((t) => t.kind === kind)!]));
    }
    const reference = targets.find((target) => target.kind === 'npm-start') ?? targets[0]!;
    const { file } = await compareWholeLogins({
      targets,
      rounds: ROUNDS,
      users: LOGIN_USERS,
      durationSeconds: DURATION,
      warmupSeconds: WARMUP,
      detourPort: PORT_BASE + 2,
      workDir: work,
      referenceLabel: reference.label,
    });
    console.log(`\nwritten ${file} (${Math.round((Date.now() - startedAt) / 1000)} s in all)`);
  } finally {
    removeBaseline();
  }
}

/** Lighthouse (mobile) on every page and state, the median of BENCH_LIGHTHOUSE_RUNS runs, against bench/budgets.json. */
async function benchLighthouse(): Promise<void> {
  try {
    await startStack('lighthouse');
    const runs = await measureLighthouse({ detourUrl: DETOUR, startUrl, passwordConnection: DATABASE_CONNECTION, runs: LIGHTHOUSE_RUNS, pages: LIGHTHOUSE_PAGE_NAMES });
    const summaries = Object.fromEntries(Object.entries(runs).map(([page, pageRuns]) => [page, medianRun(pageRuns)]));
    const budgets = (JSON.parse(readFileSync('bench/budgets.json', 'utf8')) as { lighthouse?: { pages: LighthouseBudgets } }).lighthouse?.pages ?? {};
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
    const targets = printLighthouse(summaries, budgets, `${LIGHTHOUSE_RUNS} runs each; ${machine}`);
    mkdirSync('bench/results', { recursive: true });
    const file = path.join('bench/results', `lighthouse-${new Date().toISOString().replaceAll(':', '-')}.json`);
    const build = { dist_dir: DIST_DIR, build_id: readFileSync(path.join(DIST_DIR, 'BUILD_ID'), 'utf8').trim() };
    writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), machine, build, runs_per_page: LIGHTHOUSE_RUNS, summaries, runs, targets }, null, 2));
    console.log(`\nwritten ${file} (${Math.round((Date.now() - startedAt) / 1000)} s in all)`);
  } finally {
    await stopAll();
    servers.length = 0;
  }
}

let finished = false;
try {
  if (SCENARIOS.has('hot-paths')) await benchHotPaths();
  if (SCENARIOS.has('whole-login')) await benchWholeLogin();
  if (SCENARIOS.has('lighthouse')) await benchLighthouse();
  finished = true;
} finally {
  await stopAll();
  // The servers' logs are kept when the run did not finish.
  if (finished) rmSync(work, { recursive: true, force: true });
  else console.error(`[bench] server logs kept in ${work}`);
}
