import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { DetourConfig } from '../config';
import { refuse, requestClient, type RequestHead, type RequestMeta } from '../http/respond';
import { edgePolicy } from '../security/edge-policy';

/** A route the fast lane answers: the same Request → Response function Next's route handler calls. */
export type FastRoute = (request: RequestHead, meta: RequestMeta) => Promise<Response>;

export interface FastLaneOptions {
  /** Path (exact, no query) → handler, for GET only. */
  routes: Readonly<Record<string, FastRoute>>;
  config: () => DetourConfig;
}

/** Below this an HTML body is sent as it is: gzip would cost more than the bytes it saves. */
const COMPRESS_FROM_BYTES = 1024;

/**
 * The hot GETs of a login (`/start`, a step page that needs no React, `/complete`) answered on plain `node:http` before
 * Next's router, which costs more than all of Detour's own work on these routes (bench/README.md). Each answer is
 * the one Next's route would give: same handler, same edge policy as proxy.ts, same headers. Everything else, and
 * any method but GET, goes on to Next (`false`).
 */
export function createFastLane(options: FastLaneOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const rawUrl = req.url ?? '/';
    if (req.method !== 'GET') return false;
    const query = rawUrl.indexOf('?');
    const pathname = query === -1 ? rawUrl : rawUrl.slice(0, query);
    const route = Object.hasOwn(options.routes, pathname) ? options.routes[pathname] : undefined;
    if (!route) return false;
    void answer(route, pathname, rawUrl, req, res, options.config()).catch((error: unknown) => {
      // Only a failure to write the answer lands here: give up on this connection, not on the process.
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end();
      req.socket.destroy(error instanceof Error ? error : undefined);
    });
    return true;
  };
}

async function answer(route: FastRoute, pathname: string, rawUrl: string, req: IncomingMessage, res: ServerResponse, config: DetourConfig): Promise<void> {
  const headers = toHeaders(req);
  // The path matched a route exactly, so it starts with "/": the URL stays on our own origin whatever was sent.
  const url = new URL(config.appBaseUrl).origin + rawUrl;
  const decision = edgePolicy({ method: 'GET', url, pathname, headers }, config);
  // The handlers read the nonce and request id from `meta` (a route gets them from proxy.ts's forwarded headers).
  const meta: RequestMeta = { ...decision.meta, ...requestClient(headers) };
  const response = decision.refusal
    ? refuse(decision.refusal, decision.meta, { route: pathname })
    : await route({ url, headers }, meta).catch((error: unknown) =>
        // Handlers answer their own refusals; anything else is logged with its stack and shown as `misconfigured`.
        refuse(error, decision.meta, { route: pathname }),
      );
  await writeResponse(response, decision.responseHeaders, req, res);
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

async function writeResponse(response: Response, edgeHeaders: Record<string, string>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of response.headers) if (name !== 'set-cookie') out[name] = value;
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  // The edge's headers win, as they do when proxy.ts sets them on a route's answer.
  for (const [name, value] of Object.entries(edgeHeaders)) out[name.toLowerCase()] = value;
  let body = response.body ? Buffer.from(await response.arrayBuffer()) : null;
  if (body && body.length >= COMPRESS_FROM_BYTES && acceptsGzip(req) && String(out['content-type'] ?? '').startsWith('text/html')) {
    body = gzipSync(body);
    out['content-encoding'] = 'gzip';
    out['vary'] = 'Accept-Encoding';
  }
  out['content-length'] = String(body?.length ?? 0);
  res.writeHead(response.status, out);
  res.end(body ?? undefined);
}

function acceptsGzip(req: IncomingMessage): boolean {
  const accept = req.headers['accept-encoding'];
  return typeof accept === 'string' && /\bgzip\b/i.test(accept) && !/\bgzip\s*;\s*q=0(\.0*)?\b/i.test(accept);
}
