import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getConfig } from '../config';
import { isDetourError, type DetourError } from '../errors';
import { countFlowEvent } from '../metrics/flow-events';
import { FLOW_COOKIE_NAME, openFlowCookie } from './flow-cookie';
import { getStep } from '../steps/registry';
import { canShowStep, pathForNext, type FlowState } from './flow-state';

/**
 * For a step page: the flow from the cookie when this step is the current one (or a finished one the person went
 * back to); otherwise the person is sent to where the flow stands, and gets the refusal when there is no valid
 * flow. `previous` is what the step recorded the last time it was submitted, to prefill the form.
 */
export async function readFlowForStep(stepId: string): Promise<{ flow: FlowState; previous: unknown } | { error: DetourError }> {
  const config = getConfig();
  let flow: FlowState;
  try {
    flow = await openFlowCookie((await cookies()).get(FLOW_COOKIE_NAME)?.value, config.flowCookieKey);
  } catch (error) {
    if (isDetourError(error)) {
      countFlowEvent('flow_refused', { step: stepId, code: error.code });
      return { error };
    }
    throw error;
  }
  if (!canShowStep(flow, stepId, getStep(stepId)?.revisitable ?? true)) redirect(pathForNext(flow));
  return { flow, previous: flow.completed.includes(stepId) ? flow.results[stepId] : undefined };
}
