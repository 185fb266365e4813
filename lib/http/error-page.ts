import 'server-only';
import type { Branding } from '../config/steps-file';
import type { DetourError, ErrorCode } from '../errors';
import { loadMessages, translate, type Messages } from '../i18n/catalogue';
import { errorTitle, restartFixes } from '../i18n/error-title';
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
  branding?: Branding | undefined;
  restartUrl?: string | null;
  locale?: string;
}

/**
 * The refusal page of DESIGN "How refusals look": what happened in a heading a person recognises, a sentence
 * saying what to do next, the way back ("start the sign-in again", when LOGIN_RESTART_URL is set), and the request
 * id as a support reference; the code on the `role="alert"` element for tests and support, never a stack trace.
 */
export function renderErrorPage(input: ErrorPageInput): string {
  const { error } = input;
  const locale = input.locale ?? 'en';
  const messages = loadMessages(locale);
  const heading = translate(messages, `errors.titles.${errorTitle(error.code)}`);
  const body = `<h1>${escapeHtml(heading)}</h1>
<div role="alert" class="alert" data-error-code="${escapeHtml(error.code)}"><p>${escapeHtml(errorSentence(error.code, locale))}</p></div>
${nextSteps(messages, error.code, input.restartUrl ?? null, input.branding?.support_url)}
${supportReference(messages, input.requestId)}`;
  return renderShell({
    title: `${heading} · ${input.productName}`,
    lang: locale,
    productName: input.productName,
    logo: input.logo,
    primaryColor: input.primaryColor,
    branding: input.branding,
    nonce: input.nonce,
    body,
  });
}

/** The "start the sign-in again" button (and a support link) under a refusal; nothing when neither is configured. */
export function nextSteps(messages: Messages, code: string, restartUrl: string | null, supportUrl?: string): string {
  const links: string[] = [];
  if (restartUrl) {
    const kind = restartFixes(code) ? 'button' : 'button secondary';
    links.push(`<a class="${kind}" href="${escapeHtml(restartUrl)}" data-testid="restart">${escapeHtml(translate(messages, 'common.start_again'))}</a>`);
  }
  if (supportUrl) links.push(`<a href="${escapeHtml(supportUrl)}">${escapeHtml(translate(messages, 'common.contact_support'))}</a>`);
  return links.length > 0 ? `<div class="actions">${links.join(' ')}</div>` : '';
}

/**
 * "If this keeps happening…" and the request id, which every log line of this request carries. Under a form's own
 * alert (lib/http/form-feedback-html.ts) the reference stands alone: `hint: false`.
 */
export function supportReference(messages: Messages, requestId: string, { hint = true }: { hint?: boolean } = {}): string {
  const marker = '\u0000id\u0000';
  const reference = escapeHtml(translate(messages, 'common.support_reference', { id: marker })).replace(
    marker,
    `<code dir="ltr" data-testid="support-reference">${escapeHtml(requestId)}</code>`,
  );
  const before = hint ? `${escapeHtml(translate(messages, 'common.support_hint'))}<br>` : '';
  return `<p class="support muted small">${before}${reference}</p>`;
}

export const NO_STORE_HEADERS = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

export function errorResponse(input: ErrorPageInput, extraHeaders: Record<string, string> = {}): Response {
  return new Response(renderErrorPage(input), {
    status: input.error.status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...NO_STORE_HEADERS, ...extraHeaders },
  });
}
