import { NextResponse, type NextRequest } from 'next/server';
import { getConfig } from '@/lib/config';
import { refuse } from '@/lib/http/respond';
import { edgePolicy, headResponse } from '@/lib/security/edge-policy';

/**
 * Runs before every route Next answers: a fresh CSP nonce and request id, the security headers of DESIGN rule 6, and
 * the checks that keep a refused form post from ever reaching a step (rule 5). The same policy runs in the fast lane
 * of `server.ts` for the routes it answers before Next (lib/security/edge-policy.ts).
 */
export function proxy(request: NextRequest): Response {
  const { pathname } = request.nextUrl;
  const decision = edgePolicy(
    { method: request.method, url: request.url, pathname, headers: request.headers },
    getConfig(),
    { dev: process.env.NODE_ENV === 'development' },
  );
  if (decision.refusal) return withHeaders(refuse(decision.refusal, decision.meta, { route: pathname }), decision.responseHeaders);
  if (decision.answerHead) return headResponse(decision);

  const forwarded = new Headers(request.headers);
  forwarded.set('x-nonce', decision.meta.nonce);
  forwarded.set('x-request-id', decision.meta.requestId);
  // Next reads the nonce for its own scripts from the request's CSP header.
  forwarded.set('content-security-policy', decision.csp);
  return withHeaders(NextResponse.next({ request: { headers: forwarded } }), decision.responseHeaders);
}

function withHeaders<R extends Response>(response: R, headers: Record<string, string>): R {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|detour.css|logo.svg).*)'],
};
