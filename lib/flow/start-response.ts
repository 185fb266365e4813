import 'server-only';
import { getConfig } from '../config';
import { refuse, type RequestMeta } from '../http/respond';
import { flowLogId, logger, type FlowEvent } from '../log';
import { countFlowEvent } from '../metrics/flow-events';
import { getStores } from '../runtime';
import { FLOW_COOKIE_NAME, flowCookieHeader, openFlowCookie, sealFlow } from './flow-cookie';
import { pathForNext } from './flow-state';
import { openFlow } from './open-flow';
import { readCookie } from './read-cookie';

// DESIGN rule 4: the token must not linger in caches or leak through Referer.
export const START_HEADERS = { 'Cache-Control': 'no-store', Pragma: 'no-cache', 'Referrer-Policy': 'no-referrer' };

/**
 * GET /start as a plain Request → Response: open the flow (lib/flow/open-flow.ts), seal it into the cookie and send
 * the browser to its first step with a clean URL, or answer the refusal page itself. Nothing here depends on Next, so
 * its route (app/start/route.ts, through lib/web/route.ts)
 * gives the same answer.
 */
export async function startResponse(request: Pick<Request, 'url' | 'headers'>, meta: RequestMeta): Promise<Response> {
  try {
    const config = getConfig();
    // Most logins arrive without a flow cookie: skip building (and throwing away) a refusal for the missing one.
    const cookie = readCookie(request.headers, FLOW_COOKIE_NAME);
    const existingFlow = cookie ? await openFlowCookie(cookie, config.flowCookieKey).catch(() => null) : null;
    const { jtiStore } = await getStores();
    const result = await openFlow(
      { params: new URL(request.url).searchParams, acceptLanguage: request.headers.get('accept-language'), existingFlow },
      { config, jtiStore, seal: (flow) => sealFlow(flow, config.flowCookieKey) },
    );
    const event: FlowEvent = result.kind === 'started' ? 'flow_started' : 'flow_resumed';
    logger.info({ event, route: '/start', request_id: meta.requestId, flow_id: flowLogId(result.flow), steps: result.flow.steps }, event);
    countFlowEvent(event, { step: 'start' });
    const headers = new Headers({ ...START_HEADERS, Location: new URL(pathForNext(result.flow), config.appBaseUrl).toString() });
    headers.append('Set-Cookie', flowCookieHeader(result.sealed, result.flow.expires_at));
    return new Response(null, { status: 303, headers });
  } catch (error) {
    return refuse(error, meta, { route: '/start' }, START_HEADERS);
  }
}
