import 'server-only';
import { ErrorAlert, ErrorSummary, FieldErrors, FormAlert, NextSteps, SupportReference, messageOr, type ErrorSummaryItem } from '@/components/feedback';
import type { StepActionState } from '../../flow/step-action-state';
import type { Translate } from '../../i18n/catalogue';
import { logger } from '../../log';
import type { StepViewProps } from '../types';
import { passwordBrowserData, policyMessageValues } from './browser-texts';
import { passwordConfigOf } from './config-schema';
import type { PasswordField } from './form-check';
import { personalInfoOf, policyFromConfig, type PasswordPolicy } from './policy';
import { RulesChecklist } from './rules-checklist';
import { readClaims } from '../step-claims';
import { passwordTokenClaims } from './claims';

const IDS = { rules: 'password-rules', strength: 'password-strength', passwordError: 'password-error', confirmError: 'confirm_password-error' };

/**
 * New password and its confirmation (field names and ids are part of the contract), a plain post to
 * /steps/password that works without JavaScript: the rules are listed up front and the server's refusal comes back
 * on the fields. enhance.ts adds the live checklist, the show/hide button, zxcvbn's meter and a check before
 * posting. The password is never put back into the page: a refused post shows empty fields.
 */
export function PasswordView({ flow, config, t, locale, state }: StepViewProps) {
  if (flow && !readClaims(passwordTokenClaims, flow).connection) return <ConnectionMissing t={t} config={config} state={state} />;
  const policy = policyFromConfig(passwordConfigOf(config.steps));
  const personal = personalInfoOf(flow ?? {});
  const errors = { password: serverErrors('password', state, policy, t), confirm_password: serverErrors('confirm_password', state, policy, t) };
  const passwordCode = state.code === 'password_policy' ? 'password_policy' : 'validation_failed';
  const summary: ErrorSummaryItem[] = [
    ...errors.password.map((text) => ({ fieldId: 'password', text })),
    ...errors.confirm_password.map((text) => ({ fieldId: 'confirm_password', text })),
  ];
  if (state.status === 'error' && state.code === 'validation_failed' && summary.length === 0) {
    // A refusal that names no field of this form (a crafted post).
    summary.push({ text: messageOr(t, state.messageKey, 'errors.validation_failed') });
  }
  const formAlert = state.status === 'error' && state.code !== 'validation_failed' && state.code !== 'password_policy';
  const browserData = passwordBrowserData({ policy, personal, t, locale });
  return (
    <>
      <h1>{t('password.title')}</h1>
      <p className="muted">{t('password.intro')}</p>
      <form method="post" action="/steps/password" noValidate data-password-form={JSON.stringify(browserData)}>
        {formAlert ? <PasswordFormAlert state={state} t={t} restartUrl={config.loginRestartUrl} /> : null}
        <ErrorSummary code={passwordCode} items={summary} t={t} />
        {flow?.email ? (
          // Chromium's advice for change-password forms: name the account in a username field, or a password manager
          // may file the new password under another one. Without a `name` it is never posted, so the step cannot read
          // it. Without an email there is none: the token's `sub` is not what the person signs in with.
          <input type="text" autoComplete="username" value={flow.email} readOnly hidden />
        ) : null}
        <RulesChecklist id={IDS.rules} policy={policy} personal={personal} t={t} />
        <div className="password-field" data-field="password">
          <label htmlFor="password">{t('password.password_label')}</label>
          <div className="password-input-row">
            <SecretInput field="password" describedBy={[IDS.rules, IDS.strength, errors.password.length > 0 ? IDS.passwordError : '']} invalid={errors.password.length > 0} />
            {/* Only works with JavaScript: the script reveals it. Its label says what a press does next. */}
            <button type="button" className="password-toggle" aria-controls="password confirm_password" data-password-toggle="" hidden>
              {t('password.show')}
            </button>
          </div>
          {/* zxcvbn's verdict, filled in by the script once the person types. */}
          <div id={IDS.strength} className="password-strength" data-testid="password-strength" data-status="empty" aria-live="polite" />
          <FieldErrors id={IDS.passwordError} code={passwordCode} messages={errors.password} />
        </div>
        <div className="password-field" data-field="confirm_password">
          <label htmlFor="confirm_password">{t('password.confirm_label')}</label>
          <SecretInput field="confirm_password" describedBy={[errors.confirm_password.length > 0 ? IDS.confirmError : '']} invalid={errors.confirm_password.length > 0} />
          <FieldErrors id={IDS.confirmError} code="validation_failed" messages={errors.confirm_password} />
        </div>
        <div className="actions">
          <button type="submit" className="button">
            {t('password.submit')}
          </button>
        </div>
      </form>
    </>
  );
}

/** A new-password input: always empty when rendered (nothing secret is echoed), never auto-corrected. */
function SecretInput({ field, describedBy, invalid }: { field: PasswordField; describedBy: string[]; invalid: boolean }) {
  const described = describedBy.filter(Boolean).join(' ');
  return (
    <input
      id={field}
      name={field}
      className="password-input"
      type="password"
      autoComplete="new-password"
      autoCapitalize="none"
      autoCorrect="off"
      spellCheck={false}
      aria-invalid={invalid ? true : undefined}
      aria-describedby={described || undefined}
    />
  );
}

/** The refusal's sentences for one field: its field errors, and for the password Auth0's or zxcvbn's verdict. */
function serverErrors(field: PasswordField, state: StepActionState, policy: PasswordPolicy, t: Translate): string[] {
  if (state.status !== 'error') return [];
  const values = policyMessageValues(policy);
  if (field === 'password' && state.code === 'password_policy') return [messageOr(t, state.messageKey, 'errors.password_policy', values)];
  return [...new Set((state.fieldErrors?.[field] ?? []).map((key) => messageOr(t, key, 'errors.validation_failed', values)))];
}

/** A refusal about the whole form (too many attempts, the account service down, the sign-in lost). */
function PasswordFormAlert({ state, t, restartUrl }: { state: StepActionState; t: Translate; restartUrl: string | null }) {
  const code = state.code ?? 'misconfigured';
  const text =
    code === 'rate_limited' && state.retryAfterSeconds
      ? t('password.errors.rate_limited', { seconds: state.retryAfterSeconds })
      : messageOr(t, code === 'rate_limited' ? undefined : state.messageKey, `errors.${code}`);
  return <FormAlert t={t} code={code} text={text} restartUrl={restartUrl} requestId={state.requestId} />;
}

/** Auth0 needs the database connection's name to set a password; without it (the Action must send `connection`) no form. */
function ConnectionMissing({ t, config, state }: { t: Translate; config: StepViewProps['config']; state: StepActionState }) {
  // A refused post is logged where it is refused (lib/flow/submit-step.ts); the page itself is logged here.
  if (state.status === 'idle') logger.warn({ event: 'step_refused', route: '/steps/password', step: 'password', code: 'misconfigured', reason: 'connection_missing' }, 'step_refused');
  return (
    <>
      <h1>{t('password.unavailable_title')}</h1>
      <ErrorAlert code="misconfigured">{t('password.errors.connection_missing')}</ErrorAlert>
      <NextSteps t={t} code="misconfigured" restartUrl={config.loginRestartUrl} supportUrl={config.steps.branding.support_url} />
      {state.requestId ? <SupportReference t={t} requestId={state.requestId} /> : null}
    </>
  );
}
