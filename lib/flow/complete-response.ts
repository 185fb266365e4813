import 'server-only';
import { getConfig } from '../config';
import { NO_STORE_HEADERS } from '../http/error-page';
import { renderShell } from '../http/html';
import { refuse, type RequestHead, type RequestMeta } from '../http/respond';
import { loadMessages, translate } from '../i18n/catalogue';
import { flowLogId, logger } from '../log';
import { countFlowEvent } from '../metrics/flow-events';
import { authorizeAgainTarget } from '../steps/password/authorize-again';
import { signReturnToken } from '../tokens';
import { buildContinueFormHtml } from './build-continue-form';
import { continueUrl } from './continue-target';
import { FLOW_COOKIE_NAME, openFlowCookie } from './flow-cookie';
import { currentStep, pathForNext } from './flow-state';
import { readCookie } from './read-cookie';
import { tokenParameterName } from './start-parameters';

/** Injected by tests to freeze or shift the clock. */
export interface HandBackOptions {
  now?: Date;
}

/**
 * GET /complete as a plain Request → Response: every step is done, so sign the return token and hand the browser back
 * to Auth0 with a page that needs no framework JavaScript. Answered by the route and by the fast lane of `server.ts`.
 * The page's visible button posts to POST /complete (below), so a click long after the page loaded still works.
 */
export function completeResponse(request: RequestHead, meta: RequestMeta, options: HandBackOptions = {}): Promise<Response> {
  return handBack(request, meta, { ...options, reissue: false });
}

/**
 * POST /complete (origin and flow cookie checked by the edge policy): the person pressed "Continue", maybe minutes
 * after the page loaded. Mint the return token now (it lives 60 s) and hand back at once.
 */
export function completeSubmitResponse(request: RequestHead, meta: RequestMeta, options: HandBackOptions = {}): Promise<Response> {
  return handBack(request, meta, { ...options, reissue: true });
}

async function handBack(request: RequestHead, meta: RequestMeta, options: HandBackOptions & { reissue: boolean }): Promise<Response> {
  try {
    const config = getConfig();
    const flow = await openFlowCookie(readCookie(request.headers, FLOW_COOKIE_NAME), config.flowCookieKey, options.now);
    if (currentStep(flow) !== null) {
      return new Response(null, { status: 303, headers: { ...NO_STORE_HEADERS, Location: new URL(pathForNext(flow), config.appBaseUrl).toString() } });
    }
    const event = options.reissue ? 'handback_reissued' : 'flow_completed';
    // Legacy force-password-change (a Rule's `authorize_again`): followed only to a configured tenant origin.
    const again = authorizeAgainTarget(flow, config);
    if (again) {
      logger.info({ event, route: '/complete', request_id: meta.requestId, flow_id: flowLogId(flow), completed: flow.completed, to: 'authorize_again' }, event);
      if (!options.reissue) countFlowEvent('flow_completed', { step: 'complete' });
      return new Response(null, { status: 303, headers: { ...NO_STORE_HEADERS, Location: again } });
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
    const messages = loadMessages(flow.locale);
    const title = translate(messages, 'complete.title');
    const form = buildContinueFormHtml(
      {
        action: continueUrl(flow, config),
        fields: { state: flow.state, [tokenParameterName(flow.protocol)]: token },
        // The first page's button asks for a fresh token; the page that answers that click carries one just minted.
        reissueAction: options.reissue ? undefined : '/complete',
      },
      { title, body: translate(messages, 'complete.body'), button: translate(messages, 'complete.button'), noscript: translate(messages, 'complete.noscript') },
    );
    logger.info({ event, route: '/complete', request_id: meta.requestId, flow_id: flowLogId(flow), completed: flow.completed }, event);
    if (!options.reissue) countFlowEvent('flow_completed', { step: 'complete' });
    const { branding } = config.steps;
    const html = renderShell({
      title: `${title} · ${branding.product_name}`,
      lang: flow.locale,
      productName: branding.product_name,
      logo: branding.logo,
      primaryColor: branding.primary_color,
      branding,
      nonce: meta.nonce,
      body: form.body,
      script: form.script,
    });
    return new Response(html, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', ...NO_STORE_HEADERS } });
  } catch (error) {
    return refuse(error, meta, { route: '/complete' });
  }
}
