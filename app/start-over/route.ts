import type { NextRequest } from 'next/server';
import messages from '@/messages/en.json';
import { getConfig } from '@/lib/config';
import { FLOW_COOKIE_NAME } from '@/lib/flow/flow-cookie';
import { NO_STORE_HEADERS } from '@/lib/http/error-page';
import { escapeHtml, renderShell } from '@/lib/http/html';
import { requestMeta } from '@/lib/http/respond';

export const dynamic = 'force-dynamic';

/** "Not you? Start over": forget the flow in this browser (proxy.ts has already checked the Origin). */
export async function POST(request: NextRequest): Promise<Response> {
  const meta = requestMeta(request.headers);
  const config = getConfig();
  const { branding } = config.steps;
  const restart = config.loginRestartUrl
    ? `<p><a class="button" href="${escapeHtml(config.loginRestartUrl)}">${escapeHtml(messages.common.start_again)}</a></p>`
    : '';
  const html = renderShell({
    title: messages.start_over.title,
    lang: 'en',
    productName: branding.product_name,
    logo: branding.logo,
    primaryColor: branding.primary_color,
    nonce: meta.nonce,
    body: `<h1>${escapeHtml(messages.start_over.title)}</h1><p>${escapeHtml(messages.start_over.body)}</p>${restart}`,
  });
  return new Response(html, {
    status: 200,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      ...NO_STORE_HEADERS,
      'Set-Cookie': `${FLOW_COOKIE_NAME}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax`,
    },
  });
}
