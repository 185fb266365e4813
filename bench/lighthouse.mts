/**
 * The Lighthouse scenario (issue 14: mobile performance ≥ 95 on every page and state, accessibility 100, first-load
 * JavaScript 0 KB on pages without interaction and ≤ 30 KB on a step page). Not in the default scenarios (5–7
 * minutes on 2 vCPU); run it with
 *
 *   BENCH_SCENARIOS=lighthouse npm run bench
 *
 * Lighthouse 12.2.3, navigation mode, its default (mobile) settings: simulated throttling, moto g power emulation.
 * Every page and state is one real navigation in a user flow (startFlow) on a puppeteer page of the repository's
 * Chromium (e2e/chromium.ts), each run in a fresh browser context with a fresh flow (a freshly minted token):
 *
 *   GET states   the flow opened unmeasured (GET /start → step page), then flow.navigate(url): a cold load (Lighthouse
 *                clears the caches, not the cookies)
 *   POST states  the step page opened unmeasured, the browser cache cleared, then flow.navigate(() => the form posted
 *                natively): the no-JavaScript post, a full navigation to the page again with its errors (the React
 *                forms check on the client first and would not navigate)
 *   complete     the hand-back page submits itself to the tenant's /continue at once (an inline script); the script
 *                runs and is measured, but HTMLFormElement.prototype.submit is stubbed for that one form (checked
 *                to have been called), so the browser stays on the page being measured. Answering /continue
 *                with 204 or slowly instead leaves a request open, and Lighthouse then waits out its 45 s load
 *                timeout ("The page loaded too slowly").
 *
 * BENCH_LIGHTHOUSE_RUNS (3; the median by performance score is reported, with min–max), BENCH_LIGHTHOUSE_PAGES
 * (comma list of the page names below, default all).
 */
import { startFlow } from 'lighthouse';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { findChromium } from '../e2e/chromium.ts';
import { summarizeRun, type LighthouseRun } from './lighthouse-report.mts';

export interface LighthouseInput {
  detourUrl: string;
  /** A fresh /start URL (newly minted one-time token) for a login asking for these steps. */
  startUrl: (steps: string[], claims?: Record<string, unknown>) => string;
  passwordConnection: string;
  runs: number;
  pages: string[];
}

interface PageState {
  /** Unmeasured: bring the browser to where the measured navigation starts. */
  prepare?: (page: Page, input: LighthouseInput) => Promise<void>;
  /** A URL (GET, cold load) or what triggers the navigation (a form post). */
  navigation: (page: Page, input: LighthouseInput) => string | (() => Promise<void>);
  /** Where the measured navigation must land, and what must be on the page there. */
  expect: { path: string; selector: string };
  /** The hand-back page: keep its auto-submit from leaving (see the header). */
  holdHandBack?: boolean;
}

const ERRORS = '[aria-invalid="true"], [role="alert"]';
const open = (steps: string[], claims: Record<string, unknown> = {}) => async (page: Page, input: LighthouseInput) => {
  await page.goto(input.startUrl(steps, claims), { waitUntil: 'networkidle0' });
};
const erin = { sub: 'auth0|erin' };
const frank = (input: LighthouseInput) => ({ sub: 'auth0|frank', connection: input.passwordConnection });
/** pablo signing in from Lisbon: the verify step's claim as the Action sends it (opening the page mails a code). */
const pablo = { sub: 'auth0|pablo', email: 'pablo@example.com', verify: { location: { country: 'PT', region: 'Lisbon', city: 'Lisbon' }, reason: 'new_location' } };
/** The form's native submit (no submit event, so no client-side check): what a browser without JavaScript posts. */
const post = (page: Page, action: string) => () => page.$eval(`form[action="${action}"]`, (form) => HTMLFormElement.prototype.submit.call(form));

