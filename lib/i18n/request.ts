import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { getConfig } from '../config';
import { FLOW_COOKIE_NAME, openFlowCookie } from '../flow/flow-cookie';
import { loadMessages } from './catalogue';
import { negotiateLocale } from './negotiate-locale';

/**
 * No locale in URLs: the flow cookie holds the locale chosen at /start (token `ui_locales`, then
 * Accept-Language, then the default); without a flow, Accept-Language decides.
 */
export default getRequestConfig(async () => {
  const cookieStore = await cookies();
  const requestHeaders = await headers();
  const config = getConfig();
  const flow = await openFlowCookie(cookieStore.get(FLOW_COOKIE_NAME)?.value, config.flowCookieKey).catch(() => null);
  const locale =
    flow && config.steps.locales.supported.includes(flow.locale)
      ? flow.locale
      : negotiateLocale({ acceptLanguage: requestHeaders.get('accept-language'), supported: config.steps.locales.supported, fallback: config.steps.locales.default });
  return { locale, messages: loadMessages(locale) };
});
