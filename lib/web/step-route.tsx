import 'server-only';
import { StepHeader } from '@/components/step-header';
import { Page } from '@/components/page';
import { getConfig, type DetourConfig } from '../config';
import { DetourError, isDetourError } from '../errors';
import { FLOW_COOKIE_NAME, flowCookieHeader, openFlowCookie } from '../flow/flow-cookie';
import { canShowStep, pathForNext, type FlowState } from '../flow/flow-state';
import { readCookie } from '../flow/read-cookie';
import { flowForgottenResponse } from '../flow/start-over-response';
import { stepContext } from '../flow/step-context';
import { IDLE_STATE, type StepActionState } from '../flow/step-action-state';
import { submitStep } from '../flow/submit-step';
import { readFormData } from '../http/form-body';
import { seeOther } from '../http/no-store';
import type { RequestMeta } from '../http/respond';
import { translatorFor } from '../i18n/catalogue';
import { countFlowEvent } from '../metrics/flow-events';
import { getManagementApi, getStores } from '../runtime';
import { getStep, isRevisitable } from '../steps/registry';
import type { StepDefinition } from '../steps/types';
import { htmlResponse } from './render';

/**
 * GET /steps/<id>, for any registered step: the step's page when the flow in the cookie is on this step (or went back
 * to it), a 303 to where the flow stands otherwise, and the refusal when there is no valid flow (thrown: the route
 * answers it). An id no step has is `not_found`.
 */
export async function stepPageResponse(stepId: string, request: Pick<Request, 'headers'>, meta: RequestMeta): Promise<Response> {
  const step = stepOrNotFound(stepId);
  const config = getConfig();
  let flow: FlowState;
  try {
    flow = await openFlowCookie(readCookie(request.headers, FLOW_COOKIE_NAME), config.flowCookieKey);
  } catch (error) {
    if (isDetourError(error)) countFlowEvent('flow_refused', { step: step.id, code: error.code });
    throw error;
  }
  if (!canShowStep(flow, step.id, isRevisitable(step.id))) return seeOther(pathForNext(flow), config.appBaseUrl);
  const previous = flow.completed.includes(step.id) ? flow.results[step.id] : undefined;
  return stepPage(step, { config, flow, meta, state: IDLE_STATE, previous, status: 200 });
}

/**
 * POST /steps/<id>: the step's submission (lib/flow/submit-step.ts: origin and flow cookie checked again, the
 * schema, the write, the flow advanced). Accepted, a 303 to the next step with the new flow cookie; refused, the page
 * again with the input as posted (secrets left out) and the errors: 422 for a field, the refusal's own status
 * otherwise. A body over 64 KB, or one that is not a form, is refused before it is parsed.
 */
export async function stepSubmitResponse(stepId: string, request: Request, meta: RequestMeta): Promise<Response> {
  const step = stepOrNotFound(stepId);
  const formData = await readFormData(request);
  const config = getConfig();
  const result = await submitStep(step.id, { formData, headers: request.headers, cookieValue: readCookie(request.headers, FLOW_COOKIE_NAME), meta }, { config });
  if (result.kind === 'advanced') {
    const response = seeOther(result.nextPath, config.appBaseUrl);
    response.headers.append('Set-Cookie', flowCookieHeader(result.sealed, result.expiresAt));
    return response;
  }
  if (result.kind === 'ended') {
    // A step ended the flow: the page in the flow's language says why, and the cookie is forgotten.
    const { locales } = config.steps;
    const locale = locales.supported.includes(result.flow.locale) ? result.flow.locale : locales.default;
    return flowForgottenResponse({ config, meta, locale, titleKey: result.end.titleKey, bodyKey: result.end.bodyKey, status: result.end.status });
  }
  if (result.kind === 'stayed') {
    const previous = result.flow.completed.includes(step.id) ? result.flow.results[step.id] : undefined;
    return stepPage(step, { config, flow: result.flow, meta, state: result.state, previous, status: 200 });
  }
  const flow = result.flow ?? null;
  const previous = flow?.completed.includes(step.id) ? flow.results[step.id] : undefined;
  return stepPage(step, { config, flow, meta, state: result.state, previous, status: result.status });
}

interface StepPageInput {
  config: DetourConfig;
  flow: FlowState | null;
  meta: RequestMeta;
  state: StepActionState;
  previous: unknown;
  status: number;
}

async function stepPage(step: StepDefinition, { config, flow, meta, state, previous, status }: StepPageInput): Promise<Response> {
  const { steps } = config;
  const now = new Date();
  const prepared = flow && step.prepare ? await step.prepare(stepContext({ flow, config, stores: await getStores(), managementApi: getManagementApi(), meta, now })) : undefined;
  // The flow's language (chosen at /start); without a flow, Accept-Language's, as for a refusal page.
  const locale = flow && steps.locales.supported.includes(flow.locale) ? flow.locale : (meta.locale ?? steps.locales.default);
  const t = translatorFor(locale);
  const { View } = step;
  return htmlResponse(
    <Page
      title={`${t(step.titleKey)} · ${steps.branding.product_name}`}
      lang={locale}
      branding={steps.branding}
      nonce={meta.nonce}
      skipLink={t('common.skip_to_content')}
      stylesheets={step.assets?.stylesheet ? [`/assets/${step.id}.css`] : []}
      scripts={step.assets?.script ? [`/assets/${step.id}.js`] : []}
    >
      <StepHeader flow={flow} stepId={step.id} t={t} revisitable={isRevisitable} />
      <View flow={flow} config={config} t={t} locale={locale} state={state} previous={previous} prepared={prepared} now={now} />
    </Page>,
    { status },
  );
}

function stepOrNotFound(stepId: string): StepDefinition {
  const step = getStep(stepId);
  if (!step) throw new DetourError('not_found', 404, 'There is no such page.', { reason: 'unknown_step' });
  return step;
}
