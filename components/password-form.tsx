'use client';

// First: zod must be told before any schema below is built (lib/zod-jitless.ts says why).
import '@/lib/zod-jitless';
import { zodResolver } from '@hookform/resolvers/zod';
import { useLocale, useTranslations } from 'next-intl';
import { useActionState, useId, useMemo, useState, useSyncExternalStore } from 'react';
import { useForm, useWatch, type FieldError } from 'react-hook-form';
import type { z } from 'zod';
import { IDLE_STATE, type StepActionState } from '@/lib/flow/step-action-state';
import { applicableRules, evaluateRules, type PasswordPolicy } from '@/lib/steps/password/policy';
import { passwordFormSchema } from '@/lib/steps/password/schema';
import { checkedSubmit } from './checked-submit';
import { ErrorSummary, FieldErrors, type ErrorSummaryItem } from './error-summary';
import { FormAlert } from './form-alert';
import { PasswordRules, type ChecklistItem } from './password/password-rules';
import styles from './password/password-form.module.css';
import { StrengthMeter } from './password/strength-meter';
import { useStrength } from './password/use-strength';
import { useMessage } from './use-message';

type PasswordAction = (state: StepActionState, formData: FormData) => Promise<StepActionState>;
type Schema = ReturnType<typeof passwordFormSchema>;
type Field = 'password' | 'confirm_password';

export interface PasswordFormProps {
  action: PasswordAction;
  policy: PasswordPolicy;
  personal: string[];
  /** The account's email (the session token's `email` claim): what a password manager files the new password under. */
  accountEmail?: string | undefined;
  restartUrl?: string | null;
}

const noSubscription = () => () => {};

/**
 * New password and its confirmation (field names are part of the contract). Without JavaScript it is a plain
 * form post to the server action, with the rules listed up front. With it, the rules tick as the person types,
 * zxcvbn's meter appears (its dictionaries are fetched on the first keystroke), and react-hook-form checks the
 * same zod schema as the server before posting. Nothing here ever puts the password anywhere but the POST body.
 */
