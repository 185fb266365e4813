import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DetourConfig } from '../config';
import { FLOW_COOKIE_NAME, openFlowCookie, sealFlow } from '../flow/flow-cookie';
import type { FlowState } from '../flow/flow-state';
import type { RequestMeta } from '../http/respond';
import type { ConsentRow, Stores } from '../store';
import { tempDatabases } from '../store/fixtures/temp-database';
import { openSqliteStores } from '../store/sqlite';
import { stubDetourEnv } from '../testing/detour-env';
import { testFlow } from '../testing/flow-fixture';
import { mailCatcherPerTest } from '../testing/mail-catcher';

// The process-wide stores and Management API client, replaced by recording ones (and, for the verify step, real
// SQLite stores for its code: `recorded.sqlite`).
const recorded = vi.hoisted(() => ({ writes: [] as unknown[], rows: [] as unknown[], sqlite: undefined as import('../store').Stores | undefined }));
vi.mock('../runtime', async () => {
  const { recordingManagementApi: recording } = await import('../steps/testing/recording-management-api');
  const management = recording();
  recorded.writes = management.writes;
  const consentLedger: Stores['consentLedger'] = {
    async recordConsent(row: ConsentRow) {
      recorded.rows.push(row);
      return { inserted: true };
    },
    async listConsents() {
      return recorded.rows as ConsentRow[];
    },
  };
  const getStores = async () => {
    const sqlite = recorded.sqlite;
    return (sqlite ? { jtiStore: sqlite.jtiStore, rateLimiter: sqlite.rateLimiter, expiringValues: sqlite.expiringValues, consentLedger } : { consentLedger }) as Stores;
  };
  return { getStores, getManagementApi: () => management.api };
});

const BASE = 'https://detour.example.com';
const CURRENT = '2026-11-01';
let config: DetourConfig;
let route: typeof import('@/app/steps/[step]/route');
let stepSubmitResponse: typeof import('./step-route').stepSubmitResponse;

beforeAll(async () => {
  stubDetourEnv({ LOGIN_RESTART_URL: 'https://app.example.com/login' });
  config = (await import('../config')).getConfig();
  route = await import('@/app/steps/[step]/route');
  ({ stepSubmitResponse } = await import('./step-route'));
});

beforeEach(() => {
  recorded.writes.length = 0;
  recorded.rows.length = 0;
});

const meta: RequestMeta = { requestId: '5f0c6b8e-0000-4000-8000-000000000001', nonce: 'bm9uY2U=', clientIp: '203.0.113.7', userAgent: 'test', locale: 'fr' };
const flow = testFlow;
const cookieFor = async (state: FlowState | null, key?: Uint8Array): Promise<Record<string, string>> =>
  state ? { cookie: `${FLOW_COOKIE_NAME}=${await sealFlow(state, key ?? config.flowCookieKey)}` } : {};
// GET through the route (lib/web/route.ts: the edge policy, refusals answered); POST straight to the step's work, to
// see the form answered again where the route would refuse first (a foreign Origin: rule 5 is checked twice).
const get = async (state: FlowState | null, headers: Record<string, string> = {}) =>
  route.GET(new Request(`${BASE}/steps/terms`, { headers: { 'accept-language': 'fr', ...(await cookieFor(state)), ...headers } }));
const post = async (body: BodyInit, headers: Record<string, string>, state: FlowState | null = flow(), key?: Uint8Array) =>
  stepSubmitResponse('terms', new Request(`${BASE}/steps/terms`, { method: 'POST', body, headers: { origin: BASE, ...(await cookieFor(state, key)), ...headers } }), meta);
const routePost = async (body: BodyInit, headers: Record<string, string>) =>
  route.POST(new Request(`${BASE}/steps/terms`, { method: 'POST', body, headers: { origin: BASE, ...(await cookieFor(flow())), ...headers } }));
const nonceOf = (response: Response) => /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1];
const URLENCODED = { 'content-type': 'application/x-www-form-urlencoded' };

