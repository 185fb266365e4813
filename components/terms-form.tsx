'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { IDLE_STATE, type StepActionState } from '@/lib/flow/step-action-state';
import { termsSchema } from '@/lib/steps/terms/schema';
import { checkedSubmit } from './checked-submit';
import { ErrorSummary, FieldErrors, type ErrorSummaryItem } from './error-summary';
import { FormAlert } from './form-alert';
import { useMessage } from './use-message';

type TermsAction = (state: StepActionState, formData: FormData) => Promise<StepActionState>;

/**
 * Works without JavaScript (a plain form post to the server action); with it, react-hook-form checks the
 * same zod schema first and the post goes through the same action.
 */
export function TermsForm({ action, version, accepted = false, restartUrl }: { action: TermsAction; version: string; accepted?: boolean; restartUrl?: string | null }) {
  const t = useTranslations();
  const message = useMessage();
  const [state, formAction, pending] = useActionState(action, IDLE_STATE);
  const checked = state.values ? state.values.accept === 'on' : accepted;
  const form = useForm<z.input<typeof termsSchema>, unknown, z.output<typeof termsSchema>>({
    resolver: zodResolver(termsSchema),
    defaultValues: { accept: checked, version },
    // The error summary takes the focus instead (components/error-summary.tsx).
    shouldFocusError: false,
  });
  // Each refused submit (in the browser or by the server) moves the focus to the error summary.
  const [attempt, setAttempt] = useState(0);
  const [answered, setAnswered] = useState(state);
  if (answered !== state) {
    setAnswered(state);
    if (state.status === 'error' && state.code === 'validation_failed') setAttempt((n) => n + 1);
  }
  const fieldKey = form.formState.errors.accept?.message ?? state.fieldErrors?.accept?.[0];
  const fieldError = fieldKey ? message(fieldKey, 'errors.validation_failed') : null;
  const formError = state.status === 'error' && state.code !== 'validation_failed' ? state : null;
  const summary: ErrorSummaryItem[] = fieldError ? [{ fieldId: 'accept', text: fieldError }] : [];
  // A refusal that names no field (the terms changed while the page was open).
  if (state.status === 'error' && state.code === 'validation_failed' && !state.fieldErrors && state.messageKey) {
    summary.push({ text: message(state.messageKey, 'errors.validation_failed') });
  }

  const onSubmit = checkedSubmit(form.handleSubmit, formAction, () => setAttempt((n) => n + 1));

  return (
    <form action={formAction} onSubmit={onSubmit} noValidate>
      {formError ? <FormAlert state={formError} text={message(formError.messageKey, `errors.${formError.code ?? 'misconfigured'}`)} restartUrl={restartUrl} /> : null}
      <ErrorSummary code="validation_failed" items={summary} attempt={attempt} />
      <input type="hidden" {...form.register('version')} value={version} />
      <div className="check" data-field="accept">
        <input
          id="accept"
          type="checkbox"
          value="on"
          defaultChecked={checked}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? 'accept-error' : undefined}
          {...form.register('accept')}
        />
        <label htmlFor="accept">{t('terms.accept_label')}</label>
      </div>
      <FieldErrors id="accept-error" code="validation_failed" messages={fieldError ? [fieldError] : []} />
      <div className="actions">
        <button type="submit" className="button" disabled={pending} aria-busy={pending || undefined}>
          {pending ? t('terms.submitting') : t('terms.submit')}
        </button>
      </div>
    </form>
  );
}
