import 'server-only';
import { translate, type Messages } from '../i18n/catalogue';
import { restartFixes } from '../i18n/error-title';
import { supportReference } from './error-page';
import { escapeHtml } from './html';

/**
 * A refused form's feedback as HTML, for step pages rendered without React (the same markup as
 * components/error-summary.tsx and components/form-alert.tsx). Without JavaScript the focus moves by `autofocus`:
 * the page that answers a refused post puts it on the summary (or the form's alert), so a screen reader reads it at
 * once and a keyboard user is one Tab from the field to fix.
 */

export interface ErrorSummaryItem {
  /** The field's id: the item links to it. */
  fieldId?: string;
  text: string;
}

/** "There is a problem", every error as a link to its field; nothing when there is no error. */
export function errorSummaryHtml({ code, items, messages }: { code: string; items: ErrorSummaryItem[]; messages: Messages }): string {
  if (items.length === 0) return '';
  const list = items.map((item) => `<li>${item.fieldId ? `<a href="#${escapeHtml(item.fieldId)}">${escapeHtml(item.text)}</a>` : escapeHtml(item.text)}</li>`).join('');
  return (
    `<div role="alert" class="alert error-summary" data-error-code="${escapeHtml(code)}" data-testid="error-summary" tabindex="-1" aria-labelledby="error-summary-title" autofocus>` +
    `<h2 id="error-summary-title">${escapeHtml(translate(messages, 'common.error_summary_title'))}</h2><ul>${list}</ul></div>`
  );
}

/** The error under a field, tied to its input by `aria-describedby` (the summary above is the announced alert). */
export function fieldErrorsHtml({ id, code, messages }: { id: string; code: string; messages: string[] }): string {
  if (messages.length === 0) return '';
  const paragraphs = [...new Set(messages)].map((text) => `<p>${escapeHtml(text)}</p>`).join('');
  return `<div class="field-error" id="${escapeHtml(id)}" data-error-code="${escapeHtml(code)}">${paragraphs}</div>`;
}

export interface FormAlertInput {
  code: string;
  text: string;
  messages: Messages;
  restartUrl?: string | null | undefined;
  requestId?: string | undefined;
}

/**
 * A refusal that is not about one field (the account service did not answer, the sign-in was lost): the sentence,
 * the way back when only a new sign-in helps, and the request id for support.
 */
export function formAlertHtml({ code, text, messages, restartUrl, requestId }: FormAlertInput): string {
  const restart =
    restartUrl && restartFixes(code)
      ? `<p><a class="button secondary" href="${escapeHtml(restartUrl)}" data-testid="restart">${escapeHtml(translate(messages, 'common.start_again'))}</a></p>`
      : '';
  const reference = requestId ? supportReference(messages, requestId, { hint: false }) : '';
  return (
    `<div tabindex="-1" class="form-alert" autofocus><div role="alert" class="alert" data-error-code="${escapeHtml(code)}" tabindex="-1"><p>${escapeHtml(text)}</p></div>` +
    `${restart}${reference}</div>`
  );
}

/** A catalogue key as a sentence; the fallback key's sentence when the key is absent or unknown. */
export function messageOr(messages: Messages, key: string | undefined, fallbackKey: string): string {
  if (key) {
    const text = translate(messages, key);
    if (text !== key) return text;
  }
  return translate(messages, fallbackKey);
}
