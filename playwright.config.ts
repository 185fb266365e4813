import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { detourEnv, detourServerArgs, detourUrl, tenantEnv, tenantUrl, type StackInstance } from './e2e/stack';
import { chromiumLaunchOptions } from './e2e/chromium';

// E2E_PORT_BASE lets two checkouts (or two people) run the suite side by side.
const portBase = Number(process.env.E2E_PORT_BASE ?? 3110);
export const ACTIONS: StackInstance = { protocol: 'actions', tenantPort: portBase + 1000, detourPort: portBase };
export const RULES: StackInstance = { protocol: 'rules', tenantPort: portBase + 1001, detourPort: portBase + 1 };
/** Specs that take whole logins through the Action: run on post-login trigger v2 as well as v3. */
const MAIN_FLOWS = ['terms-flow', 'chained-steps', 'profile', 'password', 'verify-flow'].map((name) => `**/${name}.spec.ts`);


// Set once in the runner; workers inherit it, so tests can open the same SQLite files the servers use.
process.env.DETOUR_E2E_RUN ??= String(Date.now());
const runId = process.env.DETOUR_E2E_RUN;
const runDir = path.join(os.tmpdir(), `detour-e2e-${runId}`);
mkdirSync(runDir, { recursive: true });
export const e2eDatabaseFile = (instance: StackInstance) => path.join(runDir, `${instance.protocol}.sqlite`);
/** Everything a Detour server under test prints; the no-leak tests read it. */
export const e2eLogFile = (instance: StackInstance) => path.join(runDir, `${instance.protocol}.log`);
const server = (name: string, command: string, env: Record<string, string>, url: string) => ({
  name,
  command,
  env: { ...env, LOG_LEVEL: 'info', NEXT_TELEMETRY_DISABLED: '1' },
  url,
  reuseExistingServer: false,
  timeout: 60_000,
  stdout: 'ignore' as const,
  stderr: 'pipe' as const,
});

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    ...devices['Desktop Chrome'],
    launchOptions: {
      ...chromiumLaunchOptions(),
    },
    trace: 'retain-on-failure',
  },
  // The Action must work on Auth0's post-login trigger v3 (GA) and v2. The same servers serve both projects:
  // resetTenant() (e2e/helpers.ts) sends metadata.triggerVersion in the tenants' POST /__reset body.
  projects: [
    { name: 'trigger-v3', metadata: { triggerVersion: 'v3' } },
    { name: 'trigger-v2', testMatch: MAIN_FLOWS, metadata: { triggerVersion: 'v2' } },
  ],
  webServer: [
    server('tenant-actions', 'node --import tsx e2e/local-tenant/main.ts', tenantEnv(ACTIONS), `${tenantUrl(ACTIONS)}/`),
    server('tenant-rules', 'node --import tsx e2e/local-tenant/main.ts', tenantEnv(RULES), `${tenantUrl(RULES)}/`),
    server('detour-actions', `node ${detourServerArgs().join(' ')} >> "${e2eLogFile(ACTIONS)}" 2>&1`, detourEnv(ACTIONS, e2eDatabaseFile(ACTIONS)), `${detourUrl(ACTIONS)}/api/health`),
    server('detour-rules', `node ${detourServerArgs().join(' ')} >> "${e2eLogFile(RULES)}" 2>&1`, detourEnv(RULES, e2eDatabaseFile(RULES)), `${detourUrl(RULES)}/api/health`),
  ],
});
