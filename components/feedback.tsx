import type { ReactNode } from 'react';
import { restartFixes } from '@/lib/i18n/error-title';
import type { StepActionState } from '@/lib/flow/step-action-state';
import type { Translate } from '@/lib/i18n/catalogue';

/** Every error a person sees sits in a `role="alert"` element carrying its stable code (docs/design.md "How refusals look"). */
export function ErrorAlert({ code, children, id }: { code: string; children: ReactNode; id?: string }) {
  return (
    <div role="alert" className="alert" data-error-code={code} id={id} tabIndex={-1}>
      <p>{children}</p>
    </div>
  );
}

export interface ErrorSummaryItem {
  /** The field's id: the item links to it. */
  fieldId?: string;
  text: string;
}

/**
 * "There is a problem", at the top of a refused form: every error as a link to its field. The page that answers a
 * refused post gives it `autofocus`, so a screen reader reads it at once and a keyboard user is one Tab from the
 * first field to fix; a step's script moves the focus here the same way when it stops a post in the browser.
 */
export function ErrorSummary({ code, items, t }: { code: string; items: readonly ErrorSummaryItem[]; t: Translate }) {
  if (items.length === 0) return null;
  return (
    <div role="alert" className="alert error-summary" data-error-code={code} data-testid="error-summary" tabIndex={-1} aria-labelledby="error-summary-title" autoFocus>
      <h2 id="error-summary-title">{t('common.error_summary_title')}</h2>
      <ul>
        {items.map((item) => (
          <li key={`${item.fieldId ?? ''}:${item.text}`}>{item.fieldId ? <a href={`#${item.fieldId}`}>{item.text}</a> : item.text}</li>
        ))}
      </ul>
    </div>
  );
}

/** The error under a field, tied to its input by `aria-describedby` (the summary above is the announced alert). */
export function FieldErrors({ id, code, messages }: { id: string; code: string; messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <div className="field-error" id={id} data-error-code={code}>
      {[...new Set(messages)].map((text) => (
        <p key={text}>{text}</p>
      ))}
    </div>
  );
}

/**
 * "Support reference: <code>id</code>" (after an optional "if this keeps happening…" line). The id is isolated
 * left-to-right, so a right-to-left page does not reorder its dashes.
 */
export function SupportReference({ t, requestId, hint = true }: { t: Translate; requestId: string; hint?: boolean }) {
  const marker = '\u0000';
  const [before = '', after = ''] = t('common.support_reference', { id: marker }).split(marker);
  return (
    <p className="support muted small">
      {hint ? (
        <>
          {t('common.support_hint')}
          <br />
        </>
      ) : null}
      {before}
      <code dir="ltr" data-testid="support-reference">
        {requestId}
      </code>
      {after}
    </p>
  );
}

/** The "start the sign-in again" button (and a support link) under a refusal; nothing when neither is configured. */
export function NextSteps({ t, code, restartUrl, supportUrl }: { t: Translate; code: string; restartUrl: string | null; supportUrl?: string | undefined }) {
  if (!restartUrl && !supportUrl) return null;
  return (
    <div className="actions">
      {restartUrl ? (
        <a className={restartFixes(code) ? 'button' : 'button secondary'} href={restartUrl} data-testid="restart">
          {t('common.start_again')}
        </a>
      ) : null}{' '}
      {supportUrl ? <a href={supportUrl}>{t('common.contact_support')}</a> : null}
    </div>
  );
}

export interface FormAlertProps {
  t: Translate;
  code: string;
  text: string;
  restartUrl?: string | null | undefined;
  requestId?: string | undefined;
}

/**
 * A refusal that is not about one field (the account service did not answer, the sign-in was lost, too many
 * attempts): the sentence, the way back when only a new sign-in helps, and the request id for support.
 */
export function FormAlert({ t, code, text, restartUrl, requestId }: FormAlertProps) {
  return (
    <div tabIndex={-1} className="form-alert" autoFocus>
      <ErrorAlert code={code}>{text}</ErrorAlert>
      {restartUrl && restartFixes(code) ? (
        <p>
          <a className="button secondary" href={restartUrl} data-testid="restart">
            {t('common.start_again')}
          </a>
        </p>
      ) : null}
      {requestId ? <SupportReference t={t} requestId={requestId} hint={false} /> : null}
    </div>
  );
}

/** A catalogue key as a sentence; the fallback key's sentence when the key is absent or unknown. */
export function messageOr(t: Translate, key: string | undefined, fallbackKey: string, values?: Parameters<Translate>[1]): string {
  if (key) {
    const text = t(key, values);
    if (text !== key) return text;
  }
  return t(fallbackKey, values);
}

/**
 * The form alert of a step's page refused for something that is not one field (the sign-in was lost, the account
 * service did not answer): nothing for a field refusal (`validation_failed`, shown by the summary) or no refusal.
 * `text` overrides the sentence (a step that says more, such as the seconds to wait).
 */
export function StepRefusalAlert({ t, state, restartUrl, text }: { t: Translate; state: StepActionState; restartUrl: string | null; text?: string }) {
  if (state.status !== 'error' || state.code === 'validation_failed') return null;
  const code = state.code ?? 'misconfigured';
  return <FormAlert t={t} code={code} text={text ?? messageOr(t, state.messageKey, `errors.${code}`)} restartUrl={restartUrl} requestId={state.requestId} />;
}
