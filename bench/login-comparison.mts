/**
 * The whole-login scenario against several servers in one run: `npm start`'s server (before the one serving path, a
 * fast lane in front of Next; since, `next start` itself) and/or `next start`, of this checkout's build and optionally of a baseline commit's, measured alternating (A, B, A, B…),
 * one server at a time, each measurement on a fresh local tenant and a fresh database file.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEV_SESSION_TOKEN_SECRET } from '../e2e/local-tenant/config.ts';
import { detourEnv, detourUrl, sampleAppUrl, tenantEnv, tenantUrl, type StackInstance } from '../e2e/stack.ts';
import { assertPortsFree, startProcess, stopProcess, waitUntilServing, type Started } from './processes.mts';
import { printWholeLogin, type WholeLoginRow } from './report.mts';
import { mintSessionToken, startPathPool } from './tokens.mts';
import { measureWholeLogin } from './whole-login.mts';

export const SERVER_KINDS = ['npm-start', 'next-start'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/** One build to measure: where it lives and how it is served. */
export interface ServerTarget {
  label: string;
  kind: ServerKind;
  /** The checkout the server runs from (its cwd). */
  root: string;
  /** Its build, relative to root. */
  distDir: string;
}

export interface LoginComparisonOptions {
  targets: ServerTarget[];
  rounds: number;
  users: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Detour here, the local tenant on +1000, its sample application on +2000. */
  detourPort: number;
  /** Where the servers' logs and databases go. */
  workDir: string;
  /** The label whose `npm start` rate the target line asks for (the baseline's, when there is one). */
  referenceLabel: string;
}

/**
 * What the checkout's `npm start` runs: before the one serving path (a baseline commit) the fast-lane bundle
 * `<dist>/detour-server.cjs`; since, `next start` itself, so both kinds are the same server there.
 */
function serverArgs(target: ServerTarget, port: number, cwd: string): string[] {
  const bundle = path.join(target.distDir, 'detour-server.cjs');
  return target.kind === 'npm-start' && existsSync(path.join(cwd, bundle))
    ? [bundle]
    : ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'];
}

async function measureOnce(target: ServerTarget, options: LoginComparisonOptions, run: number): Promise<WholeLoginRow> {
  const instance: StackInstance = { protocol: 'actions', detourPort: options.detourPort, tenantPort: options.detourPort + 1000 };
  const detour = detourUrl(instance);
  await assertPortsFree([instance.detourPort, instance.tenantPort, Number(new URL(sampleAppUrl(instance)).port)]);
  const name = `${run}-${target.label.replaceAll(/[^a-z0-9]+/gi, '-')}`;
  const servers: Started[] = [];
  try {
    // Always this checkout's local tenant: the same upstream for every server, so only Detour differs (bench/README.md).
    servers.push(
      startProcess('local tenant', ['--import', 'tsx', 'e2e/local-tenant/main.ts'], { ...tenantEnv(instance), LOCAL_TENANT_LOG: '0' }, path.join(options.workDir, `${name}-tenant.log`)),
    );
    servers.push(
      startProcess(
        `detour (${target.label})`,
        serverArgs(target, instance.detourPort, target.root),
        { ...detourEnv(instance, path.join(options.workDir, `${name}.sqlite`)), NEXT_DIST_DIR: target.distDir, LOG_LEVEL: 'info' },
        path.join(options.workDir, `${name}-detour.log`),
        target.root,
      ),
    );
    await Promise.all([waitUntilServing(`${tenantUrl(instance)}/`), waitUntilServing(`${detour}/api/health`)]);
    const mint = () =>
      mintSessionToken(DEV_SESSION_TOKEN_SECRET, { iss: `127.0.0.1:${instance.tenantPort}`, aud: detour, sub: 'auth0|alice', steps: ['terms'] });
    // Minted ahead (a fresh jti per login), more than the fastest server has used; the pool mints on if it runs dry.
    const pool = startPathPool((options.durationSeconds + options.warmupSeconds) * 400, mint);
    process.stdout.write(`[bench] whole login, ${target.label} (run ${run}) … `);
    const result = await measureWholeLogin({ detourUrl: detour, users: options.users, durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds, nextStartPath: pool.next });
    const failed = Object.values(result.failures).reduce((sum, count) => sum + count, 0);
    console.log(`${result.logins_per_s} logins/s, p99 ${result.login_p99_ms} ms${failed ? `, ${failed} FAILED: ${JSON.stringify(result.first_failures)}` : ''}`);
    return { server: target.label, run, ...result };
  } finally {
    await Promise.all(servers.map(stopProcess));
  }
}

export async function compareWholeLogins(options: LoginComparisonOptions): Promise<{ rows: WholeLoginRow[]; file: string }> {
  const rows: WholeLoginRow[] = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const target of options.targets) rows.push(await measureOnce(target, options, round));
  }
  const reference = rows.filter((row) => row.server === options.referenceLabel);
  const referenceRate = reference.length ? Math.round(reference.reduce((sum, row) => sum + row.logins_per_s, 0) / reference.length) : null;
  const target = `whole login: ≥ ${referenceRate ?? '?'} logins/s (${options.referenceLabel}, mean of ${reference.length} runs) and p99 ≤ 500 ms`;
  printWholeLogin(rows, `${options.users} virtual users, ${options.durationSeconds} s each after ${options.warmupSeconds} s warm-up, alternating`, target);

  mkdirSync('bench/results', { recursive: true });
  const file = path.join('bench/results', `whole-login-${new Date().toISOString().replaceAll(':', '-')}.json`);
  const settings = { users: options.users, duration_s: options.durationSeconds, warmup_s: options.warmupSeconds, rounds: options.rounds };
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), settings, targets: options.targets, target, rows }, null, 2));
  return { rows, file };
}
