import 'server-only';
import { ErrorSummary, FieldErrors, StepRefusalAlert, messageOr, type ErrorSummaryItem } from '@/components/feedback';
import type { StepViewProps } from '../types';
import { formatSeconds } from './duration';
import { MAX_TRIES } from './limits';

/** What `prepare` (step.ts) hands the page. */
export interface VerifyPrepared {
  maskedEmail: string;
  /** Where the sign-in comes from, in the page's language. */
  place: string;
  reason: 'new_location' | 'stale';
  /** When the pending code stops working (ms since the epoch), or null when none is pending. */
  codeExpiresAt: number | null;
  /** Seconds until a new code may be asked for. */
  resendWait: number;
  /** The first code could not be sent when the page opened. */
  sendFailure?: { code: 'mail_unavailable' | 'send_rate_limited'; retryAfterSeconds?: number | undefined } | undefined;
}

// Refusals shown at the code field rather than above the form.
const FIELD_CODES = new Set(['code_invalid', 'code_expired', 'validation_failed']);

/**
 * The verify page: where the sign-in comes from and where the code went, one field for the code, "send a new code"
 * (with the wait it must respect) and "this wasn't me", each its own small form posting to /steps/verify. Complete
 * without JavaScript; enhance.ts only counts the wait down.
 */
export function VerifyView({ config, t, locale, state, prepared }: StepViewProps) {
  const page = prepared as VerifyPrepared | undefined;
  const refused = state.status === 'error';
  const values = { duration: formatSeconds(state.retryAfterSeconds ?? 0, locale), tries: MAX_TRIES, ...state.messageParams };
  const fieldError =
    refused && FIELD_CODES.has(state.code ?? '')
      ? state.code === 'validation_failed'
        ? messageOr(t, state.fieldErrors?.code?.[0], 'verify.errors.code_format')
        : messageOr(t, state.messageKey, `errors.${state.code}`, values)
      : null;
  const summary: ErrorSummaryItem[] = fieldError ? [{ fieldId: 'code', text: fieldError }] : [];
  const failure = page?.sendFailure;
  const resendWait = page?.resendWait ?? 0;
  return (
    <>
      <h1>{t('verify.title')}</h1>
      {page ? <p>{t(page.reason === 'stale' ? 'verify.intro_stale' : 'verify.intro_new', { place: page.place })}</p> : null}
      {state.status === 'notice' && state.messageKey ? (
        <p role="status" className="notice">
          {t(state.messageKey, state.messageParams)}
        </p>
      ) : null}
      {failure ? (
        <div className="alert" role="alert" data-error-code={failure.code}>
          <p>{t(`verify.errors.${failure.code}`, { duration: formatSeconds(failure.retryAfterSeconds ?? 0, locale) })}</p>
        </div>
      ) : page?.codeExpiresAt ? (
        <p>{t('verify.code_sent_to', { email: page.maskedEmail })}</p>
      ) : page ? (
        <p>{t('verify.no_code_yet', { email: page.maskedEmail })}</p>
      ) : null}
      <form method="post" action="/steps/verify" noValidate>
        <StepRefusalAlert t={t} state={fieldError ? { status: 'idle' } : state} restartUrl={config.loginRestartUrl} text={refused ? messageOr(t, state.messageKey, `errors.${state.code ?? 'misconfigured'}`, values) : undefined} />
        <ErrorSummary code={state.code ?? 'validation_failed'} items={summary} t={t} />
        <div className="field" data-field="code">
          <label htmlFor="code">{t('verify.code_label')}</label>
          <p id="code-hint" className="muted small">
            {t('verify.code_hint')}
          </p>
          <input
            id="code"
            name="code"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            spellCheck={false}
            maxLength={20}
            required
            className="code-input"
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? 'code-hint code-error' : 'code-hint'}
          />
          <FieldErrors id="code-error" code={state.code ?? 'validation_failed'} messages={fieldError ? [fieldError] : []} />
        </div>
        <div className="actions">
          <button type="submit" name="intent" value="verify" className="button">
            {t('verify.submit')}
          </button>
        </div>
      </form>
      <form method="post" action="/steps/verify" className="resend">
        <p
          id="resend-wait"
          className="muted small"
          aria-live="polite"
          data-wait={resendWait}
          data-wait-text={t('verify.resend_wait', { duration: '{duration}' })}
          data-ready-text={t('verify.resend_hint')}
        >
          {resendWait > 0 ? t('verify.resend_wait', { duration: formatSeconds(resendWait, locale) }) : t('verify.resend_hint')}
        </p>
        <button type="submit" name="intent" value="resend" className="button secondary" aria-describedby="resend-wait">
          {t(page?.codeExpiresAt ? 'verify.resend' : 'verify.send')}
        </button>
      </form>
      <form method="post" action="/steps/verify" className="not-me">
        <p className="muted small">{t('verify.not_me_hint')}</p>
        <button type="submit" name="intent" value="not_me" className="linklike">
          {t('verify.not_me')}
        </button>
      </form>
    </>
  );
}
