import 'server-only';
import { getConfig, type DetourConfig } from '../config';
import { ContinueElsewherePage, HandBackPage } from '@/components/hand-back-page';
import { seeOther } from '../http/no-store';
import type { RequestMeta } from '../http/respond';
import { translatorFor } from '../i18n/catalogue';
import { flowLogId, logger } from '../log';
import { countFlowEvent } from '../metrics/flow-events';
import { getStep } from '../steps/registry';
import { signReturnToken } from '../tokens';
import { htmlResponse } from '../web/render';
import { continueUrl } from './continue-target';
import { FLOW_COOKIE_NAME, openFlowCookie } from './flow-cookie';
import { currentStep, pathForNext, type FlowState } from './flow-state';
import { readCookie } from './read-cookie';
import { tokenParameterName } from './start-parameters';

/** Injected by tests to freeze or shift the clock. */
export interface HandBackOptions {
  now?: Date;
}

/**
 * GET /complete as a plain Request → Response: every step is done, so sign the return token and hand the browser back
 * to Auth0 with a page whose one script submits the form (components/hand-back-page.tsx). Refusals are thrown: the
 * route (lib/web/route.ts) answers them.
 * The page's visible button posts to POST /complete (below), so a click long after the page loaded still works.
 */
export function completeResponse(request: Pick<Request, 'headers'>, meta: RequestMeta, options: HandBackOptions = {}): Promise<Response> {
  return handBack(request, meta, { ...options, reissue: false });
}

/**
 * POST /complete (origin and flow cookie checked by the edge policy in lib/web/route.ts): the person pressed "Continue", maybe minutes
 * after the page loaded. Mint the return token now (it lives 60 s) and hand back at once.
 */
export function completeSubmitResponse(request: Pick<Request, 'headers'>, meta: RequestMeta, options: HandBackOptions = {}): Promise<Response> {
  return handBack(request, meta, { ...options, reissue: true });
}

async function handBack(request: Pick<Request, 'headers'>, meta: RequestMeta, options: HandBackOptions & { reissue: boolean }): Promise<Response> {
  const config = getConfig();
  const flow = await openFlowCookie(readCookie(request.headers, FLOW_COOKIE_NAME), config.flowCookieKey, options.now);
  if (currentStep(flow) !== null) {
    return seeOther(pathForNext(flow), config.appBaseUrl);
  }
  const event = options.reissue ? 'handback_reissued' : 'flow_completed';
  const log = { event, route: '/complete', request_id: meta.requestId, flow_id: flowLogId(flow), completed: flow.completed };
  // A step may send the browser elsewhere instead (the password step follows a Rule's `authorize_again`).
  const redirect = handBackRedirect(flow, config);
  if (redirect) {
    recordHandBack({ ...log, to: 'authorize_again' }, options.reissue);
    return htmlResponse(<ContinueElsewherePage t={translatorFor(flow.locale)} locale={flow.locale} branding={config.steps.branding} nonce={meta.nonce} href={redirect} />);
  }
  const [secret] = config.sessionTokenSecrets;
  if (!secret) throw new Error('no session token secret');
  const token = await signReturnToken({
    secret,
    sub: flow.sub,
    appBaseUrl: config.appBaseUrl,
    audience: config.returnTokenAudience ?? flow.iss,
    jti: flow.jti,
    state: flow.state,
    completed: flow.completed,
    // Steps configured `persist: "action"` are named so the Action knows which data it must write itself.
    results: flow.written_by_action?.length ? { ...flow.results, persist_in_action: flow.written_by_action } : flow.results,
    now: options.now,
  });
  recordHandBack(log, options.reissue);
  return htmlResponse(
    <HandBackPage
      t={translatorFor(flow.locale)}
      locale={flow.locale}
      branding={config.steps.branding}
      nonce={meta.nonce}
      action={continueUrl(flow, config)}
      fields={{ state: flow.state, [tokenParameterName(flow.protocol)]: token }}
      // The first page's button asks for a fresh token; the page that answers that click carries one just minted.
      reissueAction={options.reissue ? undefined : '/complete'}
    />,
  );
}

/** The first step of this flow that sends the browser somewhere other than Auth0's /continue, if any. */
function handBackRedirect(flow: FlowState, config: DetourConfig): string | null {
  for (const id of flow.completed) {
    const target = getStep(id)?.handBackRedirect?.(flow, config);
    if (target) return target;
  }
  return null;
}

/** One log line and, for the first page only, the completion metric (a reissue is the same completion again). */
function recordHandBack(line: Record<string, unknown> & { event: string }, reissue: boolean): void {
  logger.info(line, line.event);
  if (!reissue) countFlowEvent('flow_completed', { step: 'complete' });
}
