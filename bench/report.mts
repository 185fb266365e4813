/** What `npm run bench` prints: throughput against the floor, page weight against budgets, upstream economy, targets, whole logins. */
import type { LoadResult } from './load.mts';
import type { PageWeight } from './page-weight.mts';
import { LOGIN_REQUESTS, type WholeLoginResult } from './whole-login.mts';

export interface ScenarioResult extends LoadResult {
  scenario: string;
  /** Requests per second as a share of the floor's, measured in the same run. */
  ratio_to_floor: number;
}

export interface Budgets {
  pages: Record<string, Record<string, { target: number | null; recorded: number }>>;
}

export interface BudgetRow {
  page: string;
  metric: string;
  measured_kb: number;
  recorded_kb: number;
  target_kb: number | null;
  status: string;
}

export function withRatios(results: (LoadResult & { scenario: string })[], floorRps: number): ScenarioResult[] {
  return results.map((result) => ({ ...result, ratio_to_floor: floorRps > 0 ? Math.round((result.rps / floorRps) * 10_000) / 10_000 : 0 }));
}

export function printThroughput(results: ScenarioResult[], setup: string): void {
  console.log(`\nthroughput (${setup})\n`);
  console.table(
    Object.fromEntries(
      results.map((r) => [r.scenario, { 'req/s': r.rps, 'p50 ms': r.p50_ms, 'p99 ms': r.p99_ms, 'x floor': r.ratio_to_floor, requests: r.requests, unexpected: r.unexpected }]),
    ),
  );
}

/**
 * Each measured number against its target (the goal) and its recorded value (what it was when the budgets file
 * was last written, so growth shows even while a page is still over its target). Over-budget rows are marked but
 * never fail the run: a benchmark informs, the tests gate.
 */
export function compareBudgets(weights: Record<string, PageWeight>, budgets: Budgets): BudgetRow[] {
  const rows: BudgetRow[] = [];
  for (const [page, metrics] of Object.entries(budgets.pages)) {
    for (const [metric, budget] of Object.entries(metrics)) {
      const measured = (weights[page] as unknown as Record<string, number | undefined> | undefined)?.[metric];
      if (measured === undefined) continue;
      const overTarget = budget.target !== null && measured > budget.target;
      const grew = measured > budget.recorded + 0.5;
      const status =
        [overTarget ? `OVER TARGET by ${round(measured - budget.target!)} KB` : '', grew ? `grew ${round(measured - budget.recorded)} KB since recorded` : '']
          .filter(Boolean)
          .join('; ') || 'ok';
      rows.push({ page, metric, measured_kb: measured, recorded_kb: budget.recorded, target_kb: budget.target, status });
    }
  }
  return rows;
}

const round = (value: number) => Math.round(value * 10) / 10;

export function printPageWeights(weights: Record<string, PageWeight>, rows: BudgetRow[]): void {
  console.log('\npage weight (compressed bytes a first visit transfers, Chromium; KB = 1024 bytes)\n');
  console.table(weights);
  console.log('\nagainst bench/budgets.json\n');
  console.table(rows.map((row) => ({ ...row, status: row.status === 'ok' ? 'ok' : `!! ${row.status}` })));
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export function printTargets(checks: TargetCheck[]): void {
  console.log('\ntargets (issue "Fast and operable")\n');
  console.table(checks.map((check) => ({ target: check.target, measured: check.measured, met: check.met ? 'yes' : 'NO' })));
}

export interface WholeLoginRow extends WholeLoginResult {
  server: string;
  run: number;
}

/** Each whole-login measurement in the order it ran, then the target the single serving path is held to. */
export function printWholeLogin(rows: WholeLoginRow[], setup: string, target: string): void {
  console.log(`\nwhole login: start → terms page → terms post → /complete (${setup})\n`);
  console.table(
    rows.map((row) => ({
      server: row.server,
      run: row.run,
      'logins/s': row.logins_per_s,
      'p50 ms': row.login_p50_ms,
      'p99 ms': row.login_p99_ms,
      failed: Object.entries(row.failures)
        .filter(([, count]) => count > 0)
        .map(([request, count]) => `${count} at ${request}`)
        .join(', ') || 0,
      'p99 ms per request': LOGIN_REQUESTS.map((request) => row.request_p99_ms[request]).join(' / '),
    })),
  );
  console.log(`p99 ms per request: ${LOGIN_REQUESTS.join(' / ')}`);
  if (rows.some((row) => Object.values(row.failures).some((count) => count > 0))) {
    console.log('!! some logins FAILED (not counted in logins/s); first failure of each kind:');
    for (const row of rows) if (Object.keys(row.first_failures).length) console.log(`   ${row.server}, run ${row.run}: ${JSON.stringify(row.first_failures)}`);
  }
  console.log(`\ntarget (single serving path): ${target}`);
}
