import type { DetourConfig } from '../config';
import { DetourError } from '../errors';
import { FLOW_COOKIE_NAME } from '../flow/flow-cookie';
import { readCookie } from '../flow/read-cookie';
import { localeFromHeaders, type RequestMeta } from '../http/respond';
import { baseSecurityHeaders, buildContentSecurityPolicy, createNonce } from './csp';
import { assertSameOriginPost } from './origin-check';

const MAX_URL_LENGTH = 8 * 1024;
const FLOW_PATHS = /^\/(start|steps\/|complete|start-over)/;

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
}

/**
 * What happens to every request before a route sees it, wherever it is answered: in `proxy.ts` for Next's routes and
 * in the fast lane of `server.ts` (lib/server/fast-lane.ts). One function, so both answer alike: a fresh CSP nonce
 * and request id, the security headers, and the refusals that keep a bad form post from reaching a step (rule 5).
 */
export function edgePolicy(request: EdgeRequest, config: DetourConfig, options: { dev?: boolean } = {}): EdgeDecision {
  const nonce = createNonce();
  const requestId = crypto.randomUUID();
  const { pathname } = request;
  const csp = buildContentSecurityPolicy({
    nonce,
    tenantOrigins: [config.tenant.origin, ...(config.customDomain ? [config.customDomain.origin] : [])],
    dev: options.dev ?? false,
  });
  const responseHeaders: Record<string, string> = {
    'Content-Security-Policy': csp,
    'X-Request-Id': requestId,
    ...baseSecurityHeaders(config.appBaseUrl),
    ...(FLOW_PATHS.test(pathname) ? { 'Cache-Control': 'no-store' } : {}),
    ...(pathname === '/start' ? { 'Referrer-Policy': 'no-referrer' } : {}),
  };
  // A refusal from here is localised from Accept-Language, like every /start refusal.
  const meta: RequestMeta = { requestId, nonce, clientIp: null, userAgent: null, locale: localeFromHeaders(request.headers) };
  return { responseHeaders, meta, csp, refusal: preflightRefusal(request, config.appBaseUrl) };
}

function preflightRefusal(request: EdgeRequest, appBaseUrl: string): DetourError | null {
  const { pathname, method } = request;
  if (request.url.length > MAX_URL_LENGTH) {
    return new DetourError('invalid_request', 414, 'This address is too long.', { reason: 'uri_too_long' });
  }
  const isFormPost = method === 'POST' && (pathname.startsWith('/steps/') || pathname === '/start-over');
  if (method === 'POST' && !isFormPost) {
    return new DetourError('invalid_request', 405, 'This address does not accept form posts.', { reason: 'method' });
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
