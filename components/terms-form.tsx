'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import { startTransition, useActionState, useEffect, useRef } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { IDLE_STATE, type StepActionState } from '@/lib/flow/step-action-state';
import { termsSchema } from '@/lib/steps/terms/schema';
import { ErrorAlert } from './error-alert';
import { useMessage } from './use-message';

type TermsAction = (state: StepActionState, formData: FormData) => Promise<StepActionState>;

/**
 * Works without JavaScript (a plain form post to the server action); with it, react-hook-form checks the
 * same zod schema first and the post goes through the same action.
 */
export function TermsForm({ action, version, accepted = false }: { action: TermsAction; version: string; accepted?: boolean }) {
  const t = useTranslations();
  const message = useMessage();
  const [state, formAction, pending] = useActionState(action, IDLE_STATE);
  const alertRef = useRef<HTMLDivElement>(null);
  const checked = state.values ? state.values.accept === 'on' : accepted;
  const form = useForm<z.input<typeof termsSchema>, unknown, z.output<typeof termsSchema>>({
    resolver: zodResolver(termsSchema),
    defaultValues: { accept: checked, version },
  });
  const fieldError = form.formState.errors.accept?.message ?? state.fieldErrors?.accept?.[0];
  const formError = state.status === 'error' && state.code !== 'validation_failed' ? state : null;

  useEffect(() => {
    if (formError) alertRef.current?.focus();
  }, [formError]);

  // Valid in the browser: post the real form through the same server action (a transition keeps `pending`).
  const onSubmit = form.handleSubmit((_values, event) => {
    const element = event?.target;
    if (element instanceof HTMLFormElement) {
      const data = new FormData(element);
      startTransition(() => formAction(data));
    }
  });

  return (
    <form action={formAction} onSubmit={onSubmit} noValidate>
      {formError ? (
        <div ref={alertRef} tabIndex={-1}>
          <ErrorAlert code={formError.code ?? 'misconfigured'}>
            {message(formError.messageKey, `errors.${formError.code ?? 'misconfigured'}`)}
          </ErrorAlert>
        </div>
      ) : null}
      <input type="hidden" {...form.register('version')} value={version} />
      <div className="check">
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
      {fieldError ? (
        <p className="field-error" id="accept-error" role="alert" data-error-code="validation_failed">
          {message(fieldError, 'errors.validation_failed')}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="button" disabled={pending} aria-busy={pending || undefined}>
          {pending ? t('terms.submitting') : t('terms.submit')}
        </button>
      </div>
    </form>
  );
}
