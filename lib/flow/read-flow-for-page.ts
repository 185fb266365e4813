import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getConfig } from '../config';
import { isDetourError, type DetourError } from '../errors';
import { FLOW_COOKIE_NAME, openFlowCookie } from './flow-cookie';
import { currentStep, pathForNext, type FlowState } from './flow-state';

/**
 * For a step page: the flow from the cookie when this step is the current one; the person is sent to the
 * right step (or /complete) when it is not, and gets the refusal when there is no valid flow.
 */
export async function readFlowForStep(stepId: string): Promise<{ flow: FlowState } | { error: DetourError }> {
  const config = getConfig();
  let flow: FlowState;
  try {
    flow = await openFlowCookie((await cookies()).get(FLOW_COOKIE_NAME)?.value, config.flowCookieKey);
  } catch (error) {
    if (isDetourError(error)) return { error };
    throw error;
  }
  if (currentStep(flow) !== stepId) redirect(pathForNext(flow));
  return { flow };
}
