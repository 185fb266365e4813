import type { NextRequest } from 'next/server';
import { getConfig } from '@/lib/config';
import { FLOW_COOKIE_NAME, openFlowCookie } from '@/lib/flow/flow-cookie';
import { NO_STORE_HEADERS } from '@/lib/http/error-page';
import { escapeHtml, renderShell } from '@/lib/http/html';
import { requestMeta } from '@/lib/http/respond';
import { loadMessages, translate } from '@/lib/i18n/catalogue';
import { negotiateLocale } from '@/lib/i18n/negotiate-locale';

export const dynamic = 'force-dynamic';

/** "Not you? Start over": forget the flow in this browser (proxy.ts has already checked the Origin). */
export async function POST(request: NextRequest): Promise<Response> {
  const meta = requestMeta(request.headers);
  const config = getConfig();
  const { branding, locales } = config.steps;
  // The page is in the language the flow was in; without a (readable) flow, Accept-Language decides.
  const flow = await openFlowCookie(request.cookies.get(FLOW_COOKIE_NAME)?.value, config.flowCookieKey).catch(() => null);
  const locale =
    flow && locales.supported.includes(flow.locale)
      ? flow.locale
      : negotiateLocale({ acceptLanguage: request.headers.get('accept-language'), supported: locales.supported, fallback: locales.default });
  const messages = loadMessages(locale);
  const title = translate(messages, 'start_over.title');
  const restart = config.loginRestartUrl
    ? `<p><a class="button" href="${escapeHtml(config.loginRestartUrl)}">${escapeHtml(translate(messages, 'common.start_again'))}</a></p>`
    : '';
  const html = renderShell({
    title: `${title} · ${branding.product_name}`,
    lang: locale,
    productName: branding.product_name,
    logo: branding.logo,
    primaryColor: branding.primary_color,
    branding,
    nonce: meta.nonce,
    body: `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(translate(messages, 'start_over.body'))}</p>${restart}`,
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
