import 'server-only';
import { NoticePage } from '@/components/notice-page';
import { getConfig } from '../config';
import type { RequestMeta } from '../http/respond';
import { translatorFor } from '../i18n/catalogue';
import { negotiateLocale } from '../i18n/negotiate-locale';
import { htmlResponse } from '../web/render';
import { FLOW_COOKIE_NAME, FORGET_FLOW_COOKIE, openFlowCookie } from './flow-cookie';
import { readCookie } from './read-cookie';

/** POST /start-over: the flow cookie is cleared, and the page says how to begin again, in the flow's language. */
export async function startOverResponse(request: Request, meta: RequestMeta): Promise<Response> {
  const config = getConfig();
  const { branding, locales } = config.steps;
  // Without a (readable) flow, Accept-Language decides.
  const flow = await openFlowCookie(readCookie(request.headers, FLOW_COOKIE_NAME), config.flowCookieKey).catch(() => null);
  const locale =
    flow && locales.supported.includes(flow.locale)
      ? flow.locale
      : negotiateLocale({ acceptLanguage: request.headers.get('accept-language'), supported: locales.supported, fallback: locales.default });
  return htmlResponse(
    <NoticePage
      t={translatorFor(locale)}
      locale={locale}
      branding={branding}
      nonce={meta.nonce}
      titleKey="start_over.title"
      bodyKey="start_over.body"
      restartUrl={config.loginRestartUrl}
    />,
    { headers: { 'Set-Cookie': FORGET_FLOW_COOKIE } },
  );
}
