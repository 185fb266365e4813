import { beforeAll, describe, expect, it } from 'vitest';
import type { DetourConfig } from '../config';
import { stubDetourEnv, TEST_APP_BASE_URL } from '../testing/detour-env';
import { edgePolicy, type EdgeRequest } from './edge-policy';

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

// The same table decides for proxy.ts (Next's routes) and the fast lane of server.ts (rules 4–6).
describe('edgePolicy refusals', () => {
  it.each([
    ['GET', '/start?state=s&session_token=t', {}, null],
    ['GET', `/start?state=${'s'.repeat(8200)}`, {}, [414, 'invalid_request']],
    ['POST', '/start', SAME_ORIGIN, [405, 'invalid_request']],
    ['POST', '/complete', SAME_ORIGIN, [405, 'invalid_request']],
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
    expect(first.csp).toContain('form-action \'self\' https://tenant.eu.auth0.com');
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
