import { beforeAll, describe, expect, it } from 'vitest';
import type { DetourConfig } from '../config';
import { stubDetourEnv, TEST_APP_BASE_URL } from '../testing/detour-env';
import { edgePolicy, headResponse, type EdgeRequest } from './edge-policy';

const BASE = TEST_APP_BASE_URL;
let config: DetourConfig;

beforeAll(async () => {
  stubDetourEnv();
  config = (await import('../config')).getConfig();
});

const FLOW = { cookie: '__Host-detour-flow=sealed' };
const SAME_ORIGIN = { origin: BASE, 'sec-fetch-site': 'same-origin' };

function request(method: string, path: string, headers: Record<string, string> = {}): EdgeRequest {
  return { method, url: `${BASE}${path}`, pathname: new URL(path, BASE).pathname, headers: new Headers(headers) };
}

// The table every route applies through lib/web/route.ts (rules 4–6, 9).
describe('edgePolicy refusals', () => {
  it.each([
    ['GET', '/start?state=s&session_token=t', {}, null],
    ['GET', `/start?state=${'s'.repeat(8200)}`, {}, [414, 'invalid_request']],
    ['POST', '/start', SAME_ORIGIN, [405, 'invalid_request']],
    ['POST', '/complete', { ...FLOW, ...SAME_ORIGIN }, null],
    ['POST', '/complete', SAME_ORIGIN, [401, 'flow_missing']],
    ['POST', '/complete', { ...FLOW, origin: 'https://evil.example.com' }, [403, 'origin_rejected']],
    ['POST', '/complete', FLOW, [403, 'origin_rejected']],
    ['POST', '/steps/terms/extra', { ...FLOW, ...SAME_ORIGIN }, [405, 'invalid_request']],
    ['PUT', '/start?state=s&session_token=t', {}, [405, 'invalid_request']],
    ['DELETE', '/steps/terms', FLOW, [405, 'invalid_request']],
    ['PATCH', '/complete', FLOW, [405, 'invalid_request']],
    ['OPTIONS', '/start', {}, [405, 'invalid_request']],
    ['OPTIONS', '/api/health', {}, null],
    ['POST', '/api/requirements', SAME_ORIGIN, [405, 'invalid_request']],
    ['GET', '/steps/terms', {}, [401, 'flow_missing']],
    ['GET', '/steps/terms', { cookie: 'other=1' }, [401, 'flow_missing']],
    ['GET', '/steps/terms', FLOW, null],
    ['GET', '/complete', {}, [401, 'flow_missing']],
    ['GET', '/complete', FLOW, null],
    ['POST', '/steps/terms', { ...FLOW, ...SAME_ORIGIN }, null],
    ['POST', '/steps/terms', FLOW, [403, 'origin_rejected']],
    ['POST', '/steps/terms', { ...FLOW, origin: 'null' }, [403, 'origin_rejected']],
    ['POST', '/steps/terms', { ...FLOW, origin: 'https://evil.example.com' }, [403, 'origin_rejected']],
    ['POST', '/steps/terms', { ...FLOW, origin: BASE, 'sec-fetch-site': 'cross-site' }, [403, 'origin_rejected']],
    ['POST', '/steps/terms', SAME_ORIGIN, [401, 'flow_missing']],
    ['POST', '/start-over', SAME_ORIGIN, null],
    ['POST', '/start-over', { origin: 'https://evil.example.com' }, [403, 'origin_rejected']],
    ['GET', '/api/health', {}, null],
  ] as const)('%s %s %j → %j', (method, path, headers, expected) => {
    const { refusal } = edgePolicy(request(method, path, headers), config);
    expect(refusal ? [refusal.status, refusal.code] : null).toEqual(expected);
  });
});

describe('edgePolicy headers', () => {
  it('gives every request its own nonce and request id, named in the CSP', () => {
    const first = edgePolicy(request('GET', '/steps/terms', FLOW), config);
    const second = edgePolicy(request('GET', '/steps/terms', FLOW), config);
    expect(first.meta.nonce).not.toBe(second.meta.nonce);
    expect(first.meta.requestId).not.toBe(second.meta.requestId);
    expect(first.responseHeaders['Content-Security-Policy']).toBe(first.csp);
    expect(first.csp).toContain(`'nonce-${first.meta.nonce}'`);
    expect(first.csp).toMatch(/form-action 'self'(;|$)/);
    expect(first.responseHeaders['X-Request-Id']).toBe(first.meta.requestId);
  });

  it.each([
    ['/start', 'no-store', 'no-referrer'],
    ['/steps/profile', 'no-store', 'strict-origin-when-cross-origin'],
    ['/complete', 'no-store', 'strict-origin-when-cross-origin'],
    ['/start-over', 'no-store', 'strict-origin-when-cross-origin'],
    ['/api/health', undefined, 'strict-origin-when-cross-origin'],
  ])('%s: Cache-Control %s, Referrer-Policy %s', (path, cacheControl, referrerPolicy) => {
    const { responseHeaders } = edgePolicy(request('GET', path, FLOW), config);
    expect(responseHeaders['Cache-Control']).toBe(cacheControl);
    expect(responseHeaders['Referrer-Policy']).toBe(referrerPolicy);
    expect(responseHeaders['X-Content-Type-Options']).toBe('nosniff');
    expect(responseHeaders['Strict-Transport-Security']).toContain('max-age=');
  });

  it('localises a refusal from Accept-Language', () => {
    expect(edgePolicy(request('GET', '/complete', { 'accept-language': 'de-DE,de;q=0.9' }), config).meta.locale).toBe('de');
  });
});

describe('edgePolicy on the hand-back page', () => {
  it.each(['GET', 'POST'])('%s /complete sends a CSP without form-action (DESIGN rule 6)', (method) => {
    const { csp } = edgePolicy(request(method, '/complete', { ...FLOW, ...SAME_ORIGIN }), config);
    expect(csp).not.toContain('form-action');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it.each(['/steps/terms', '/start', '/start-over', '/api/health'])("%s keeps form-action 'self' alone", (path) => {
    expect(edgePolicy(request('GET', path, FLOW), config).csp).toMatch(/form-action 'self'(;|$)/);
  });
});

// RFC 9110 §9.3.2: HEAD is safe. It is answered at the edge, so no route runs: no claim, no cookie, no log line.
describe('edgePolicy for HEAD', () => {
  it.each([
    ['/start?state=s&session_token=t', {}],
    ['/steps/terms', FLOW],
    ['/steps/terms', {}],
    ['/complete', FLOW],
    ['/start-over', {}],
  ])('HEAD %s %j is answered at the edge with headers only', async (path, headers) => {
    const decision = edgePolicy(request('HEAD', path, headers), config);
    expect(decision.answerHead).toBe(true);
    expect(decision.refusal).toBeNull();
    const response = headResponse(decision);
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toBe(decision.csp);
    expect(await response.text()).toBe('');
  });

  it.each([
    ['HEAD', '/api/health'],
    ['GET', '/start?state=s&session_token=t'],
    ['HEAD', `/start?state=${'s'.repeat(8200)}`],
  ])('%s %s goes on to its route (or its refusal)', (method, path) => {
    expect(edgePolicy(request(method, path), config).answerHead).toBe(false);
  });
});
