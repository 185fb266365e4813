import 'server-only';
import type { FlowEvent } from '../log';
import { codeLabel, stepLabel, stepOfRoute } from './labels';
import { getMetrics, type DetourMetrics } from './registry';

/**
 * Counts one outcome event where it is logged. `step` is a step id (or start/complete/start_over); `route` is a
 * request path (proxy refusals), mapped onto a known step or `other`.
 */
export function countFlowEvent(
  event: FlowEvent,
  where: { step?: string; route?: string; code?: string },
  metrics: DetourMetrics = getMetrics(),
): void {
  const step = where.route !== undefined ? stepOfRoute(where.route, metrics.knownSteps) : stepLabel(where.step, metrics.knownSteps);
  metrics.flowEvents.inc({ event, step, code: codeLabel(where.code) });
}

/** At start-up: the step ids the step registry knows, the only ones a `step` label may carry. */
export function registerKnownSteps(ids: readonly string[], metrics: DetourMetrics = getMetrics()): void {
  for (const id of ids) metrics.knownSteps.add(id);
}
