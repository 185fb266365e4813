/**
 * The whole-login scenario: virtual users, each looping start → step page → form post → /complete against one Detour
 * for a fixed time, as a person's browser would (one keep-alive connection per user, no JavaScript). A login counts
 * only when all four requests answered as expected; a failed one is counted by the request that failed.
 */
import http from 'node:http';
import { carriesReturnToken, termsPostBody } from './forms.mts';

export const LOGIN_REQUESTS = ['start', 'terms page', 'terms post', 'complete'] as const;
export type LoginRequest = (typeof LOGIN_REQUESTS)[number];

export interface WholeLoginOptions {
  /** Detour's origin, e.g. http://127.0.0.1:15812. */
  detourUrl: string;
  users: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** A fresh /start path (one-time session token) per login. */
  nextStartPath: () => string;
}

export interface WholeLoginResult {
  logins: number;
  logins_per_s: number;
  login_p50_ms: number;
  login_p99_ms: number;
  /** Logins that failed, by the request that failed (a healthy run has none). */
  failures: Record<LoginRequest, number>;
  /** The first failure of each kind, to say what went wrong. */
  first_failures: Partial<Record<LoginRequest, string>>;
  /** p99 of each request on its own, over the counted logins' requests. */
  request_p99_ms: Record<LoginRequest, number>;
}

interface Answer {
  status: number;
  cookie: string | null;
  location: string | undefined;
  body: string;
}

class LoginFailed extends Error {
  constructor(
    readonly request: LoginRequest,
    detail: string,
  ) {
    super(detail);
  }
}

const FLOW_COOKIE = '__Host-detour-flow=';

function send(agent: http.Agent, url: URL, method: 'GET' | 'POST', headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { agent, method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const cookie = (response.headers['set-cookie'] ?? []).find((value) => value.startsWith(FLOW_COOKIE));
        resolve({
          status: response.statusCode ?? 0,
          cookie: cookie ? cookie.slice(0, cookie.indexOf(';')) : null,
          location: response.headers.location,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}


/** One login, start to hand-back; the time each request took. Throws LoginFailed naming the request that failed. */
async function login(agent: http.Agent, options: WholeLoginOptions): Promise<number[]> {
  const base = new URL(options.detourUrl);
  const timings: number[] = [];
  const timed = async (request: LoginRequest, run: () => Promise<Answer>): Promise<Answer> => {
    const startedAt = performance.now();
    try {
      return await run();
    } catch (error) {
      throw new LoginFailed(request, error instanceof Error ? error.message : String(error));
    } finally {
      timings.push(performance.now() - startedAt);
    }
  };
  const fail = (request: LoginRequest, answer: Answer, expected: string) =>
    new LoginFailed(request, `${answer.status} (expected ${expected}) ${answer.location ?? answer.body.slice(0, 120).replaceAll('\n', ' ')}`);

  const started = await timed('start', () => send(agent, new URL(options.nextStartPath(), base), 'GET', {}));
  if (started.status !== 303 || !started.cookie) throw fail('start', started, '303 and a flow cookie');

  const page = await timed('terms page', () => send(agent, new URL('/steps/terms', base), 'GET', { cookie: started.cookie! }));
  const body = page.status === 200 ? termsPostBody(page.body) : null;
  if (body === null) throw fail('terms page', page, '200 and the terms form');

  const posted = await timed('terms post', () =>
    send(
      agent,
      new URL('/steps/terms', base),
      'POST',
      {
        cookie: started.cookie!,
        origin: base.origin,
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(body)),
      },
      body,
    ),
  );
  const toComplete = posted.location !== undefined && new URL(posted.location, base).pathname === '/complete';
  if (posted.status !== 303 || !toComplete || !posted.cookie) throw fail('terms post', posted, '303 to /complete and a new flow cookie');

  const handBack = await timed('complete', () => send(agent, new URL('/complete', base), 'GET', { cookie: posted.cookie! }));
  if (handBack.status !== 200 || !carriesReturnToken(handBack.body)) throw fail('complete', handBack, '200 and the hand-back form with a session_token');
  return timings;
}

function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!);
}

/** Every user loops logins until `seconds` have passed; a login still running then finishes but is not counted. */
async function loop(options: WholeLoginOptions, seconds: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.users });
  const deadline = performance.now() + seconds * 1000;
  const loginMs: number[] = [];
  const requestMs = Object.fromEntries(LOGIN_REQUESTS.map((request) => [request, [] as number[]])) as Record<LoginRequest, number[]>;
  const failures = Object.fromEntries(LOGIN_REQUESTS.map((request) => [request, 0])) as Record<LoginRequest, number>;
  const firstFailures: Partial<Record<LoginRequest, string>> = {};
  const user = async () => {
    while (performance.now() < deadline) {
      const startedAt = performance.now();
      try {
        const timings = await login(agent, options);
        if (performance.now() > deadline) break;
        loginMs.push(performance.now() - startedAt);
        timings.forEach((ms, index) => requestMs[LOGIN_REQUESTS[index]!].push(ms));
      } catch (error) {
        if (!(error instanceof LoginFailed)) throw error;
        failures[error.request] += 1;
        firstFailures[error.request] ??= error.message;
      }
    }
  };
  await Promise.all(Array.from({ length: options.users }, user));
  agent.destroy();
  return { loginMs, requestMs, failures, firstFailures };
}

export async function measureWholeLogin(options: WholeLoginOptions): Promise<WholeLoginResult> {
  if (options.warmupSeconds > 0) await loop(options, options.warmupSeconds);
  const { loginMs, requestMs, failures, firstFailures } = await loop(options, options.durationSeconds);
  loginMs.sort((a, b) => a - b);
  return {
    logins: loginMs.length,
    logins_per_s: Math.round((loginMs.length / options.durationSeconds) * 10) / 10,
    login_p50_ms: percentile(loginMs, 0.5),
    login_p99_ms: percentile(loginMs, 0.99),
    failures,
    first_failures: firstFailures,
    request_p99_ms: Object.fromEntries(LOGIN_REQUESTS.map((request) => [request, percentile(requestMs[request].sort((a, b) => a - b), 0.99)])) as Record<LoginRequest, number>,
  };
}
