import 'server-only';
import { NoticePage } from '@/components/notice-page';
import { getConfig, type DetourConfig } from '../config';
import type { RequestMeta } from '../http/respond';
import { translatorFor } from '../i18n/catalogue';
import { negotiateLocale } from '../i18n/negotiate-locale';
import { htmlResponse } from '../web/render';
import { FLOW_COOKIE_NAME, FORGET_FLOW_COOKIE, openFlowCookie } from './flow-cookie';
import { readCookie } from './read-cookie';

/** POST /start-over: the flow cookie is cleared, and the page says how to begin again, in the flow's language. */
export async function startOverResponse(request: Request, meta: RequestMeta): Promise<Response> {
  const config = getConfig();
  const { locales } = config.steps;
  // Without a (readable) flow, Accept-Language decides.
  const flow = await openFlowCookie(readCookie(request.headers, FLOW_COOKIE_NAME), config.flowCookieKey).catch(() => null);
  const locale =
    flow && locales.supported.includes(flow.locale)
      ? flow.locale
      : negotiateLocale({ acceptLanguage: request.headers.get('accept-language'), supported: locales.supported, fallback: locales.default });
  return flowForgottenResponse({ config, meta, locale, titleKey: 'start_over.title', bodyKey: 'start_over.body' });
}

/**
 * The end of a flow that did not finish (start over, or a step's `end`): the flow cookie is forgotten and a notice
 * page, in `locale`, says what happened and how to begin again.
 */
export function flowForgottenResponse(input: { config: DetourConfig; meta: RequestMeta; locale: string; titleKey: string; bodyKey: string; status?: number }): Response {
  const { config, meta, locale, titleKey, bodyKey } = input;
  return htmlResponse(
    <NoticePage
      t={translatorFor(locale)}
      locale={locale}
      branding={config.steps.branding}
      nonce={meta.nonce}
      titleKey={titleKey}
      bodyKey={bodyKey}
      restartUrl={config.loginRestartUrl}
    />,
    { status: input.status ?? 200, headers: { 'Set-Cookie': FORGET_FLOW_COOKIE } },
  );
}
