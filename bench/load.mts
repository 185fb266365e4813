/** One benchmark scenario: autocannon at fixed concurrency for a fixed duration, after a short warm-up. */
import autocannon from 'autocannon';

export interface LoadRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** A fresh path per request (one-time tokens, one flow per post). */
  path?: () => string;
  /** Per-request headers (a fresh flow cookie per post). */
  requestHeaders?: () => Record<string, string>;
  onResponse?: (status: number, headers: Record<string, string | string[] | undefined>) => void;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Statuses that count as the scenario working (a 303 from /start is success). */
  expectStatus: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  /** Responses with another status than expected, errors and timeouts: a healthy run has 0. */
  unexpected: number;
  statuses: Record<string, number>;
}

function run(options: LoadOptions, request: LoadRequest, durationSeconds: number): Promise<autocannon.Result> {
  const base = new URL(options.url);
  const dynamic = request.path || request.requestHeaders || request.onResponse;
  return autocannon({
    url: base.origin,
    connections: options.connections,
    duration: durationSeconds,
    method: request.method ?? 'GET',
    headers: request.headers,
    body: request.body,
    requests: [
      {
        method: request.method ?? 'GET',
        path: base.pathname + base.search,
        ...(request.headers ? { headers: request.headers } : {}),
        ...(request.body !== undefined ? { body: request.body } : {}),
        ...(dynamic
          ? {
              setupRequest: (req: autocannon.Request) => ({
                ...req,
                ...(request.path ? { path: request.path() } : {}),
                ...(request.requestHeaders ? { headers: { ...req.headers, ...request.headers, ...request.requestHeaders() } } : {}),
              }),
            }
          : {}),
        ...(request.onResponse
          ? { onResponse: (status: number, _body: string, _context: object, headers?: Record<string, string | string[] | undefined>) => request.onResponse!(status, headers ?? {}) }
          : {}),
      },
    ],
  });
}

export async function measure(options: LoadOptions, request: LoadRequest): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await run(options, request, options.warmupSeconds);
  const result = await run(options, request, options.durationSeconds);
  const statuses: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = (stats as { count: number }).count;
  const expected = statuses[String(options.expectStatus)] ?? 0;
  const answered = Object.values(statuses).reduce((sum, count) => sum + count, 0);
  return {
    requests: answered,
    rps: Math.round(answered / result.duration),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    unexpected: answered - expected + result.errors + result.timeouts,
    statuses,
  };
}
