import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { getMetrics, type DetourMetrics } from './registry';

const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * GET /api/metrics: off (404, as if there were no such page) unless METRICS_TOKEN is set; then only for
 * `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time.
 */
export async function metricsResponse(authorization: string | null, token: string | null, metrics: DetourMetrics = getMetrics()): Promise<Response> {
  if (!token) return new Response('Not found\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...NO_STORE } });
  if (!bearerMatches(authorization, token)) {
    return new Response('Unauthorized\n', {
      status: 401,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer realm="metrics"', ...NO_STORE },
    });
  }
  return new Response(await metrics.registry.metrics(), { status: 200, headers: { 'Content-Type': metrics.registry.contentType, ...NO_STORE } });
}

function bearerMatches(authorization: string | null, token: string): boolean {
  const presented = /^Bearer ([^\s]+)$/i.exec(authorization?.trim() ?? '')?.[1];
  if (!presented) return false;
  // Digests have equal length whatever was sent, so the comparison time says nothing about the token.
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(token));
}
