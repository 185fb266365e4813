import 'server-only';
import type { StepActionState } from '../../flow/step-action-state';
import { errorSummaryHtml, fieldErrorsHtml, formAlertHtml, messageOr, type ErrorSummaryItem } from '../../http/form-feedback-html';
import { escapeHtml } from '../../http/html';
import { translate, type Messages } from '../../i18n/catalogue';

export interface TermsPageView {
  messages: Messages;
  /** The step header (lib/http/step-header-html.ts), already HTML. */
  headerHtml: string;
  /** The version in force, which the form posts back (lib/steps/terms/step.ts refuses any other). */
  version: string;
  /** The sanitised document (lib/steps/terms/document.ts): the only HTML placed as it is. */
  document: { locale: string; html: string };
  /** What changed since the version the person accepted, when there is something to say. */
  changes: { acceptedVersion: string; items: { version: string; text: string }[] } | null;
  /** The box as the page shows it: as posted after a refusal, else ticked when the step was already done. */
  checked: boolean;
  /** The refusal this page answers, or IDLE_STATE. */
  state: StepActionState;
  restartUrl: string | null;
}

/**
 * The terms step's <main> content, without a framework: a plain form post (`accept`, `version`) to /steps/terms.
 * Every text is escaped; the sanitised document is the one exception.
 */
export function termsPageBody(view: TermsPageView): string {
  const { messages, state } = view;
  const t = (key: string, values?: Record<string, string | number>) => escapeHtml(translate(messages, key, values));
  const refused = state.status === 'error';
  const fieldKey = state.fieldErrors?.accept?.[0];
  const fieldError = fieldKey ? messageOr(messages, fieldKey, 'errors.validation_failed') : null;
  const summary: ErrorSummaryItem[] = fieldError ? [{ fieldId: 'accept', text: fieldError }] : [];
  if (refused && state.code === 'validation_failed' && summary.length === 0) {
    // A refusal that names no field of this form (the terms changed while the page was open).
    summary.push({ text: messageOr(messages, state.messageKey, 'errors.validation_failed') });
  }
  const formAlert =
    refused && state.code !== 'validation_failed'
      ? formAlertHtml({
          code: state.code ?? 'misconfigured',
          text: messageOr(messages, state.messageKey, `errors.${state.code ?? 'misconfigured'}`),
          messages,
          restartUrl: view.restartUrl,
          requestId: state.requestId,
        })
      : '';
  const changes = view.changes
    ? `<section class="changes" aria-labelledby="changes-heading"><h2 id="changes-heading">${t('terms.changes_heading', { version: view.changes.acceptedVersion })}</h2><ul>${view.changes.items
        .map((change) => `<li><strong>${escapeHtml(change.version)}</strong>: ${escapeHtml(change.text)}</li>`)
        .join('')}</ul></section>`
    : '';
  const invalid = fieldError ? ' aria-invalid="true" aria-describedby="accept-error"' : '';
  return [
    view.headerHtml,
    `<h1>${t('terms.title')}</h1>`,
    `<p class="muted">${t('terms.intro', { version: view.version })}</p>`,
    changes,
    `<section class="document" aria-label="${t('terms.document_label', { version: view.version })}" tabindex="0" lang="${escapeHtml(view.document.locale)}">${view.document.html}</section>`,
    '<form method="post" action="/steps/terms" novalidate>',
    formAlert,
    errorSummaryHtml({ code: 'validation_failed', items: summary, messages }),
    `<input type="hidden" name="version" value="${escapeHtml(view.version)}">`,
    `<div class="check" data-field="accept"><input id="accept" type="checkbox" name="accept" value="on"${view.checked ? ' checked' : ''}${invalid}><label for="accept">${t('terms.accept_label')}</label></div>`,
    fieldErrorsHtml({ id: 'accept-error', code: 'validation_failed', messages: fieldError ? [fieldError] : [] }),
    `<div class="actions"><button type="submit" class="button">${t('terms.submit')}</button></div>`,
    '</form>',
  ].join('\n');
}
