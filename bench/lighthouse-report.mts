/** What the Lighthouse scenario keeps of each report, the median of the runs, and the budgets in bench/budgets.json. */
import type { Result } from 'lighthouse';
import { printTargets, type TargetCheck } from './report.mts';

export interface LighthouseRun {
  performance: number | null;
  accessibility: number | null;
  lcp_ms: number | null;
  tbt_ms: number | null;
  /** Compressed transfer size of every script of the navigation (network-requests, resourceType Script). */
  js_kb: number;
  js_files: number;
  /** Every resource of the navigation. */
  all_kb: number;
  /** The document's HTTP status (the first Document request of the navigation). */
  status: number | null;
  warnings: string[];
}

export interface LighthouseSummary extends LighthouseRun {
  /** Performance: the median run's score, with the lowest and highest of all runs. */
  performance_min: number | null;
  performance_max: number | null;
  runs: number;
}

interface Budget {
  target: number;
  recorded: number;
}
export type LighthouseBudgets = Record<string, Record<'performance' | 'accessibility' | 'js_kb', Budget>>;

interface NetworkItem {
  resourceType?: string;
  transferSize?: number;
  statusCode?: number;
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
const score = (value: number | null | undefined) => (typeof value === 'number' ? Math.round(value * 100) : null);
const ms = (value: number | undefined) => (typeof value === 'number' ? Math.round(value) : null);

export function summarizeRun(lhr: Result): LighthouseRun {
  if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const items = ((lhr.audits['network-requests']?.details as { items?: NetworkItem[] } | undefined)?.items ?? []) as NetworkItem[];
  const scripts = items.filter((item) => item.resourceType === 'Script');
  const sum = (list: NetworkItem[]) => list.reduce((total, item) => total + (item.transferSize ?? 0), 0);
  return {
    performance: score(lhr.categories.performance?.score),
    accessibility: score(lhr.categories.accessibility?.score),
    lcp_ms: ms(lhr.audits['largest-contentful-paint']?.numericValue),
    tbt_ms: ms(lhr.audits['total-blocking-time']?.numericValue),
    js_kb: kb(sum(scripts)),
    js_files: scripts.length,
    all_kb: kb(sum(items)),
    status: items.find((item) => item.resourceType === 'Document')?.statusCode ?? null,
    warnings: lhr.runWarnings.map(String),
  };
}

/** The median run by performance score (ties: the lower LCP), the spread of the scores beside it. */
export function medianRun(runs: LighthouseRun[]): LighthouseSummary {
  const sorted = [...runs].sort((a, b) => (a.performance ?? -1) - (b.performance ?? -1) || (b.lcp_ms ?? 0) - (a.lcp_ms ?? 0));
  const scores = runs.map((run) => run.performance ?? 0);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)]!, performance_min: Math.min(...scores), performance_max: Math.max(...scores), runs: runs.length };
}

/** Each page's misses against its budget: a score under its target, JavaScript over its target, or worse than recorded. */
export function budgetMisses(summary: LighthouseSummary, budget: LighthouseBudgets[string] | undefined): string[] {
  if (!budget) return [];
  const misses: string[] = [];
  const { performance: perf, accessibility: a11y, js_kb: js } = budget;
  if (perf && (summary.performance ?? 0) < perf.target) misses.push(`performance < ${perf.target}`);
  if (a11y && (summary.accessibility ?? 0) < a11y.target) misses.push(`accessibility < ${a11y.target}`);
  if (js && summary.js_kb > js.target) misses.push(`JS > ${js.target} KB`);
  if (perf && (summary.performance ?? 0) < perf.recorded - 5) misses.push(`performance down from ${perf.recorded} recorded`);
  if (js && summary.js_kb > js.recorded + 0.5) misses.push(`JS grew ${Math.round((summary.js_kb - js.recorded) * 10) / 10} KB since recorded`);
  return misses;
}

export function printLighthouse(summaries: Record<string, LighthouseSummary>, budgets: LighthouseBudgets, setup: string): TargetCheck[] {
  console.log(`\nLighthouse 12.2.3, mobile (simulated throttling), median of runs by performance (${setup}; KB = 1024 bytes compressed)\n`);
  console.table(
    Object.fromEntries(
      Object.entries(summaries).map(([page, s]) => {
        const misses = budgetMisses(s, budgets[page]);
        return [
          page,
          {
            performance: s.performance,
            'min–max': `${s.performance_min}–${s.performance_max}`,
            accessibility: s.accessibility,
            'LCP ms': s.lcp_ms,
            'TBT ms': s.tbt_ms,
            'JS KB': s.js_kb,
            'all KB': s.all_kb,
            status: s.status,
            budget: misses.length ? `!! ${misses.join('; ')}` : 'ok',
          },
        ];
      }),
    ),
  );
  const pages = Object.entries(summaries);
  const worst = (pick: (s: LighthouseSummary) => number) => pages.reduce((low, entry) => (pick(entry[1]) < pick(low[1]) ? entry : low), pages[0]!);
  const worstPerf = worst((s) => s.performance ?? 0);
  const worstA11y = worst((s) => s.accessibility ?? 0);
  const jsOver = pages.filter(([page, s]) => budgets[page]?.js_kb && s.js_kb > budgets[page]!.js_kb.target);
  const checks: TargetCheck[] = [
    { target: 'Lighthouse mobile performance ≥ 95 on every page and state', measured: `lowest ${worstPerf[1].performance} (${worstPerf[0]})`, met: (worstPerf[1].performance ?? 0) >= 95 },
    { target: 'accessibility 100', measured: `lowest ${worstA11y[1].accessibility} (${worstA11y[0]})`, met: worstA11y[1].accessibility === 100 },
    {
      target: 'first-load JS: 0 KB without interaction, ≤ 30 KB on a step page',
      measured: jsOver.length ? jsOver.map(([page, s]) => `${page} ${s.js_kb} KB`).join(', ') : 'all within',
      met: jsOver.length === 0,
    },
  ];
  printTargets(checks);
  return checks;
}
