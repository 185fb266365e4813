import 'server-only';
import { currentTermsVersion, getConfig, type DetourConfig } from '../../config';
import { isDetourError } from '../../errors';
import { FLOW_COOKIE_NAME, flowCookieHeader, openFlowCookie } from '../../flow/flow-cookie';
import { canShowStep, pathForNext, type FlowState } from '../../flow/flow-state';
import { readCookie } from '../../flow/read-cookie';
import { IDLE_STATE, type StepActionState } from '../../flow/step-action-state';
import { submitStep } from '../../flow/submit-step';
import { NO_STORE_HEADERS } from '../../http/error-page';
import { readFormData } from '../../http/form-body';
import { renderShell } from '../../http/html';
import { refuse, type RequestHead, type RequestMeta } from '../../http/respond';
import { stepHeaderHtml } from '../../http/step-header-html';
import { loadMessages, translate } from '../../i18n/catalogue';
import { countFlowEvent } from '../../metrics/flow-events';
import { getStep } from '../registry';
import { loadTermsDocument } from './document';
import { termsPageBody } from './page-html';
import { changesSince } from './versions';

const STEP_ID = 'terms';
const ROUTE = '/steps/terms';
const HTML_HEADERS = { 'Content-Type': 'text/html; charset=utf-8', ...NO_STORE_HEADERS } as const;

/**
 * GET /steps/terms as a plain Request → Response (no React, no Next): the page when the flow in the cookie is on
 * this step (or went back to it), a 303 to where the flow stands otherwise, and the refusal page when there is no
 * valid flow. The page loads no JavaScript; the form is a plain post handled by `termsSubmitResponse`.
 */
export async function termsPageResponse(request: RequestHead, meta: RequestMeta): Promise<Response> {
  try {
    const config = getConfig();
    let flow: FlowState;
    try {
      flow = await openFlowCookie(readCookie(request.headers, FLOW_COOKIE_NAME), config.flowCookieKey);
    } catch (error) {
      if (isDetourError(error)) countFlowEvent('flow_refused', { step: STEP_ID, code: error.code });
      throw error;
    }
    if (!canShowStep(flow, STEP_ID, revisitable(STEP_ID))) return seeOther(pathForNext(flow), config);
    const previous = flow.completed.includes(STEP_ID) ? flow.results[STEP_ID] : undefined;
    return termsPage({ config, flow, meta, state: IDLE_STATE, checked: previous !== undefined, status: 200 });
  } catch (error) {
    return refuse(error, meta, { route: ROUTE });
  }
}

/**
 * POST /steps/terms: the step's submission (lib/flow/submit-step.ts: origin and flow cookie checked again, the
 * schema, the Management API write and the consent ledger row, the flow advanced). Accepted, a 303 to the next step
 * with the new flow cookie; refused, the page again with the box as it was posted and the errors (422 for a field,
 * the refusal's own status otherwise). A body over 64 KB, or one that is not a form, is refused before it is parsed.
 */
export async function termsSubmitResponse(request: Request, meta: RequestMeta): Promise<Response> {
  try {
    const formData = await readFormData(request);
    const config = getConfig();
    const result = await submitStep(STEP_ID, { formData, headers: request.headers, cookieValue: readCookie(request.headers, FLOW_COOKIE_NAME), meta }, { config });
    if (result.kind === 'advanced') {
      const response = seeOther(result.nextPath, config);
      response.headers.append('Set-Cookie', flowCookieHeader(result.sealed, result.expiresAt));
      return response;
    }
    return termsPage({ config, flow: result.flow ?? null, meta, state: result.state, checked: result.state.values?.accept === 'on', status: result.status });
  } catch (error) {
    return refuse(error, meta, { route: ROUTE });
  }
}

interface TermsPageInput {
  config: DetourConfig;
  /** Null when the post came without a flow this deployment can open: the form is shown again with its refusal. */
  flow: FlowState | null;
  meta: RequestMeta;
  state: StepActionState;
  checked: boolean;
  status: number;
}

function termsPage({ config, flow, meta, state, checked, status }: TermsPageInput): Response {
  const { steps } = config;
  // The flow's language (chosen at /start); without a flow, Accept-Language's, as for a refusal page.
  const locale = flow && steps.locales.supported.includes(flow.locale) ? flow.locale : (meta.locale ?? steps.locales.default);
  const messages = loadMessages(locale);
  const now = new Date();
  const version = currentTermsVersion(steps, now);
  const document = loadTermsDocument(version, locale, steps);
  const acceptedVersion = flow?.terms_accepted_version;
  const changed = changesSince(steps, acceptedVersion, now);
  const body = termsPageBody({
    messages,
    headerHtml: stepHeaderHtml({ flow, stepId: STEP_ID, messages, revisitable }),
    version: version.version,
    document,
    changes:
      acceptedVersion && changed.length > 0
        ? { acceptedVersion, items: changed.map((change) => ({ version: change.version, text: change.changes?.[locale] ?? change.changes?.[steps.locales.default] ?? '' })) }
        : null,
    checked,
    state,
    restartUrl: config.loginRestartUrl,
  });
  const html = renderShell({
    title: `${translate(messages, 'terms.title')} · ${steps.branding.product_name}`,
    lang: locale,
    productName: steps.branding.product_name,
    logo: steps.branding.logo,
    primaryColor: steps.branding.primary_color,
    branding: steps.branding,
    nonce: meta.nonce,
    skipLink: translate(messages, 'common.skip_to_content'),
    body,
  });
  return new Response(html, { status, headers: HTML_HEADERS });
}

function seeOther(path: string, config: DetourConfig): Response {
  return new Response(null, { status: 303, headers: { ...NO_STORE_HEADERS, Location: new URL(path, config.appBaseUrl).toString() } });
}

function revisitable(stepId: string): boolean {
  return getStep(stepId)?.revisitable ?? true;
}