describe('GET /steps/terms', () => {
  it.each([
    ['no flow cookie', null, 401, 'flow_missing'],
    ['a flow that has expired', flow({ started_at: Math.floor(Date.now() / 1000) - 7200, expires_at: Math.floor(Date.now() / 1000) - 3600 }), 401, 'flow_expired'],
  ])('%s → the refusal page (%s %s), in the language of Accept-Language', async (_, state, status, code) => {
    const response = await get(state);
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain(`role="alert" class="alert" data-error-code="${code}"`);
    expect(html).toContain('<html lang="fr" dir="ltr">');
  });

  it.each([
    ['the flow is on another step', flow({ steps: ['profile', 'terms'] }), `${BASE}/steps/profile`],
    ['every step is done, terms not among them', flow({ steps: ['profile'], completed: ['profile'] }), `${BASE}/complete`],
    ['the flow never asked for terms', flow({ steps: ['password'] }), `${BASE}/steps/password`],
  ])('%s → 303 to where it stands', async (_, state, location) => {
    const response = await get(state);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(location);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('the current step → the page: no JavaScript, no-store, branded, in the flow’s language', async () => {
    const response = await get(flow({ locale: 'ar' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).not.toContain('<script');
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain(`<style nonce="${nonceOf(response)}">`);
    expect(html).toMatch(/<title>[^<]+ · Example<\/title>/);
    expect(html).toContain('<a class="skip-link" href="#main">');
    expect(html).toContain('<main class="card" id="main" tabindex="-1">');
    expect(html).toContain('a***e@example.com');
    expect(html).toContain('class="progress"');
    expect(html).toContain('lang="ar"><h2>');
    expect(html).toContain('<input id="accept" type="checkbox" name="accept" value="on"/>');
  });

  it('a finished step opened again shows the box ticked', async () => {
    const html = await (await get(flow({ completed: ['terms'], results: { terms: { version: CURRENT } } }))).text();
    expect(html).toContain('checked="" value="on"/>');
  });
});

describe('POST /steps/terms', () => {
  const multipart = () => {
    const data = new FormData();
    data.append('accept', 'on');
    data.append('version', CURRENT);
    return data;
  };
  it.each([
    ['urlencoded', () => `accept=on&version=${CURRENT}`, URLENCODED],
    ['multipart', multipart, {}],
  ])('accepted (%s) → 303 to the next step with the advanced flow cookie', async (_, body, headers) => {
    const response = await post(body(), headers);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${BASE}/steps/profile`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^${FLOW_COOKIE_NAME}=[\\w.-]+; Path=/; Expires=[^;]+ GMT; HttpOnly; Secure; SameSite=Lax$`));
    const advanced = await openFlowCookie(setCookie.split(';')[0]!.slice(FLOW_COOKIE_NAME.length + 1), config.flowCookieKey);
    expect(advanced).toMatchObject({ completed: ['terms'], results: { terms: { version: CURRENT } } });
    expect(recorded.writes).toHaveLength(1);
    expect(recorded.rows).toHaveLength(1);
  });

  it.each([
    ['the box not ticked', 422, 'validation_failed', `version=${CURRENT}`, {}, false, true],
    ['the terms changed meanwhile', 422, 'validation_failed', 'accept=on&version=2025-01-01', {}, true, true],
    ['a cookie sealed by another deployment', 401, 'flow_missing', `accept=on&version=${CURRENT}`, { key: new Uint8Array(32).fill(9) }, true, false],
    ['a foreign Origin', 403, 'origin_rejected', `accept=on&version=${CURRENT}`, { origin: 'https://evil.example' }, true, false],
  ])('%s → the page again (%s %s), the box as posted, nothing written', async (_, status, code, body, options: { key?: Uint8Array; origin?: string }, checked, account) => {
    const response = await post(body, { ...URLENCODED, ...(options.origin ? { origin: options.origin } : {}) }, flow(), options.key);
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('set-cookie')).toBeNull();
    const html = await response.text();
    expect(html).toContain(`data-error-code="${code}"`);
    expect(html).toContain('autofocus');
    expect(html).toContain('<form noValidate="" action="/steps/terms" method="post">');
    expect(html.includes('checked=""')).toBe(checked);
    // Without a flow opened, nothing of the person's is shown.
    expect(html.includes('a***e@example.com')).toBe(account);
    expect(recorded.writes).toEqual([]);
    expect(recorded.rows).toEqual([]);
  });

  const megabyte = () => {
    const data = new FormData();
    data.append('accept', 'on');
    data.append('version', CURRENT);
    data.append('filler', 'x'.repeat(1024 * 1024));
    return data;
  };
  it.each([
    ['a 1 MB multipart body (with a next-action header)', 413, megabyte, { 'next-action': 'x' }],
    ['a declared Content-Length over 64 KB', 413, () => `accept=on&version=${CURRENT}`, { ...URLENCODED, 'content-length': String(65 * 1024) }],
    ['JSON', 415, () => JSON.stringify({ accept: true, version: CURRENT }), { 'content-type': 'application/json' }],
  ])('%s → refused before it is parsed (%s), nothing written', async (_, status, body, headers) => {
    const response = await routePost(body(), headers);
    expect(response.status).toBe(status);
    expect(await response.text()).toContain('data-error-code="invalid_request"');
    expect(recorded.writes).toEqual([]);
  });
});

describe('any other step id', () => {
  it.each(['nope', '..%2Fcomplete', 'terms%00', '%E0%A4%A'])('/steps/%s → 404, the refusal page, nothing read', async (id) => {
    const response = await route.GET(new Request(`${BASE}/steps/${id}`, { headers: await cookieFor(flow()) }));
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('data-error-code="not_found"');
  });
});

describe('the verify step: prepare, stay and end through the routes', () => {
  const temp = tempDatabases();
  const catcher = mailCatcherPerTest();
  const PABLO = 'pablo@example.com';
  const MASKED = 'p***o@example.com';
  const verifyFlow = () => flow({ steps: ['verify'], email: PABLO, claims: { verify: { location: { country: 'PT', region: 'Lisbon', city: 'Lisbon' }, reason: 'new_location' } } });
  const verifyGet = async (state: FlowState) => route.GET(new Request(`${BASE}/steps/verify`, { headers: await cookieFor(state) }));
  const verifyPost = async (body: string, state: FlowState) =>
    stepSubmitResponse('verify', new Request(`${BASE}/steps/verify`, { method: 'POST', body, headers: { origin: BASE, ...URLENCODED, ...(await cookieFor(state)) } }), meta);
  const codeMailed = () => /^(\d{6})$/m.exec(catcher().latestTo(PABLO)?.text ?? '')?.[1] ?? 'no code mailed';
  let en: (key: string, values?: Record<string, string | number>) => string;

  beforeAll(async () => {
    en = (await import('../i18n/catalogue')).translatorFor('en');
  });
  afterAll(() => temp.cleanup());
  beforeEach(async () => {
    recorded.sqlite = await openSqliteStores(`file:${temp.nextPath()}`);
  });
  afterEach(async () => {
    // Nothing this step does writes to Auth0 or the consent ledger.
    expect(recorded.writes).toEqual([]);
    expect(recorded.rows).toEqual([]);
    await recorded.sqlite?.close();
    recorded.sqlite = undefined;
    vi.stubEnv('SMTP_URL', 'smtp://127.0.0.1:9');
  });

  it('GET runs the step’s prepare: the first code is mailed once, and the page says where it went', async () => {
    const state = verifyFlow();
    const response = await verifyGet(state);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(en('verify.code_sent_to', { email: MASKED }));
    expect(html).toContain('data-wait="30"');
    expect(catcher().messages().map((mail) => mail.to)).toEqual([[PABLO]]);
    // Opened again: the same page, no second mail.
    expect(await (await verifyGet(state)).text()).toContain(en('verify.code_sent_to', { email: MASKED }));
    expect(catcher().messages()).toHaveLength(1);
  });

  it('HEAD (a mail scanner, a link checker) sends nothing: prepare is not run', async () => {
    const state = verifyFlow();
    const response = await route.HEAD(new Request(`${BASE}/steps/verify`, { method: 'HEAD', headers: await cookieFor(state) }));
    expect(response.status).toBe(200);
    expect(catcher().messages()).toHaveLength(0);
    // The GET that follows still sends the first code.
    await verifyGet(state);
    expect(catcher().messages()).toHaveLength(1);
  });

  it('POST a new code → the page again with a status notice, the cookie untouched', async () => {
    const response = await verifyPost('intent=resend', verifyFlow());
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
    const html = await response.text();
    expect(html).toContain(`<p role="status" class="notice">${en('verify.code_sent_again', { email: MASKED })}</p>`);
    expect(html).toContain(en('verify.code_sent_to', { email: MASKED }));
    expect(html).toContain('action="/steps/verify"');
    // The page's prepare found the code just sent: one mail, not two.
    expect(catcher().messages()).toHaveLength(1);
  });

  it.each([
    ['"this wasn\'t me"', async (state: FlowState) => verifyPost('intent=not_me', state), 200, 'verify.declined'],
    [
      '5 wrong codes',
      async (state: FlowState) => {
        await verifyPost('intent=resend', state);
        const wrong = String((Number(codeMailed()) + 1) % 1_000_000).padStart(6, '0');
        for (let i = 1; i < 5; i++) expect((await verifyPost(`intent=verify&code=${wrong}`, state)).status).toBe(422);
        return verifyPost(`intent=verify&code=${wrong}`, state);
      },
      403,
      'verify.exhausted',
    ],
  ] as const)('%s → the flow ends: a notice page (%s) that forgets the flow cookie', async (_, act, status, keys) => {
    const state = verifyFlow();
    const response = await act(state);
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^${FLOW_COOKIE_NAME}=;`));
    expect(setCookie).toContain('Expires=Thu, 01 Jan 1970');
    const html = await response.text();
    expect(html).toContain(`<h1>${en(`${keys}.title`)}</h1>`);
    expect(html).toContain(en(`${keys}.body`).replace(/"/g, '&quot;'));
    expect(html).not.toContain('<form');
    // The ended verification is refused when the page is opened again with the old cookie.
    const again = await verifyGet(state);
    expect(again.status).toBe(403);
    expect(await again.text()).toContain(`data-error-code="${keys === 'verify.declined' ? 'verification_declined' : 'code_attempts_exhausted'}"`);
  });
});
