import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DetourError } from '../errors';
import { stubDetourEnv, TEST_APP_BASE_URL } from '../testing/detour-env';
import type { RouteExports, RouteHandler } from './route';

/** lib/web/route.ts: the checks every route of app/ gets before its own work (docs/design.md rules 5, 6 and 9). */
let route: typeof import('./route').route;
beforeAll(async () => {
  stubDetourEnv();
  ({ route } = await import('./route'));
});

function spy(answer: () => Response | Promise<Response> = () => new Response('ok', { headers: { 'X-Frame-Options': 'SAMEORIGIN' } })) {
  const calls: string[] = [];
  const handler: RouteHandler = vi.fn(async (request, meta) => {
    calls.push(`${request.method} ${meta.nonce ? 'nonce' : 'no-nonce'}`);
    return answer();
  });
  return { calls, handler };
}
const send = (exports: RouteExports, method: keyof RouteExports, path: string, headers: Record<string, string> = {}) =>
  exports[method](new Request(`${TEST_APP_BASE_URL}${path}`, { method, headers, ...(method === 'POST' ? { body: 'a=1' } : {}) }));

describe('route()', () => {
  it('gives the handler a fresh nonce and request id, and every answer the security headers (the edge wins)', async () => {
    const { calls, handler } = spy();
    const exports = route('/start', { GET: handler });
    const [first, second] = [await send(exports, 'GET', '/start'), await send(exports, 'GET', '/start')];
    expect(calls).toEqual(['GET nonce', 'GET nonce']);
    const csp = first.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).not.toBe(second.headers.get('content-security-policy'));
    expect(first.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.headers.get('x-frame-options')).toBe('DENY');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('cache-control')).toBe('no-store');
  });

  it('answers HEAD on a flow route itself: the headers, no body, the route never runs (rule 9)', async () => {
    const { calls, handler } = spy();
    const response = await send(route('/start', { GET: handler }), 'HEAD', '/start?state=s&session_token=t');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(response.headers.get('content-security-policy')).toContain('nonce-');
    expect(calls).toEqual([]);
  });

  it('answers HEAD elsewhere (a health probe) with the GET answer without its body', async () => {
    const { handler } = spy(() => Response.json({ status: 'ok' }, { status: 200 }));
    const response = await send(route('/api/health', { GET: handler }), 'HEAD', '/api/health');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it.each(['PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const)('refuses %s with 405 and runs nothing', async (method) => {
    const { calls, handler } = spy();
    const response = await send(route('/start', { GET: handler, POST: handler }), method, '/start');
    expect(response.status).toBe(405);
    expect(await response.text()).toContain('data-error-code="invalid_request"');
    expect(calls).toEqual([]);
  });

  it('refuses a POST where no form posts (405), and a form post from another origin or none (403), before the handler', async () => {
    const { calls, handler } = spy();
    expect((await send(route('/start', { GET: handler, POST: handler }), 'POST', '/start', { origin: TEST_APP_BASE_URL })).status).toBe(405);
    const complete = route('/complete', { POST: handler });
    expect((await send(complete, 'POST', '/complete', { origin: 'https://evil.example', cookie: '__Host-detour-flow=x' })).status).toBe(403);
    expect((await send(complete, 'POST', '/complete', { cookie: '__Host-detour-flow=x' })).status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('turns what a handler throws into the refusal page with its code and status, never a stack trace', async () => {
    const refused = route('/start', { GET: () => Promise.reject(new DetourError('token_expired', 401, 'expired')) });
    const crashed = route('/start', { GET: () => Promise.reject(new Error('secret detail at line 42')) });
    const expired = await send(refused, 'GET', '/start');
    expect(expired.status).toBe(401);
    expect(await expired.text()).toContain('data-error-code="token_expired"');
    const broken = await send(crashed, 'GET', '/start');
    expect(broken.status).toBe(500);
    const html = await broken.text();
    expect(html).toContain('data-error-code="misconfigured"');
    expect(html).not.toContain('secret detail');
    expect(broken.headers.get('content-security-policy')).toContain('nonce-');
  });

  it('a method the route does not answer is 405 (GET on a post-only route)', async () => {
    const { handler } = spy();
    expect((await send(route('/start-over', { POST: handler }), 'GET', '/start-over')).status).toBe(405);
  });
});