export const LIGHTHOUSE_PAGES: Record<string, PageState> = {
  terms: { prepare: open(['terms']), navigation: (_, i) => `${i.detourUrl}/steps/terms`, expect: { path: '/steps/terms', selector: '#accept' } },
  'terms-error': { prepare: open(['terms']), navigation: (page) => post(page, '/steps/terms'), expect: { path: '/steps/terms', selector: ERRORS } },
  profile: { prepare: open(['profile'], erin), navigation: (_, i) => `${i.detourUrl}/steps/profile`, expect: { path: '/steps/profile', selector: '#field-given_name' } },
  'profile-error': { prepare: open(['profile'], erin), navigation: (page) => post(page, '/steps/profile'), expect: { path: '/steps/profile', selector: ERRORS } },
  password: {
    prepare: (page, input) => open(['password'], frank(input))(page, input),
    navigation: (_, i) => `${i.detourUrl}/steps/password`,
    expect: { path: '/steps/password', selector: '#password' },
  },
  'password-error': {
    prepare: async (page, input) => {
      await open(['password'], frank(input))(page, input);
      // Values set without key events, so the strength meter's dictionaries are not fetched into the measured run.
      await page.$eval('#password', (field) => ((field as HTMLInputElement).value = 'Correct-Horse-Battery-9'));
      await page.$eval('#confirm_password', (field) => ((field as HTMLInputElement).value = 'Correct-Horse-Battery-8'));
    },
    navigation: (page) => post(page, '/steps/password'),
    expect: { path: '/steps/password', selector: ERRORS },
  },
  verify: { prepare: open(['verify'], pablo), navigation: (_, i) => `${i.detourUrl}/steps/verify`, expect: { path: '/steps/verify', selector: '#code' } },
  'verify-error': { prepare: open(['verify'], pablo), navigation: (page) => post(page, '/steps/verify'), expect: { path: '/steps/verify', selector: ERRORS } },
  complete: {
    prepare: async (page, input) => {
      await open(['terms'])(page, input);
      await page.click('#accept');
      await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click('form[action="/steps/terms"] button[type="submit"]')]);
    },
    navigation: (_, i) => `${i.detourUrl}/complete`,
    expect: { path: '/complete', selector: 'form#continue' },
    holdHandBack: true,
  },
  refusal: { navigation: (_, i) => `${i.detourUrl}/start`, expect: { path: '/start', selector: '[data-error-code]' } },
  'not-found': { navigation: (_, i) => `${i.detourUrl}/no-such-page`, expect: { path: '/no-such-page', selector: 'h1' } },
};

/** The hand-back form's submit() is recorded instead of sent (other forms submit as usual). */
async function holdHandBack(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const submit = HTMLFormElement.prototype.submit;
    HTMLFormElement.prototype.submit = function (this: HTMLFormElement) {
      if (this.id !== 'continue') return submit.call(this);
      (window as unknown as { handBackHeld: boolean }).handBackHeld = true;
    };
  });
}

async function measureOnce(browser: Browser, name: string, state: PageState, input: LighthouseInput): Promise<LighthouseRun> {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    if (state.holdHandBack) await holdHandBack(page);
    await state.prepare?.(page, input);
    const navigation = state.navigation(page, input);
    const flow = await startFlow(page, { name, flags: { onlyCategories: ['performance', 'accessibility'], ignoreStatusCode: true } });
    if (typeof navigation === 'string') {
      await flow.navigate(navigation, { name });
    } else {
      // A callback navigation resets nothing; clear the cache so this is a first load like the others.
      const session = await page.createCDPSession();
      await session.send('Network.clearBrowserCache');
      await session.detach();
      await flow.navigate(navigation, { name });
    }
    const lhr = (await flow.createFlowResult()).steps[0]!.lhr;
    const at = new URL(page.url()).pathname;
    if (at !== state.expect.path) throw new Error(`lighthouse ${name}: expected to be on ${state.expect.path}, on ${at}`);
    if (!(await page.$(state.expect.selector))) throw new Error(`lighthouse ${name}: no ${state.expect.selector} on ${at}`);
    if (state.holdHandBack && !(await page.evaluate(() => (window as unknown as { handBackHeld?: boolean }).handBackHeld))) {
      throw new Error(`lighthouse ${name}: the hand-back page did not submit itself`);
    }
    return summarizeRun(lhr);
  } finally {
    await context.close();
  }
}

/** Every page and state, `runs` times each (interleaved: a drift in the machine's load hits every page alike). */
export async function measureLighthouse(input: LighthouseInput): Promise<Record<string, LighthouseRun[]>> {
  for (const name of input.pages) if (!LIGHTHOUSE_PAGES[name]) throw new Error(`BENCH_LIGHTHOUSE_PAGES: unknown page '${name}' (${Object.keys(LIGHTHOUSE_PAGES).join(', ')})`);
  const chromium = findChromium();
  if (chromium.source === 'none') throw new Error(`no Chromium for Lighthouse: ${chromium.problem}`);
  const browser = await puppeteer.launch({
    executablePath: chromium.path,
    headless: false, // the flag below says which headless
    defaultViewport: null,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const runs: Record<string, LighthouseRun[]> = Object.fromEntries(input.pages.map((name) => [name, []]));
  try {
    for (let run = 1; run <= input.runs; run += 1) {
      for (const name of input.pages) {
        const result = await measureOnce(browser, name, LIGHTHOUSE_PAGES[name]!, input);
        console.log(`[bench] lighthouse ${name} run ${run}: performance ${result.performance}, accessibility ${result.accessibility}, JS ${result.js_kb} KB`);
        runs[name]!.push(result);
      }
    }
  } finally {
    await browser.close();
  }
  return runs;
}
