import 'server-only';
import type { Auth0Logger } from '../auth0';
import { identifierLabel, statusLabel } from './labels';
import { getMetrics, type DetourMetrics } from './registry';

/**
 * The Management API client takes its `fetch` and its logger from the caller (lib/runtime.ts); both are where its
 * events happen, so the metrics hook in there without the client knowing about Prometheus.
 */

function endpointOf(url: string): 'token' | 'users' | 'other' {
  const { pathname } = new URL(url);
  if (pathname === '/oauth/token') return 'token';
  return pathname.startsWith('/api/v2/users') ? 'users' : 'other';
}

function urlOf(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

/** Times every HTTP attempt to the tenant and counts token requests. Resolves `fetch` per call (tests swap it). */
export function observedFetch(base: () => typeof fetch = () => globalThis.fetch, metrics: DetourMetrics = getMetrics()): typeof fetch {
  return async (input, init) => {
    const endpoint = endpointOf(urlOf(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (endpoint === 'token') metrics.managementApiTokenRequests.inc();
    const started = performance.now();
    const observe = (status: string) =>
      metrics.managementApiRequests.observe({ endpoint, method: identifierLabel(method.toLowerCase()), status }, (performance.now() - started) / 1000);
    try {
      const response = await base()(input, init);
      observe(statusLabel(response.status));
      return response;
    } catch (error) {
      observe(error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError') ? 'timeout' : 'network_error');
      throw error;
    }
  };
}

interface CallLog {
  op?: unknown;
  outcome?: unknown;
  reason?: unknown;
  elapsedMs?: unknown;
}

/**
 * Passes every line on to `logger` and, from the fields the client logs once per attempt (`op`, `outcome`, `reason`,
 * `elapsedMs`), records how each call ended and why attempts failed.
 */
export function observedManagementLogger(logger: Auth0Logger, metrics: DetourMetrics = getMetrics()): Auth0Logger {
  const record = (fields: CallLog) => {
    if (typeof fields.outcome !== 'string') return;
    const op = identifierLabel(fields.op);
    const seconds = typeof fields.elapsedMs === 'number' ? fields.elapsedMs / 1000 : null;
    if (fields.outcome !== 'ok') metrics.managementApiErrors.inc({ op, reason: identifierLabel(fields.reason) });
    const ended = { ok: 'ok', refused: 'refused', give_up: 'gave_up' }[fields.outcome];
    if (ended && seconds !== null) metrics.managementApiCalls.observe({ op, outcome: ended }, seconds);
  };
  const level =
    (name: keyof Auth0Logger) =>
    (obj: object, msg?: string): void => {
      record(obj as CallLog);
      logger[name](obj, msg);
    };
  return { debug: level('debug'), info: level('info'), warn: level('warn'), error: level('error') };
}
