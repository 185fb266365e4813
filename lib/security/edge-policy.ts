import type { DetourConfig } from '../config';
import { DetourError } from '../errors';
import { FLOW_COOKIE_NAME } from '../flow/flow-cookie';
import { readCookie } from '../flow/read-cookie';
import { localeFromHeaders, type RequestMeta } from '../http/respond';
import { baseSecurityHeaders, buildContentSecurityPolicy, createNonce } from './csp';
import { assertSameOriginPost } from './origin-check';

const MAX_URL_LENGTH = 8 * 1024;
const FLOW_PATHS = /^\/(start|steps\/|complete|start-over)/;
/** Where a form may be posted: each step, the hand-back (to mint a fresh return token) and "start over". */
const FORM_POST_PATHS = /^\/(steps\/[^/]+|complete|start-over)$/;

export interface EdgeRequest {
  method: string;
  /** The whole URL as received (its length is checked). */
  url: string;
  pathname: string;
  headers: Headers;
}

export interface EdgeDecision {
  /** The headers every answer to this request carries (DESIGN rule 6). */
  responseHeaders: Record<string, string>;
  /** What the handlers behind the edge read: nonce, request id, locale (lib/http/respond.ts `requestMeta`). */
  meta: RequestMeta;
  csp: string;
  /** Set when the request must be refused before any route runs. */
  refusal: DetourError | null;
  /**
   * HEAD on a flow route: answered here with the headers alone (`headResponse`), never by the route. HEAD is a safe
   * method (RFC 9110 §9.3.2): a link scanner's HEAD must not claim a jti, set a cookie, advance or log a flow.
   */
  answerHead: boolean;
}

/**
 * What happens to every request before a route's own work, in every route (lib/web/route.ts): a fresh CSP nonce
 * and request id, the security headers, and the refusals that keep a bad form post from reaching a step (rule 5).
 */
export function edgePolicy(request: EdgeRequest, config: DetourConfig, options: { dev?: boolean } = {}): EdgeDecision {
  const nonce = createNonce();
  const requestId = crypto.randomUUID();
  const { pathname } = request;
  const isFlowPath = FLOW_PATHS.test(pathname);
  const csp = buildContentSecurityPolicy({ nonce, handBack: pathname === '/complete', dev: options.dev ?? false });
  const responseHeaders: Record<string, string> = {
    'Content-Security-Policy': csp,
    'X-Request-Id': requestId,
    ...baseSecurityHeaders(config.appBaseUrl),
    ...(isFlowPath ? { 'Cache-Control': 'no-store' } : {}),
    ...(pathname === '/start' ? { 'Referrer-Policy': 'no-referrer' } : {}),
  };
  // A refusal from here is localised from Accept-Language, like every /start refusal.
  const meta: RequestMeta = { requestId, nonce, clientIp: null, userAgent: null, locale: localeFromHeaders(request.headers) };
  const answerHead = request.method === 'HEAD' && isFlowPath && request.url.length <= MAX_URL_LENGTH;
  return { responseHeaders, meta, csp, refusal: answerHead ? null : preflightRefusal(request, config.appBaseUrl, isFlowPath), answerHead };
}

/** The answer to a HEAD on a flow route: the page's headers, no body, nothing done (see EdgeDecision.answerHead). */
export function headResponse(decision: EdgeDecision): Response {
  return new Response(null, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', ...decision.responseHeaders } });
}

function preflightRefusal(request: EdgeRequest, appBaseUrl: string, isFlowPath: boolean): DetourError | null {
  const { pathname, method } = request;
  if (request.url.length > MAX_URL_LENGTH) {
    return new DetourError('invalid_request', 414, 'This address is too long.', { reason: 'uri_too_long' });
  }
  const isFormPost = method === 'POST' && FORM_POST_PATHS.test(pathname);
  if (method === 'POST' && !isFormPost) {
    return new DetourError('invalid_request', 405, 'This address does not accept form posts.', { reason: 'method' });
  }
  // A flow route is read with GET (and HEAD) and written with a form POST; PUT, DELETE, OPTIONS … change nothing.
  if (isFlowPath && method !== 'GET' && method !== 'POST') {
    return new DetourError('invalid_request', 405, 'This address does not accept this kind of request.', { reason: 'method' });
  }
  if (isFormPost) {
    try {
      assertSameOriginPost(request.headers, appBaseUrl);
    } catch (error) {
      return error as DetourError;
    }
  }
  if ((pathname.startsWith('/steps/') || pathname === '/complete') && readCookie(request.headers, FLOW_COOKIE_NAME) === undefined) {
    return new DetourError('flow_missing', 401, 'No sign-in is in progress in this browser.', { reason: 'cookie_absent' });
  }
  return null;
}
