import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on loopback that plays the parts of Auth0 Detour talks to: `POST /oauth/token` and
 * `GET`/`PATCH /api/v2/users/:id`, with Auth0's error bodies and `x-ratelimit-*` headers. Tests script
 * replies per route; without a script it behaves like a healthy tenant.
 */

export type Route = 'token' | 'users';

export interface RecordedRequest {
  route: Route | 'other';
  method: string;
  /** The raw request target, e.g. `/api/v2/users/auth0%7Cabc`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (to outlast a client's attempt timeout). */
  delayMs?: number;
}

type Reply = ScriptedReply | ((request: RecordedRequest) => ScriptedReply);

export interface FakeAuth0Options {
  clientId?: string;
  clientSecret?: string;
  /** The audience the token endpoint accepts; defaults to `<origin>/api/v2/`. */
  audience?: string;
  expiresIn?: number;
}

export interface FakeAuth0 {
  origin: string;
  requests: RecordedRequest[];
  count(route: Route, method?: string): number;
  /** Replies used, in order, before the default behaviour resumes. */
  queue(route: Route, ...replies: Reply[]): void;
  /** A reply for every request to the route from now on (`null` restores the default). */
  always(route: Route, reply: Reply | null): void;
  users: Map<string, Record<string, unknown>>;
  issuedTokens: string[];
  revoke(token: string): void;
  close(): Promise<void>;
}

export const auth0Errors = {
  tooManyRequests: { statusCode: 429, error: 'Too Many Requests', errorCode: 'too_many_requests', message: 'Global limit has been reached' },
  internal: { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' },
  badRequest: (message: string, errorCode?: string) => ({ statusCode: 400, error: 'Bad Request', message, ...(errorCode ? { errorCode } : {}) }),
  insufficientScope: { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope, expected any of: update:users', errorCode: 'insufficient_scope' },
  notFound: { statusCode: 404, error: 'Not Found', message: 'The user does not exist.', errorCode: 'inexistent_user' },
  invalidToken: { statusCode: 401, error: 'Unauthorized', message: 'Invalid token', attributes: { error: 'Invalid token' } },
};

export async function startFakeAuth0(options: FakeAuth0Options = {}): Promise<FakeAuth0> {
  const clientId = options.clientId ?? 'detour-m2m';
  const clientSecret = options.clientSecret ?? 'm2m-secret-value';
  const requests: RecordedRequest[] = [];
  const queues: Record<Route, Reply[]> = { token: [], users: [] };
  const fixed: Record<Route, Reply | null> = { token: null, users: null };
  const users = new Map<string, Record<string, unknown>>();
  const issuedTokens: string[] = [];
  const revoked = new Set<string>();
  let origin = '';

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      const route: RecordedRequest['route'] =
        url === '/oauth/token' ? 'token' : url.startsWith('/api/v2/users/') ? 'users' : 'other';
      const request: RecordedRequest = { route, method: req.method ?? '', url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      if (route === 'other') return send(res, { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'Not Found' } });
      const scripted = queues[route].shift() ?? fixed[route];
      const reply = scripted ? (typeof scripted === 'function' ? scripted(request) : scripted) : defaultReply(request);
      const withLimits = route === 'users' ? { ...reply, headers: { ...rateLimitHeaders(), ...reply.headers } } : reply;
      if (!withLimits.delayMs) return send(res, withLimits);
      const timer = setTimeout(() => send(res, withLimits), withLimits.delayMs);
      res.on('close', () => clearTimeout(timer));
    });
  });

  function defaultReply(request: RecordedRequest): ScriptedReply {
    return request.route === 'token' ? tokenReply(request) : usersReply(request);
  }

  function tokenReply(request: RecordedRequest): ScriptedReply {
    if (request.method !== 'POST') return { status: 405, body: { error: 'invalid_request' } };
    const form = Object.fromEntries(new URLSearchParams(request.body));
    if (form.grant_type !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Grant type not allowed' } };
    if (form.client_id !== clientId || form.client_secret !== clientSecret) {
      return { status: 401, body: { error: 'access_denied', error_description: 'Unauthorized' } };
    }
    if (form.audience !== (options.audience ?? `${origin}/api/v2/`)) {
      return { status: 403, body: { error: 'access_denied', error_description: `Service not enabled within domain: ${form.audience}` } };
    }
    const token = `mgmt-token-${issuedTokens.length + 1}`;
    issuedTokens.push(token);
    return { status: 200, body: { access_token: token, expires_in: options.expiresIn ?? 86_400, scope: 'read:users update:users', token_type: 'Bearer' } };
  }

  function usersReply(request: RecordedRequest): ScriptedReply {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token || !issuedTokens.includes(token) || revoked.has(token)) return { status: 401, body: auth0Errors.invalidToken };
    const id = decodeURIComponent(request.url.slice('/api/v2/users/'.length).split('?')[0] ?? '');
    const user = users.get(id);
    if (!user) return { status: 404, body: auth0Errors.notFound };
    if (request.method === 'GET') return { status: 200, body: user };
    if (request.method !== 'PATCH') return { status: 405, body: { statusCode: 405, error: 'Method Not Allowed' } };
    const patch = JSON.parse(request.body) as Record<string, unknown>;
    // Auth0 merges the metadata objects one level deep and replaces root attributes.
    const merged: Record<string, unknown> = { ...user, ...patch };
    for (const key of ['user_metadata', 'app_metadata']) {
      if (patch[key]) merged[key] = { ...(user[key] as object | undefined), ...(patch[key] as object) };
    }
    delete merged.password;
    delete merged.connection;
    users.set(id, merged);
    return { status: 200, body: merged };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    requests,
    count: (route, method) => requests.filter((r) => r.route === route && (!method || r.method === method)).length,
    queue: (route, ...replies) => queues[route].push(...replies),
    always: (route, reply) => {
      fixed[route] = reply;
    },
    users,
    issuedTokens,
    revoke: (token) => revoked.add(token),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An origin nothing listens on: a port the OS just handed out and took back. */
export async function closedOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function rateLimitHeaders(): Record<string, string> {
  return { 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '49', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1) };
}

function send(res: ServerResponse, reply: ScriptedReply): void {
  if (res.destroyed || res.writableEnded) return;
  const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
  res.end(body);
}
