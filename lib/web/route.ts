import 'server-only';
import { getConfig } from '../config';
import { DetourError } from '../errors';
import { refuse, requestClient, type RequestMeta } from '../http/respond';
import { edgePolicy, headResponse } from '../security/edge-policy';

/** A route's work for one method: the request, and what the edge policy made for it (nonce, request id, locale). */
export type RouteHandler = (request: Request, meta: RequestMeta) => Promise<Response> | Response;

export interface RouteHandlers {
  GET?: RouteHandler;
  POST?: RouteHandler;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];
export type RouteExports = Record<Method, (request: Request) => Promise<Response>>;

/**
 * Every route of app/ is made here, so every request meets the same checks before any route's work and leaves with
 * the same headers (docs/design.md rules 5, 6 and 9), whatever server runs the app: a fresh CSP nonce and request id,
 * the security headers, HEAD answered without side effects, unknown methods and foreign form posts refused, and any
 * failure shown as a refusal page with its stable code. `label` names the route in logs and metrics: a fixed path or
 * pattern (`/steps/[step]`), or a function that names a path only when the code knows it (never a path as sent).
 *
 *     export const { GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS } = route('/complete', { GET: …, POST: … });
 */
export function route(label: string | ((pathname: string) => string), handlers: RouteHandlers): RouteExports {
  const answer = (method: Method) => (request: Request) => answerRequest(label, handlers, method, request);
  return Object.fromEntries(METHODS.map((method) => [method, answer(method)])) as RouteExports;
}

async function answerRequest(routeLabel: string | ((pathname: string) => string), handlers: RouteHandlers, method: Method, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const label = typeof routeLabel === 'string' ? routeLabel : routeLabel(url.pathname);
  let meta: RequestMeta = { requestId: crypto.randomUUID(), nonce: '', clientIp: null, userAgent: null };
  let edgeHeaders: Record<string, string> = {};
  try {
    const config = getConfig();
    const decision = edgePolicy({ method, url: request.url, pathname: url.pathname, headers: request.headers }, config, {
      dev: process.env.NODE_ENV === 'development',
    });
    meta = { ...decision.meta, ...requestClient(request.headers) };
    edgeHeaders = decision.responseHeaders;
    if (decision.refusal) return withHeaders(refuse(decision.refusal, meta, { route: label }), edgeHeaders);
    if (decision.answerHead) return headResponse(decision);
    const handler = method === 'HEAD' ? handlers.GET : method === 'GET' || method === 'POST' ? handlers[method] : undefined;
    if (!handler) throw new DetourError('invalid_request', 405, 'This address does not accept this kind of request.', { reason: 'method' });
    const response = await handler(request, meta);
    // A HEAD outside the flow (a health probe) gets the GET's status and headers, without the body.
    return withHeaders(method === 'HEAD' ? new Response(null, response) : response, edgeHeaders);
  } catch (error) {
    return withHeaders(refuse(error, meta, { route: label }), edgeHeaders);
  }
}

/** The edge's headers win over a route's own, as they did when a proxy set them on every answer. */
function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
