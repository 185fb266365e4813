import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getConfig } from '../config';
import { DetourError, isDetourError } from '../errors';
import { requestMeta } from '../http/respond';
import { flowLogId, logger } from '../log';
import { countFlowEvent } from '../metrics/flow-events';
import { getManagementApi, getStores } from '../runtime';
import { assertSameOriginPost } from '../security/origin-check';
import { getStep } from '../steps/registry';
import type { StepOutcome } from '../steps/types';
import { formDataToObject } from './form-data';
import { FLOW_COOKIE_NAME, flowCookieAttributes, openFlowCookie, sealFlow } from './flow-cookie';
import { canShowStep, markCompleted, pathForNext, type FlowState } from './flow-state';
import type { StepActionState } from './step-action-state';

const NEVER_ECHOED = new Set(['password', 'confirm_password', 'current_password']);

/**
 * The body of every step's server action (each one is a public POST endpoint, DESIGN rule 5): check the
 * origin and the flow cookie again, validate with the step's schema, write, then advance. Any refusal
 * re-renders the form with the input kept and nothing written.
 */
export async function runStepAction(stepId: string, formData: FormData): Promise<StepActionState> {
  const requestHeaders = await headers();
  const meta = requestMeta(requestHeaders);
  const values = keptValues(formData);
  let nextPath: string;
  try {
    const config = getConfig();
    assertSameOriginPost(requestHeaders, config.appBaseUrl);
    const cookieStore = await cookies();
    const flow = await openFlowCookie(cookieStore.get(FLOW_COOKIE_NAME)?.value, config.flowCookieKey);
    const step = getStep(stepId);
    if (!step || !canShowStep(flow, stepId, step.revisitable ?? true)) {
      throw new DetourError('invalid_request', 400, 'This step is not the one your sign-in is on.', { reason: 'step_out_of_order' });
    }
    const parsed = step.formSchema({ flow, config }).safeParse(formDataToObject(formData));
    if (!parsed.success) {
      countFlowEvent('step_refused', { step: stepId, code: 'validation_failed' });
      return { status: 'error', code: 'validation_failed', fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>, values, requestId: meta.requestId };
    }
    const stores = await getStores();
    const outcome = await step.persist(
      {
        flow,
        config,
        managementApi: getManagementApi(),
        consentLedger: stores.consentLedger,
        stores,
        request: { clientIp: meta.clientIp, userAgent: meta.userAgent },
        now: new Date(),
      },
      parsed.data,
    );
    const advanced = recordOutcome(flow, stepId, outcome);
    cookieStore.set(FLOW_COOKIE_NAME, await sealFlow(advanced, config.flowCookieKey), flowCookieAttributes(advanced.expires_at));
    logger.info({ event: 'step_completed', route: `/steps/${stepId}`, request_id: meta.requestId, flow_id: flowLogId(flow), step: stepId }, 'step_completed');
    countFlowEvent('step_completed', { step: stepId });
    nextPath = pathForNext(advanced);
  } catch (error) {
    return failureState(error, stepId, meta.requestId, values);
  }
  redirect(nextPath);
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

function failureState(error: unknown, stepId: string, requestId: string, values: Record<string, string | string[]>): StepActionState {
  if (!isDetourError(error)) {
    logger.error({ route: `/steps/${stepId}`, request_id: requestId, err: error }, 'unexpected error in step action');
    countFlowEvent('step_refused', { step: stepId, code: 'misconfigured' });
    return { status: 'error', code: 'misconfigured', values, requestId };
  }
  logger.info({ event: 'step_refused', route: `/steps/${stepId}`, request_id: requestId, step: stepId, code: error.code, reason: error.details.reason }, 'step_refused');
  countFlowEvent('step_refused', { step: stepId, code: error.code });
  return {
    status: 'error',
    code: error.code,
    ...(error.details.reason ? { messageKey: `${stepId}.errors.${error.details.reason}` } : {}),
    ...(error.details.retryAfterSeconds ? { retryAfterSeconds: error.details.retryAfterSeconds } : {}),
    values,
    requestId,
  };
}

function keptValues(formData: FormData): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(formDataToObject(formData))) {
    if (NEVER_ECHOED.has(name)) continue;
    kept[name] = Array.isArray(value) ? value.slice(0, 100).map((v) => v.slice(0, 10_000)) : value.slice(0, 10_000);
  }
  return kept;
}
