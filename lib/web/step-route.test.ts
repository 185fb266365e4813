import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DetourConfig } from '../config';
import { FLOW_COOKIE_NAME, openFlowCookie, sealFlow } from '../flow/flow-cookie';
import type { FlowState } from '../flow/flow-state';
import type { RequestMeta } from '../http/respond';
import type { ConsentRow, Stores } from '../store';
import { stubDetourEnv } from '../testing/detour-env';
import { testFlow } from '../testing/flow-fixture';

// The process-wide stores and Management API client, replaced by recording ones.
const recorded = vi.hoisted(() => ({ writes: [] as unknown[], rows: [] as unknown[] }));
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
  return { getStores: async () => ({ consentLedger }) as Stores, getManagementApi: () => management.api };
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
