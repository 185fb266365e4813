/**
 * Page weight as a first visit pays it: the JavaScript and CSS each page transfers (compressed body bytes, as
 * Chromium received them), each page in a fresh browser context so nothing comes from the cache. Scripts are split
 * into the framework's own (Next's root main files: runtime, React, router) and the page's own (everything else).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';

export interface PageWeight {
  js_kb: number;
  js_files: number;
  framework_js_kb: number;
  own_js_kb: number;
  css_kb: number;
  css_files: number;
  /** Password page only: scripts fetched once the person types in the password field (zxcvbn's dictionaries). */
  js_kb_after_typing?: number;
  js_files_after_typing?: number;
}

export interface PageWeightInput {
  detourUrl: string;
  tenantUrl: string;
  distDir: string;
  /** A fresh /start URL for a token asking for these steps (with the claims a step needs). */
  startUrl: (steps: string[], claims?: Record<string, unknown>) => string;
  passwordConnection: string;
}


function frameworkFiles(distDir: string): Set<string> {
  const manifest = JSON.parse(readFileSync(path.join(distDir, 'build-manifest.json'), 'utf8')) as { rootMainFiles?: string[]; polyfillFiles?: string[] };
  return new Set([...(manifest.rootMainFiles ?? []), ...(manifest.polyfillFiles ?? [])].map((file) => `/_next/${file}`));
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

/** Records every script and stylesheet the page fetches; `weigh()` sums what has been fetched so far. */
function recordAssets(page: Page, framework: Set<string>) {
  const requests: Request[] = [];
  page.on('requestfinished', (request) => {
    if (request.resourceType() === 'script' || request.resourceType() === 'stylesheet') requests.push(request);
  });
  return async (from = 0): Promise<PageWeight & { count: number }> => {
    const weight = { js_kb: 0, js_files: 0, framework_js_kb: 0, own_js_kb: 0, css_kb: 0, css_files: 0 };
    let js = 0;
    let frameworkJs = 0;
    let css = 0;
    for (const request of requests.slice(from)) {
      const { responseBodySize } = await request.sizes();
      if (request.resourceType() === 'script') {
        js += responseBodySize;
        weight.js_files += 1;
        if (framework.has(new URL(request.url()).pathname)) frameworkJs += responseBodySize;
      } else {
        css += responseBodySize;
        weight.css_files += 1;
      }
    }
    return { ...weight, js_kb: kb(js), framework_js_kb: kb(frameworkJs), own_js_kb: kb(js - frameworkJs), css_kb: kb(css), count: requests.length };
  };
}

async function freshPage(browser: Browser, tenantUrl: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  // The hand-back posts to the tenant's /continue; answering 204 keeps the browser on /complete, so only its
  // own assets are counted.
  await context.route(`${tenantUrl}/continue**`, (route) => route.fulfill({ status: 204 }));
  return { context, page: await context.newPage() };
}

export async function measurePageWeights(input: PageWeightInput): Promise<Record<string, PageWeight>> {
  const browser = await chromium.launch({
    ...chromiumLaunchOptions(),
  });
  const framework = frameworkFiles(input.distDir);
  const weights: Record<string, PageWeight> = {};
  const strip = (measured: PageWeight & { count: number }): PageWeight => {
    const { count, ...weight } = measured;
    void count;
    return weight;
  };
  try {
    // terms, then the hand-back page for the same flow (its cookie carried into a fresh context)
    const terms = await freshPage(browser, input.tenantUrl);
    const weighTerms = recordAssets(terms.page, framework);
    await terms.page.goto(input.startUrl(['terms']), { waitUntil: 'networkidle' });
    assertAt(terms.page, '/steps/terms');
    weights.terms = strip(await weighTerms());
    await terms.page.locator('#accept').check();
    await Promise.all([terms.page.waitForURL(`${input.detourUrl}/complete`, { waitUntil: 'commit' }), terms.page.locator('form:has(#accept) button[type="submit"]').click()]);
    const cookies = await terms.context.cookies(input.detourUrl);
    await terms.context.close();

    const complete = await freshPage(browser, input.tenantUrl);
    await complete.context.addCookies(cookies);
    const weighComplete = recordAssets(complete.page, framework);
    await complete.page.goto(`${input.detourUrl}/complete`, { waitUntil: 'networkidle' });
    weights.complete = strip(await weighComplete());
    await complete.context.close();

    const profile = await freshPage(browser, input.tenantUrl);
    const weighProfile = recordAssets(profile.page, framework);
    await profile.page.goto(input.startUrl(['profile'], { sub: 'auth0|erin' }), { waitUntil: 'networkidle' });
    assertAt(profile.page, '/steps/profile');
    weights.profile = strip(await weighProfile());
    await profile.context.close();

    // password: what loads with the page, then what the first keystrokes fetch (the strength dictionaries)
    const password = await freshPage(browser, input.tenantUrl);
    const weighPassword = recordAssets(password.page, framework);
    await password.page.goto(input.startUrl(['password'], { sub: 'auth0|frank', connection: input.passwordConnection }), { waitUntil: 'networkidle' });
    assertAt(password.page, '/steps/password');
    const onLoad = await weighPassword();
    await password.page.locator('#password').pressSequentially('Tr0ub4dor&3 horse', { delay: 20 });
    await password.page.waitForLoadState('networkidle');
    await password.page.waitForTimeout(500);
    const typed = await weighPassword(onLoad.count);
    weights.password = { ...strip(onLoad), js_kb_after_typing: typed.js_kb, js_files_after_typing: typed.js_files };
    await password.context.close();
  } finally {
    await browser.close();
  }
  return weights;
}

function assertAt(page: Page, pathname: string): void {
  const at = new URL(page.url()).pathname;
  if (at !== pathname) throw new Error(`page weight: expected to land on ${pathname}, landed on ${at}`);
}
