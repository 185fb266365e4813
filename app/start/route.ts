import type { NextRequest } from 'next/server';
import { getConfig } from '@/lib/config';
import { FLOW_COOKIE_NAME, flowCookieAttributes, openFlowCookie, sealFlow } from '@/lib/flow/flow-cookie';
import { pathForNext } from '@/lib/flow/flow-state';
import { openFlow } from '@/lib/flow/open-flow';
import { requestMeta, refuse } from '@/lib/http/respond';
import { flowLogId, logger, type FlowEvent } from '@/lib/log';
import { getStores } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

// DESIGN rule 4: the token must not linger in caches or leak through Referer.
const START_HEADERS = { 'Cache-Control': 'no-store', Pragma: 'no-cache', 'Referrer-Policy': 'no-referrer' };

export async function GET(request: NextRequest): Promise<Response> {
  const meta = requestMeta(request.headers);
  try {
    const config = getConfig();
    const existingFlow = await openFlowCookie(request.cookies.get(FLOW_COOKIE_NAME)?.value, config.flowCookieKey).catch(() => null);
    const { jtiStore } = await getStores();
    const result = await openFlow(
      { params: request.nextUrl.searchParams, acceptLanguage: request.headers.get('accept-language'), existingFlow },
      { config, jtiStore, seal: (flow) => sealFlow(flow, config.flowCookieKey) },
    );
    const event: FlowEvent = result.kind === 'started' ? 'flow_started' : 'flow_resumed';
    logger.info({ event, route: '/start', request_id: meta.requestId, flow_id: flowLogId(result.flow), steps: result.flow.steps }, event);
    const response = new Response(null, {
      status: 303,
      headers: { ...START_HEADERS, Location: new URL(pathForNext(result.flow), config.appBaseUrl).toString() },
    });
    response.headers.append('Set-Cookie', serializeFlowCookie(result.sealed, result.flow.expires_at));
    return response;
  } catch (error) {
    return refuse(error, meta, { route: '/start' }, START_HEADERS);
  }
}

function serializeFlowCookie(value: string, expiresAt: number): string {
  const attributes = flowCookieAttributes(expiresAt);
  return `${FLOW_COOKIE_NAME}=${value}; Path=${attributes.path}; Expires=${attributes.expires.toUTCString()}; HttpOnly; Secure; SameSite=Lax`;
}
