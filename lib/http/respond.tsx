import 'server-only';
import { getConfig, type DetourConfig } from '../config';
import { DetourError, isDetourError } from '../errors';
import { negotiateLocale } from '../i18n/negotiate-locale';
import { logger } from '../log';
import { countFlowEvent } from '../metrics/flow-events';
import { RefusalPage } from '@/components/refusal-page';
import { translatorFor } from '../i18n/catalogue';
import { htmlResponse } from '../web/render';

export interface RequestMeta {
  requestId: string;
  nonce: string;
  clientIp: string | null;
  userAgent: string | null;
  /**
   * The language of a refusal page, from Accept-Language: a refusal has no flow to take it from, and nothing from
   * an unverified token is trusted. Absent, the steps file's default locale is used.
   */
  locale?: string;
}

/** Who sent the request, for the consent ledger: the proxy's X-Forwarded-For (first entry) or X-Real-IP. */
export function requestClient(headers: Headers): Pick<RequestMeta, 'clientIp' | 'userAgent'> {
  return {
    clientIp: headers.get('x-forwarded-for')?.split(',')[0]?.trim() || headers.get('x-real-ip') || null,
    userAgent: headers.get('user-agent')?.slice(0, 512) ?? null,
  };
}

/** The supported locale Accept-Language asks for, else the steps file's default (`en` if the config cannot load). */
export function localeFromHeaders(headers: Headers): string {
  const locales = safeConfig()?.steps.locales;
  if (!locales) return 'en';
  return negotiateLocale({ acceptLanguage: headers.get('accept-language'), supported: locales.supported, fallback: locales.default });
}

function safeConfig(): DetourConfig | null {
  try {
    return getConfig();
  } catch {
    return null;
  }
}

/** Any failure becomes a refusal page; unexpected errors are logged with their stack and shown as `misconfigured`. */
export function refuse(error: unknown, meta: RequestMeta, context: { route: string }, extraHeaders: Record<string, string> = {}): Response {
  const detourError = isDetourError(error)
    ? error
    : new DetourError('misconfigured', 500, 'Something went wrong on our side.', { cause: error });
  const log = { event: 'flow_refused', route: context.route, request_id: meta.requestId, code: detourError.code, reason: detourError.details.reason, claim: detourError.details.claim };
  if (isDetourError(error)) logger.info(log, 'flow_refused');
  else logger.error({ ...log, err: error }, 'flow_refused');
  countFlowEvent('flow_refused', { route: context.route, code: detourError.code });
  return refusalResponse(detourError, meta, { status: detourError.status, headers: extraHeaders });
}

/** The refusal page of an error, without logging it (a caller that has logged, or a page that is not a failure). */
export function refusalResponse(error: Pick<DetourError, 'code'>, meta: RequestMeta, init: { status: number; headers?: Record<string, string> }): Response {
  const config = safeConfig();
  const locales = config?.steps.locales;
  const locale = meta.locale && (!locales || locales.supported.includes(meta.locale)) ? meta.locale : (locales?.default ?? 'en');
  return htmlResponse(
    <RefusalPage
      code={error.code}
      t={translatorFor(locale)}
      locale={locale}
      branding={config?.steps.branding ?? FALLBACK_BRANDING}
      nonce={meta.nonce}
      requestId={meta.requestId}
      restartUrl={config?.loginRestartUrl ?? null}
    />,
    init,
  );
}

/** When the configuration itself cannot load, the refusal still has a look and a name. */
const FALLBACK_BRANDING = { product_name: 'Sign-in', primary_color: '#4f46e5' };
