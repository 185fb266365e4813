import 'server-only';
import { getConfig, type DetourConfig } from '../config';
import { DetourError, isDetourError } from '../errors';
import { logger } from '../log';
import { errorResponse } from './error-page';

export interface RequestMeta {
  requestId: string;
  nonce: string;
  clientIp: string | null;
  userAgent: string | null;
}

/** proxy.ts puts the nonce and request id on every request it forwards. */
export function requestMeta(headers: Headers): RequestMeta {
  return {
    requestId: headers.get('x-request-id') ?? crypto.randomUUID(),
    nonce: headers.get('x-nonce') ?? '',
    clientIp: headers.get('x-forwarded-for')?.split(',')[0]?.trim() || headers.get('x-real-ip') || null,
    userAgent: headers.get('user-agent')?.slice(0, 512) ?? null,
  };
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
  const config = safeConfig();
  const branding = config?.steps.branding;
  return errorResponse(
    {
      error: detourError,
      requestId: meta.requestId,
      nonce: meta.nonce,
      productName: branding?.product_name ?? 'Sign-in',
      logo: branding?.logo,
      primaryColor: branding?.primary_color ?? '#4f46e5',
      restartUrl: config?.loginRestartUrl ?? null,
    },
    extraHeaders,
  );
}
