import { existsSync } from 'node:fs';
import { chromium, type LaunchOptions } from '@playwright/test';

/** Debian's `chromium` package (our machines cannot download Playwright's browser). */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** What the discovery looks at; tests pass their own. */
export interface ChromiumSearch {
  chromiumPathEnv: string | undefined;
  exists: (path: string) => boolean;
  /** Where Playwright's own Chromium of this version lives once `npx playwright install chromium` ran. */
  playwrightBrowserPath: () => string | undefined;
}

export type ChromiumLookup =
  | { source: 'CHROMIUM_PATH' | 'playwright' | 'system'; path: string }
  | { source: 'none'; problem: string };

const machineSearch = (): ChromiumSearch => ({
  chromiumPathEnv: process.env.CHROMIUM_PATH,
  exists: existsSync,
  playwrightBrowserPath: () => {
    try {
      return chromium.executablePath();
    } catch {
      return undefined; // no bundled browser registered for this platform
    }
  },
});

/**
 * Which Chromium the tests, the benchmark and the screenshots drive: CHROMIUM_PATH when set (and it must exist:
 * a typo should not silently fall back to another browser), Playwright's own browser when it is installed (a
 * laptop), else Debian's /usr/bin/chromium.
 */
export function findChromium(search: ChromiumSearch = machineSearch()): ChromiumLookup {
  if (search.chromiumPathEnv) {
    const path = search.chromiumPathEnv;
    return search.exists(path) ? { source: 'CHROMIUM_PATH', path } : { source: 'none', problem: `CHROMIUM_PATH is "${path}", and there is no file there.` };
  }
  const bundled = search.playwrightBrowserPath();
  if (bundled && search.exists(bundled)) return { source: 'playwright', path: bundled };
  if (search.exists(SYSTEM_CHROMIUM)) return { source: 'system', path: SYSTEM_CHROMIUM };
  return { source: 'none', problem: `Playwright's own Chromium is not installed, there is no ${SYSTEM_CHROMIUM}, and CHROMIUM_PATH is not set.` };
}

/** What `npm run test:e2e` says, before building anything, when there is no browser to drive. */
export function missingChromiumMessage(problem: string): string {
  return [
    `No Chromium for the end-to-end tests: ${problem}`,
    'Get one of these, then run the tests again:',
    "  - Playwright's own browser:  npx playwright install chromium",
    `  - the system's Chromium:     apt-get install chromium   (Debian/Ubuntu; found at ${SYSTEM_CHROMIUM})`,
    '  - any other Chrome/Chromium: CHROMIUM_PATH=/path/to/chrome npm test',
  ].join('\n');
}

/** The executablePath to launch with; undefined lets Playwright launch its own browser (or say what is missing). */
export function chromiumExecutable(): string | undefined {
  const found = findChromium();
  if (found.source === 'playwright') return undefined;
  if (found.source === 'none') return process.env.CHROMIUM_PATH || undefined;
  return found.path;
}

/** Launch options for headless runs here: no sandbox as root, and no background traffic to hosts we cannot reach. */
export function chromiumLaunchOptions(): LaunchOptions {
  return {
    executablePath: chromiumExecutable(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  };
}
