import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DetourConfig } from '../config';
import type { RequestHead, RequestMeta } from '../http/respond';
import { stubDetourEnv, TEST_APP_BASE_URL } from '../testing/detour-env';
import type { FastRoute } from './fast-lane';

const BASE = TEST_APP_BASE_URL;
const seen: { request: RequestHead; meta: RequestMeta }[] = [];
let answerWith: (request: RequestHead) => Response = () => new Response('ok');

const route: FastRoute = async (request, meta) => {
  seen.push({ request, meta });
  return answerWith(request);
};

let server: Server;
let origin: string;

beforeAll(async () => {
  stubDetourEnv();
  const { getConfig } = await import('../config');
  const config: DetourConfig = getConfig();
  const { createFastLane } = await import('./fast-lane');
  const fastLane = createFastLane({ routes: { '/start': route, '/complete': route, '/steps/terms': route }, config: () => config });
  server = createServer((req, res) => {
    if (fastLane(req, res)) return;
    res.writeHead(299, { 'x-answered-by': 'next' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  seen.length = 0;
  answerWith = () => new Response('ok');
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw HTTP request, so the path goes out exactly as written (fetch would normalise `//x` and long URLs). */
function send(method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}/`, { method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('what the fast lane leaves to Next', () => {
  it.each([
    ['POST', '/start'],
    ['HEAD', '/start'],
    ['PUT', '/complete'],
    ['GET', '/'],
    ['GET', '/start/'],
    ['GET', '/START'],
    ['GET', '//start'],
    ['GET', '/steps/profile'],
    ['GET', '/steps/terms/x'],
    ['GET', '/api/health'],
    ['GET', '/constructor'],
    ['GET', '/__proto__'],
  ])('%s %s goes on to Next', async (method, path) => {
    const answer = await send(method, path, { cookie: '__Host-detour-flow=x' });
    expect(answer.status).toBe(299);
    expect(answer.headers['x-answered-by']).toBe('next');
    expect(seen).toEqual([]);
  });
});

describe('a route the fast lane answers', () => {
  it('gets the URL on the configured origin whatever Host was sent, with the query kept', async () => {
    await send('GET', '/start?state=abc&session_token=a.b.c', { host: 'evil.example.com' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.request.url).toBe(`${BASE}/start?state=abc&session_token=a.b.c`);
  });

  it('gets the nonce and request id the edge made in its meta, and the headers as sent', async () => {
    const answer = await send('GET', '/start?x=1', { 'user-agent': 'test-agent', 'x-forwarded-for': '203.0.113.9, 10.0.0.1' });
    const { request, meta } = seen[0]!;
    expect(meta.nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(request.headers.get('user-agent')).toBe('test-agent');
    expect(request.headers.get('x-nonce')).toBeNull();
    expect(answer.headers['x-request-id']).toBe(meta.requestId);
    expect(String(answer.headers['content-security-policy'])).toContain(`'nonce-${meta.nonce}'`);
    expect(meta.clientIp).toBe('203.0.113.9');
    expect(meta.userAgent).toBe('test-agent');
  });

  it('answers with the security headers of every page, which win over the route’s own', async () => {
    answerWith = () => new Response('ok', { headers: { 'X-Frame-Options': 'ALLOWALL', 'Cache-Control': 'public, max-age=600' } });
    const answer = await send('GET', '/start?x=1');
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(String(answer.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(answer.headers['strict-transport-security']).toContain('max-age=');
  });

  it('keeps every Set-Cookie, the status and the Location', async () => {
    answerWith = () => {
      const headers = new Headers({ Location: `${BASE}/steps/terms` });
      headers.append('Set-Cookie', 'a=1; Path=/; HttpOnly');
      headers.append('Set-Cookie', 'b=2; Path=/; HttpOnly');
      return new Response(null, { status: 303, headers });
    };
    const answer = await send('GET', '/start?x=1');
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe(`${BASE}/steps/terms`);
    expect(answer.headers['set-cookie']).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Path=/; HttpOnly']);
    expect(answer.headers['content-length']).toBe('0');
  });

  it('compresses a large HTML page for a client that accepts gzip, and only then', async () => {
    const html = `<!doctype html><p>${'terms '.repeat(1000)}</p>`;
    answerWith = () => new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    const gzipped = await send('GET', '/steps/terms', { cookie: '__Host-detour-flow=x', 'accept-encoding': 'gzip, br' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString()).toBe(html);
    const refused = await send('GET', '/steps/terms', { cookie: '__Host-detour-flow=x', 'accept-encoding': 'gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    const plain = await send('GET', '/steps/terms', { cookie: '__Host-detour-flow=x' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(html);
  });
});

describe('refusals at the edge, before the route runs', () => {
  it.each([
    ['/complete', {}, 401, 'flow_missing'],
    ['/steps/terms', { cookie: 'other=1' }, 401, 'flow_missing'],
    [`/start?state=${'s'.repeat(9000)}`, {}, 414, 'invalid_request'],
  ] as const)('GET %s → %i %s', async (path, headers, status, code) => {
    const answer = await send('GET', path, headers);
    expect(answer.status).toBe(status);
    expect(answer.body.toString()).toContain(`data-error-code="${code}"`);
    expect(answer.body.toString()).toMatch(/role="alert"/);
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(seen).toEqual([]);
  });
});

it('a route that throws is a `misconfigured` refusal page, and the next request is served', async () => {
  answerWith = () => {
    throw new Error('boom');
  };
  const failed = await send('GET', '/start?x=1');
  expect(failed.status).toBe(500);
  expect(failed.body.toString()).toContain('data-error-code="misconfigured"');
  expect(failed.body.toString()).not.toContain('boom');
  expect(failed.headers['content-security-policy']).toBeDefined();
  answerWith = () => new Response('ok');
  expect((await send('GET', '/start?x=2')).status).toBe(200);
});
