import 'server-only';
import { z } from 'zod';
import type { ManagementApi } from '../auth0';
import { getConfig, type DetourConfig } from '../config';
import { DetourError, isDetourError } from '../errors';
import type { RequestMeta } from '../http/respond';
import { flowLogId, logger } from '../log';
import { countFlowEvent } from '../metrics/flow-events';
import { getManagementApi, getStores } from '../runtime';
import { assertSameOriginPost } from '../security/origin-check';
import { getStep } from '../steps/registry';
import type { StepOutcome } from '../steps/types';
import type { Stores } from '../store';
import { formDataToObject } from './form-data';
import { openFlowCookie, sealFlow } from './flow-cookie';
import { stepContext } from './step-context';
import { canShowStep, markCompleted, pathForNext, type FlowState } from './flow-state';
import type { StepActionState } from './step-action-state';

export interface SubmitStepInput {
  formData: FormData;
  /** The request's headers: Origin and Sec-Fetch-Site are checked again here (DESIGN rule 5). */
  headers: Headers;
  /** The flow cookie's value as the request carried it (undefined when absent). */
  cookieValue: string | undefined;
  meta: RequestMeta;
}

/** What the work needs from the process; each defaults to the process-wide one (tests pass their own). */
export interface SubmitStepDependencies {
  config?: DetourConfig;
  stores?: () => Promise<Stores>;
  managementApi?: () => ManagementApi;
  now?: () => Date;
}

export type SubmitStepResult =
  | { kind: 'advanced'; sealed: string; expiresAt: number; nextPath: string; flow: FlowState }
  /** The step stays on its page with a notice (StepOutcome.stay); the flow and its cookie are unchanged. */
  | { kind: 'stayed'; state: StepActionState; flow: FlowState }
  /** The flow ended without finishing (StepOutcome.end): the caller forgets the cookie and shows the page. */
  | { kind: 'ended'; end: NonNullable<StepOutcome['end']>; flow: FlowState }
  | {
      kind: 'refused';
      state: StepActionState;
      /** The HTTP status a handler answers with: 422 for field errors, the DetourError's own status otherwise. */
      status: number;
      /** The flow when the cookie could be opened, so the step page can be shown again around the errors. */
      flow?: FlowState;
    };

/**
 * A step's form submission (each one is a public POST endpoint, docs/design.md rule 5): check the origin and
 * the flow cookie again, validate with the step's schema, write, then advance. Advanced, the caller sets the new
 * sealed cookie and sends the browser to `nextPath`; refused, it shows the form again with `state` (the input kept,
 * secrets never echoed) and nothing was written.
 */
export async function submitStep(stepId: string, input: SubmitStepInput, dependencies: SubmitStepDependencies = {}): Promise<SubmitStepResult> {
  const { meta } = input;
  // Secret fields (the step says which) are never echoed back into a refused form.
  const values = keptValues(input.formData, new Set(getStep(stepId)?.secretFields ?? []));
  let flow: FlowState | undefined;
  try {
    const config = dependencies.config ?? getConfig();
    assertSameOriginPost(input.headers, config.appBaseUrl);
    flow = await openFlowCookie(input.cookieValue, config.flowCookieKey);
    const step = getStep(stepId);
    if (!step || !canShowStep(flow, stepId, step.revisitable ?? true)) {
      throw new DetourError('invalid_request', 400, 'This step is not the one your sign-in is on.', { reason: 'step_out_of_order' });
    }
    const parsed = step.formSchema({ flow, config }).safeParse(formDataToObject(input.formData));
    if (!parsed.success) {
      countFlowEvent('step_refused', { step: stepId, code: 'validation_failed' });
      return {
        kind: 'refused',
        status: 422,
        flow,
        state: { status: 'error', code: 'validation_failed', fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>, values, requestId: meta.requestId },
      };
    }
    const stores = await (dependencies.stores ?? getStores)();
    const managementApi = (dependencies.managementApi ?? getManagementApi)();
    const outcome = await step.persist(stepContext({ flow, config, stores, managementApi, meta, now: dependencies.now?.() ?? new Date() }), parsed.data);
    if (outcome.end) {
      logger.info({ event: 'flow_ended', route: `/steps/${stepId}`, request_id: meta.requestId, flow_id: flowLogId(flow), step: stepId, code: outcome.end.code }, 'flow_ended');
      countFlowEvent('flow_ended', { step: stepId, code: outcome.end.code });
      return { kind: 'ended', end: outcome.end, flow };
    }
    if (outcome.stay) {
      return { kind: 'stayed', flow, state: { status: 'notice', messageKey: outcome.stay.messageKey, ...(outcome.stay.params ? { messageParams: outcome.stay.params } : {}), requestId: meta.requestId } };
    }
    const advanced = recordOutcome(flow, stepId, outcome);
    const sealed = await sealFlow(advanced, config.flowCookieKey);
    logger.info({ event: 'step_completed', route: `/steps/${stepId}`, request_id: meta.requestId, flow_id: flowLogId(flow), step: stepId }, 'step_completed');
    countFlowEvent('step_completed', { step: stepId });
    return { kind: 'advanced', sealed, expiresAt: advanced.expires_at, nextPath: pathForNext(advanced), flow: advanced };
  } catch (error) {
    return { ...refusal(error, stepId, meta.requestId, values), ...(flow ? { flow } : {}) };
  }
}

function recordOutcome(flow: FlowState, stepId: string, outcome: StepOutcome): FlowState {
  return {
    ...flow,
    completed: markCompleted(flow, stepId),
    results: outcome.claim ? { ...flow.results, [stepId]: outcome.claim } : flow.results,
    written_by_action: outcome.writtenByAction
      ? [...new Set([...(flow.written_by_action ?? []), stepId])]
      : (flow.written_by_action ?? []).filter((id) => id !== stepId),
  };
}

function refusal(error: unknown, stepId: string, requestId: string, values: Record<string, string | string[]>): { kind: 'refused'; state: StepActionState; status: number } {
  if (!isDetourError(error)) {
    logger.error({ route: `/steps/${stepId}`, request_id: requestId, err: error }, 'unexpected error in step action');
    countFlowEvent('step_refused', { step: stepId, code: 'misconfigured' });
    return { kind: 'refused', status: 500, state: { status: 'error', code: 'misconfigured', values, requestId } };
  }
  logger.info({ event: 'step_refused', route: `/steps/${stepId}`, request_id: requestId, step: stepId, code: error.code, reason: error.details.reason }, 'step_refused');
  countFlowEvent('step_refused', { step: stepId, code: error.code });
  return {
    kind: 'refused',
    status: error.code === 'validation_failed' ? 422 : error.status,
    state: {
      status: 'error',
      code: error.code,
      ...(error.details.reason ? { messageKey: `${stepId}.errors.${error.details.reason}` } : {}),
      ...(error.details.retryAfterSeconds ? { retryAfterSeconds: error.details.retryAfterSeconds } : {}),
      ...(error.details.params ? { messageParams: error.details.params } : {}),
      values,
      requestId,
    },
  };
}

function keptValues(formData: FormData, secret: ReadonlySet<string>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(formDataToObject(formData))) {
    if (secret.has(name)) continue;
    kept[name] = Array.isArray(value) ? value.slice(0, 100).map((v) => v.slice(0, 10_000)) : value.slice(0, 10_000);
  }
  return kept;
}
