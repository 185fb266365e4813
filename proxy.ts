import { NextResponse, type NextRequest } from 'next/server';
import { getConfig } from '@/lib/config';
import { DetourError } from '@/lib/errors';
import { FLOW_COOKIE_NAME } from '@/lib/flow/flow-cookie';
import { localeFromHeaders, refuse } from '@/lib/http/respond';
import { baseSecurityHeaders, buildContentSecurityPolicy, createNonce } from '@/lib/security/csp';
import { assertSameOriginPost } from '@/lib/security/origin-check';

const MAX_URL_LENGTH = 8 * 1024;
const FLOW_PATHS = /^\/(start|steps\/|complete|start-over)/;

/**
 * Runs before every route: a fresh CSP nonce and request id, the security headers of DESIGN rule 6, and the
 * checks that keep a refused form post from ever reaching a server action (rule 5).
 */
export function proxy(request: NextRequest): Response {
  const nonce = createNonce();
  const requestId = crypto.randomUUID();
  const { pathname } = request.nextUrl;
  const config = getConfig();
  const csp = buildContentSecurityPolicy({
    nonce,
    tenantOrigins: [config.tenant.origin, ...(config.customDomain ? [config.customDomain.origin] : [])],
    dev: process.env.NODE_ENV === 'development',
  });
  // A refusal from here is localised from Accept-Language, like every /start refusal.
  const meta = { requestId, nonce, clientIp: null, userAgent: null, locale: localeFromHeaders(request.headers) };
  const headers: Record<string, string> = {
    'Content-Security-Policy': csp,
    'X-Request-Id': requestId,
    ...baseSecurityHeaders(config.appBaseUrl),
    ...(FLOW_PATHS.test(pathname) ? { 'Cache-Control': 'no-store' } : {}),
    ...(pathname === '/start' ? { 'Referrer-Policy': 'no-referrer' } : {}),
  };

  const refusal = preflightRefusal(request, config.appBaseUrl);
  if (refusal) return withHeaders(refuse(refusal, meta, { route: pathname }), headers);

  const forwarded = new Headers(request.headers);
  forwarded.set('x-nonce', nonce);
  forwarded.set('x-request-id', requestId);
  // Next reads the nonce for its own scripts from the request's CSP header.
  forwarded.set('content-security-policy', csp);
  return withHeaders(NextResponse.next({ request: { headers: forwarded } }), headers);
}

function preflightRefusal(request: NextRequest, appBaseUrl: string): DetourError | null {
  if (request.url.length > MAX_URL_LENGTH) {
    return new DetourError('invalid_request', 414, 'This address is too long.', { reason: 'uri_too_long' });
  }
  const { pathname } = request.nextUrl;
  const isFormPost = request.method === 'POST' && (pathname.startsWith('/steps/') || pathname === '/start-over');
  if (request.method === 'POST' && !isFormPost) {
    return new DetourError('invalid_request', 405, 'This address does not accept form posts.', { reason: 'method' });
  }
  if (isFormPost) {
    try {
      assertSameOriginPost(request.headers, appBaseUrl);
    } catch (error) {
      return error as DetourError;
    }
  }
  if ((pathname.startsWith('/steps/') || pathname === '/complete') && !request.cookies.has(FLOW_COOKIE_NAME)) {
    return new DetourError('flow_missing', 401, 'No sign-in is in progress in this browser.', { reason: 'cookie_absent' });
  }
  return null;
}

function withHeaders<R extends Response>(response: R, headers: Record<string, string>): R {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|detour.css|logo.svg).*)'],
};
