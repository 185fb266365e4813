import 'server-only';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Detour's Prometheus metrics: one registry per process, kept on globalThis like lib/runtime.ts, because Next
 * bundles the proxy, route handlers, pages and server actions separately and each bundle would otherwise count into
 * its own copy. Every label value comes from a fixed set (lib/metrics/labels.ts): never a token, email, sub or path.
 */
export interface DetourMetrics {
  registry: Registry;
  /** Outcome events (lib/log.ts FlowEvent) by where they happened and, for refusals, the error code. */
  flowEvents: Counter<'event' | 'step' | 'code'>;
  /** One HTTP request to the tenant (token endpoint or users API), each attempt on its own. */
  managementApiRequests: Histogram<'endpoint' | 'method' | 'status'>;
  /** Client-credentials token requests (Auth0 meters them per tenant). */
  managementApiTokenRequests: Counter<never>;
  /** One Management API call as a step sees it: all its attempts and waits, by how it ended. */
  managementApiCalls: Histogram<'op' | 'outcome'>;
  /** Failed attempts (retried or not), by the reason the client gave. */
  managementApiErrors: Counter<'op' | 'reason'>;
  /** One store operation (jti claim, ledger row, rate-limit hit, ping). */
  storeOperations: Histogram<'store' | 'backend' | 'operation' | 'outcome'>;
  /** Step ids that may appear as a `step` label (set at start-up from the step registry). */
  knownSteps: Set<string>;
}

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A fresh registry with Detour's metrics; `getMetrics()` holds the process's own. Tests make their own. */
export function createMetrics(options: { processMetrics?: boolean } = {}): DetourMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    flowEvents: new Counter({
      name: 'detour_flow_events_total',
      help: 'Flow outcomes (flow_started, flow_resumed, step_completed, step_refused, flow_completed, flow_refused, flow_ended) by step (or start, complete, start_over, other) and error code',
      labelNames: ['event', 'step', 'code'] as const,
      registers,
    }),
    managementApiRequests: new Histogram({
      name: 'detour_management_api_request_duration_seconds',
      help: 'HTTP requests to the Auth0 tenant (token endpoint or users API), one per attempt, by HTTP status (or network_error)',
      labelNames: ['endpoint', 'method', 'status'] as const,
      buckets: SECONDS,
      registers,
    }),
    managementApiTokenRequests: new Counter({
      name: 'detour_management_api_token_requests_total',
      help: 'Client-credentials token requests sent to the tenant (cached until shortly before expiry)',
      registers,
    }),
    managementApiCalls: new Histogram({
      name: 'detour_management_api_call_duration_seconds',
      help: 'Management API calls including retries and waits, by operation and outcome (ok, refused, gave_up)',
      labelNames: ['op', 'outcome'] as const,
      buckets: SECONDS,
      registers,
    }),
    managementApiErrors: new Counter({
      name: 'detour_management_api_errors_total',
      help: 'Failed Management API attempts by operation and reason (rate_limited, server_error, timeout, …)',
      labelNames: ['op', 'reason'] as const,
      registers,
    }),
    storeOperations: new Histogram({
      name: 'detour_store_operation_duration_seconds',
      help: 'Store operations (used jtis, consent ledger, rate limits) by backend, operation and outcome',
      labelNames: ['store', 'backend', 'operation', 'outcome'] as const,
      buckets: SECONDS,
      registers,
    }),
    knownSteps: new Set(),
  };
}

const holder = globalThis as { __detourMetrics?: DetourMetrics };

export function getMetrics(): DetourMetrics {
  return (holder.__detourMetrics ??= createMetrics());
}