export function PasswordForm({ action, policy, personal, accountEmail, restartUrl }: PasswordFormProps) {
  const t = useTranslations();
  const locale = useLocale();
  const message = useMessage();
  // The permalink is the form's `action` before JavaScript runs; without one React renders `action=""`, which is not
  // valid HTML (it must be a non-empty URL). The no-JavaScript post lands on this same page, where Next runs the action.
  const [state, formAction, pending] = useActionState(action, IDLE_STATE, '/steps/password');
  const schema = useMemo(() => passwordFormSchema(policy, personal), [policy, personal]);
  const form = useForm<z.input<Schema>, unknown, z.output<Schema>>({
    resolver: zodResolver(schema),
    criteriaMode: 'all',
    defaultValues: { password: '', confirm_password: '' },
    // The error summary takes the focus instead (components/error-summary.tsx).
    shouldFocusError: false,
  });
  const password = useWatch({ control: form.control, name: 'password' }) ?? '';
  const strength = useStrength(password, personal, locale);
  const [visible, setVisible] = useState(false);
  // The show/hide button only works with JavaScript, so it only appears once hydrated.
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  // A server error about the password stops applying once the person edits it.
  const [editedAfter, setEditedAfter] = useState<StepActionState | null>(null);
  // Each refused submit (in the browser or by the server) moves the focus to the error summary.
  const [attempt, setAttempt] = useState(0);
  const [answered, setAnswered] = useState(state);
  if (answered !== state) {
    setAnswered(state);
    if (state.status === 'error' && (state.code === 'validation_failed' || state.code === 'password_policy')) setAttempt((n) => n + 1);
  }
  const ids = { rules: useId(), passwordError: useId(), confirmError: useId(), strength: useId() };

  const serverFresh = editedAfter !== state;
  const formError = state.status === 'error' && state.code !== 'validation_failed' && state.code !== 'password_policy' ? state : null;
  const values = {
    min: policy.minLength,
    max: policy.maxRepeated ?? 0,
    required: policy.classes?.required ?? 0,
    bytes: policy.maxBytes,
    seconds: state.retryAfterSeconds ?? 0,
  };
  const say = (key: string, fallback = 'errors.validation_failed') => (t.has(key as never) ? t(key as never, values as never) : message(key, fallback));

  const errorsFor = (field: Field): string[] => {
    const client = clientMessages(form.formState.errors[field]);
    if (client.length > 0) return client;
    if (!serverFresh) return [];
    const server = state.fieldErrors?.[field] ?? [];
    if (field === 'password' && state.code === 'password_policy' && state.messageKey) return [state.messageKey];
    return server;
  };
  const passwordErrors = errorsFor('password');
  const confirmErrors = errorsFor('confirm_password');

  const met = evaluateRules(password, policy, personal);
  const items: ChecklistItem[] = applicableRules(policy, personal).map((id) => ({ id, met: password !== '' && met[id] }));
  if (policy.minScore > 0) items.push({ id: 'strength', met: strength.status === 'ready' && strength.estimate.score >= policy.minScore });

  const errorCode = state.code === 'password_policy' && serverFresh ? 'password_policy' : 'validation_failed';
  const summary: ErrorSummaryItem[] = [
    ...[...new Set(passwordErrors)].map((key) => ({ fieldId: 'password', text: say(key) })),
    ...[...new Set(confirmErrors)].map((key) => ({ fieldId: 'confirm_password', text: say(key) })),
  ];

  const onSubmit = checkedSubmit(form.handleSubmit, formAction, () => setAttempt((n) => n + 1));
  const edited = () => setEditedAfter(state);
  const inputType = visible ? 'text' : 'password';

  return (
    <form action={formAction} onSubmit={onSubmit} noValidate>
      {formError ? (
        <FormAlert
          state={formError}
          restartUrl={restartUrl}
          text={
            formError.code === 'rate_limited' && formError.retryAfterSeconds
              ? t('password.errors.rate_limited', { seconds: formError.retryAfterSeconds })
              : message(formError.messageKey, `errors.${formError.code ?? 'misconfigured'}`)
          }
        />
      ) : null}
      <ErrorSummary code={errorCode} items={summary} attempt={attempt} />

      {accountEmail ? (
        // Chromium's advice for change-password forms: name the account in a username field, or a password manager
        // may save the new password under another one. Hidden but present for password managers; without a `name`
        // it is never posted, so the server action cannot read or write it. Without an email there is no field: the
        // token's `sub` is not what the person signs in with, and saving under it would match no login.
        <input type="text" autoComplete="username" value={accountEmail} readOnly hidden />
      ) : null}

      <PasswordRules id={ids.rules} items={items} policy={policy} strengthLabel={t(`password.strength.scores.${Math.max(policy.minScore, 0)}` as never)} />

      <div className={styles.field} data-field="password">
        <label htmlFor="password">{t('password.password_label')}</label>
        <div className={styles.inputRow}>
          <input
            id="password"
            className={styles.input}
            type={inputType}
            autoComplete="new-password"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            aria-invalid={passwordErrors.length > 0 ? true : undefined}
            aria-describedby={[ids.rules, ids.strength, passwordErrors.length > 0 ? ids.passwordError : ''].filter(Boolean).join(' ')}
            {...form.register('password', { onChange: edited })}
          />
          {hydrated ? (
            <button type="button" className={styles.toggle} aria-pressed={visible} aria-controls="password confirm_password" onClick={() => setVisible((v) => !v)}>
              {visible ? t('password.hide') : t('password.show')}
            </button>
          ) : null}
        </div>
        <div id={ids.strength}>
          <StrengthMeter state={strength} hideSymbolAdvice={policy.classes !== null} />
        </div>
        <FieldErrors id={ids.passwordError} messages={passwordErrors.map((key) => say(key))} code={errorCode} />
      </div>

      <div className={styles.field} data-field="confirm_password">
        <label htmlFor="confirm_password">{t('password.confirm_label')}</label>
        <input
          id="confirm_password"
          className={styles.input}
          type={inputType}
          autoComplete="new-password"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          aria-invalid={confirmErrors.length > 0 ? true : undefined}
          aria-describedby={confirmErrors.length > 0 ? ids.confirmError : undefined}
          {...form.register('confirm_password', { onChange: edited })}
        />
        <FieldErrors id={ids.confirmError} messages={confirmErrors.map((key) => say(key))} code="validation_failed" />
      </div>

      <div className="actions">
        <button type="submit" className="button" disabled={pending} aria-busy={pending || undefined}>
          {pending ? t('password.submitting') : t('password.submit')}
        </button>
      </div>
    </form>
  );
}

/** With `criteriaMode: 'all'`, every broken rule is kept under `types` (zod custom issues share one type). */
function clientMessages(error: FieldError | undefined): string[] {
  if (!error) return [];
  const all = Object.values(error.types ?? {}).flatMap((value) => (Array.isArray(value) ? value : [value]));
  const messages = all.filter((value): value is string => typeof value === 'string');
  return messages.length > 0 ? messages : error.message ? [error.message] : [];
}
