import 'server-only';
import messages from '../../messages/en.json';
import { DetourError, type ErrorCode } from '../errors';
import { escapeHtml, renderShell } from './html';

const errorMessages = messages.errors as Record<string, string>;

export function errorSentence(code: ErrorCode | 'not_found'): string {
  return errorMessages[code] ?? errorMessages.invalid_request ?? 'Something went wrong.';
}

export interface ErrorPageInput {
  error: DetourError;
  requestId: string;
  nonce: string;
  productName: string;
  logo?: string | undefined;
  primaryColor: string;
  restartUrl?: string | null;
}

/**
 * The refusal page of DESIGN "How refusals look": the status, a sentence a person understands, the code on
 * the `role="alert"` element for tests and support, and never a stack trace.
 */
export function renderErrorPage(input: ErrorPageInput): string {
  const { error } = input;
  const restart = input.restartUrl
    ? `<p><a class="button secondary" href="${escapeHtml(input.restartUrl)}">${escapeHtml(messages.common.start_again)}</a></p>`
    : '';
  const body = `<h1>${escapeHtml(messages.errors.heading)}</h1>
<div role="alert" class="alert" data-error-code="${escapeHtml(error.code)}"><p>${escapeHtml(errorSentence(error.code))}</p></div>
${restart}<p class="muted small">${escapeHtml(messages.common.support_reference.replace('{id}', input.requestId))}</p>`;
  return renderShell({
    title: messages.errors.heading,
    lang: 'en',
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
