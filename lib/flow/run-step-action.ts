import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { requestMeta } from '../http/respond';
import { FLOW_COOKIE_NAME, flowCookieAttributes } from './flow-cookie';
import type { StepActionState } from './step-action-state';
import { submitStep } from './submit-step';

/**
 * The body of a step's server action: the Next-free work of lib/flow/submit-step.ts, with the new flow cookie set
 * and the redirect done the way a server action does them. A refusal goes back to the form as its state.
 */
export async function runStepAction(stepId: string, formData: FormData): Promise<StepActionState> {
  const requestHeaders = await headers();
  const cookieStore = await cookies();
  const result = await submitStep(stepId, {
    formData,
    headers: requestHeaders,
    cookieValue: cookieStore.get(FLOW_COOKIE_NAME)?.value,
    meta: requestMeta(requestHeaders),
  });
  if (result.kind === 'refused') return result.state;
  cookieStore.set(FLOW_COOKIE_NAME, result.sealed, flowCookieAttributes(result.expiresAt));
  redirect(result.nextPath);
}
