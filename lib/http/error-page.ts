import 'server-only';
import { DetourError, type ErrorCode } from '../errors';
import { loadMessages, translate } from '../i18n/catalogue';
import { escapeHtml, renderShell } from './html';

export function errorSentence(code: ErrorCode | 'not_found', locale = 'en'): string {
  const sentence = translate(loadMessages(locale), `errors.${code}`);
  return sentence === `errors.${code}` ? translate(loadMessages(locale), 'errors.invalid_request') : sentence;
}

export interface ErrorPageInput {
  error: DetourError;
  requestId: string;
  nonce: string;
  productName: string;
  logo?: string | undefined;
  primaryColor: string;
  restartUrl?: string | null;
  locale?: string;
}

/**
 * The refusal page of DESIGN "How refusals look": the status, a sentence a person understands, the code on
 * the `role="alert"` element for tests and support, and never a stack trace.
 */
export function renderErrorPage(input: ErrorPageInput): string {
  const { error } = input;
  const locale = input.locale ?? 'en';
  const messages = loadMessages(locale);
  const heading = translate(messages, 'errors.heading');
  const restart = input.restartUrl
    ? `<p><a class="button secondary" href="${escapeHtml(input.restartUrl)}">${escapeHtml(translate(messages, 'common.start_again'))}</a></p>`
    : '';
  const body = `<h1>${escapeHtml(heading)}</h1>
<div role="alert" class="alert" data-error-code="${escapeHtml(error.code)}"><p>${escapeHtml(errorSentence(error.code, locale))}</p></div>
${restart}<p class="muted small">${escapeHtml(translate(messages, 'common.support_reference', { id: input.requestId }))}</p>`;
  return renderShell({
    title: heading,
    lang: locale,
    productName: input.productName,
    logo: input.logo,
    primaryColor: input.primaryColor,
    nonce: input.nonce,
    body,
  });
}

export const NO_STORE_HEADERS = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

export function errorResponse(input: ErrorPageInput, extraHeaders: Record<string, string> = {}): Response {
  return new Response(renderErrorPage(input), {
    status: input.error.status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...NO_STORE_HEADERS, ...extraHeaders },
  });
}
