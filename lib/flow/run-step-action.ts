import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getConfig } from '../config';
import { DetourError, isDetourError } from '../errors';
import { requestMeta } from '../http/respond';
import { logger } from '../log';
import { getManagementApi, getStores } from '../runtime';
import { assertSameOriginPost } from '../security/origin-check';
import { getStep } from '../steps/registry';
import { FLOW_COOKIE_NAME, flowCookieAttributes, openFlowCookie, sealFlow } from './flow-cookie';
import { currentStep, pathForNext, type FlowState } from './flow-state';
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
    if (!step || currentStep(flow) !== stepId) {
      throw new DetourError('invalid_request', 400, 'This step is not the one your sign-in is on.', { reason: 'step_out_of_order' });
    }
    const parsed = step.schema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) {
      return { status: 'error', code: 'validation_failed', fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>, values, requestId: meta.requestId };
    }
    const { consentLedger } = await getStores();
    const claim = await step.persist(
      { flow, config, managementApi: getManagementApi(), consentLedger, request: { clientIp: meta.clientIp, userAgent: meta.userAgent }, now: new Date() },
      parsed.data,
    );
    const advanced: FlowState = { ...flow, completed: [...flow.completed, stepId], results: { ...flow.results, [stepId]: claim } };
    cookieStore.set(FLOW_COOKIE_NAME, await sealFlow(advanced, config.flowCookieKey), flowCookieAttributes(advanced.expires_at));
    logger.info({ route: `/steps/${stepId}`, request_id: meta.requestId, outcome: 'step_completed' }, 'step completed');
    nextPath = pathForNext(advanced);
  } catch (error) {
    return failureState(error, stepId, meta.requestId, values);
  }
  redirect(nextPath);
}

function failureState(error: unknown, stepId: string, requestId: string, values: Record<string, string>): StepActionState {
  if (!isDetourError(error)) {
    logger.error({ route: `/steps/${stepId}`, request_id: requestId, err: error }, 'unexpected error in step action');
    return { status: 'error', code: 'misconfigured', values, requestId };
  }
  logger.info({ route: `/steps/${stepId}`, request_id: requestId, code: error.code, reason: error.details.reason }, 'step refused');
  return {
    status: 'error',
    code: error.code,
    ...(error.details.reason ? { messageKey: `${stepId}.errors.${error.details.reason}` } : {}),
    ...(error.details.retryAfterSeconds ? { retryAfterSeconds: error.details.retryAfterSeconds } : {}),
    values,
    requestId,
  };
}

function keptValues(formData: FormData): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of formData) {
    if (name.startsWith('$') || NEVER_ECHOED.has(name) || typeof value !== 'string') continue;
    kept[name] = value.slice(0, 10_000);
  }
  return kept;
}
