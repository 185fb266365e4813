'use client';

// First: zod must be told before any schema below is built (lib/zod-jitless.ts says why).
import '@/lib/zod-jitless';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import { useActionState, useMemo, useState, useSyncExternalStore } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { IDLE_STATE, type StepActionState } from '@/lib/flow/step-action-state';
import { FORM_ERROR_KEY } from '@/lib/steps/profile/field-rules';
import type { FormValue } from '@/lib/steps/profile/plan';
import { buildProfileSchema, isFieldActive, type KnownValues, type ProfileValues } from '@/lib/steps/profile/schema';
import type { ProfileFieldView } from '@/lib/steps/profile/view';
import { checkedSubmit } from './checked-submit';
import { ErrorSummary, type ErrorSummaryItem } from './error-summary';
import { FormAlert } from './form-alert';
import { useFieldErrorMessage } from './profile/field-error-message';
import { ProfileField, inputId } from './profile/profile-field';
import { useMessage } from './use-message';

type ProfileAction = (state: StepActionState, formData: FormData) => Promise<StepActionState>;

export interface ProfileFormProps {
  action: ProfileAction;
  fields: ProfileFieldView[];
  prefill: Record<string, FormValue>;
  known: KnownValues;
  locale: string;
  restartUrl?: string | null;
}

const subscribeNever = () => () => {};

/**
 * The fields the steps file declares, checked in the browser by react-hook-form with the schema the server
 * action runs too (buildProfileSchema). Without JavaScript it is a plain form post: every field is shown (a
 * conditional one says when it is needed), and the server's errors come back onto the fields with the input kept.
 */
export function ProfileForm({ action, fields, prefill, known, locale, restartUrl }: ProfileFormProps) {
  const t = useTranslations();
  const message = useMessage();
  const fieldMessage = useFieldErrorMessage(locale);
  // The permalink is the form's `action` before JavaScript runs; without one React renders `action=""`, which is not
  // valid HTML (it must be a non-empty URL). The no-JavaScript post lands on this same page, where Next runs the action.
  const [state, formAction, pending] = useActionState(action, IDLE_STATE, '/steps/profile');
  // False on the server and while hydrating, true once React runs in the browser (and can hide fields).
  const enhanced = useSyncExternalStore(subscribeNever, () => true, () => false);
  const schema = useMemo(() => buildProfileSchema(fields, { locale, known }), [fields, locale, known]);
  const [initial] = useState(() => initialValues(fields, prefill, state.values));
  const form = useForm<Record<string, unknown>, unknown, ProfileValues>({
    resolver: zodResolver(schema),
    defaultValues: initial,
    // Checked on submit, then as the person corrects: an error appearing on blur moves the button under the pointer.
    mode: 'onSubmit',
    // The error summary takes the focus instead (components/error-summary.tsx).
    shouldFocusError: false,
  });

  // The server's field errors stay on a field until the person edits it or posts again.
  const [answered, setAnswered] = useState(state);
  const [serverErrors, setServerErrors] = useState(state.fieldErrors ?? {});
  // Each refused submit (in the browser or by the server) moves the focus to the error summary.
  const [attempt, setAttempt] = useState(0);
  if (answered !== state) {
    setAnswered(state);
    setServerErrors(state.fieldErrors ?? {});
    if (state.status === 'error' && state.code === 'validation_failed') setAttempt((n) => n + 1);
  }
  const onEdit = (id: string) => setServerErrors((current) => (current[id] ? withoutKey(current, id) : current));

  // Conditional fields appear and disappear as the field they depend on changes.
  const values = useWatch({ control: form.control });
  const byId = useMemo(() => new Map(fields.map((field) => [field.id, field] as const)), [fields]);
  const visible = fields.filter((field) => !enhanced || isFieldActive(field, byId, values, known));
  const errorOf = (id: string): string | undefined => {
    const client = form.formState.errors[id]?.message;
    return typeof client === 'string' ? client : serverErrors[id]?.[0];
  };
  const fieldErrors = visible.flatMap((field) => {
    const key = errorOf(field.id);
    return key ? [{ field, text: fieldMessage(key, field) }] : [];
  });
  const formLevel = (serverErrors[FORM_ERROR_KEY] ?? []).map((key) => fieldMessage(key));
  if (state.status === 'error' && state.code === 'validation_failed' && state.messageKey && !state.fieldErrors) {
    formLevel.push(message(state.messageKey, 'errors.validation_failed'));
  }
  const showSummary = fieldErrors.length + formLevel.length > 0 && (state.code === 'validation_failed' || form.formState.submitCount > 0);
  const otherError = state.status === 'error' && state.code !== 'validation_failed' ? state : null;
  const summary: ErrorSummaryItem[] = showSummary
    ? [...formLevel.map((text) => ({ text })), ...fieldErrors.map(({ field, text }) => ({ fieldId: inputId(field.id), text: `${field.text.label}: ${text}` }))]
    : [];

  const onSubmit = checkedSubmit(form.handleSubmit, formAction, () => setAttempt((n) => n + 1));

  return (
    <form action={formAction} onSubmit={onSubmit} noValidate>
      {otherError ? (
        <FormAlert state={otherError} text={message(otherError.messageKey, `errors.${otherError.code ?? 'misconfigured'}`)} restartUrl={restartUrl} />
      ) : null}
      <ErrorSummary code="validation_failed" items={summary} attempt={attempt} />
      {fields.length === 0 ? <p>{t('profile.nothing_to_ask')}</p> : null}
      {visible.map((field) => {
        const key = errorOf(field.id);
        return (
          <ProfileField
            key={field.id}
            field={field}
            register={form.register}
            initial={initial[field.id] as FormValue | undefined}
            error={key ? fieldMessage(key, field) : undefined}
            showCondition={!enhanced}
            onEdit={onEdit}
          />
        );
      })}
      <div className="actions">
        <button type="submit" className="button" disabled={pending} aria-busy={pending || undefined}>
          {pending ? t('profile.submitting') : t('profile.submit')}
        </button>
      </div>
    </form>
  );
}

/**
 * What the inputs start with: what the person just posted when the server sent the form back (a box left unticked
 * is simply absent from a post), else what they already have.
 */
function initialValues(fields: ProfileFieldView[], prefill: Record<string, FormValue>, posted: StepActionState['values']): Record<string, FormValue> {
  const values: Record<string, FormValue> = {};
  for (const field of fields) {
    if (posted) {
      const value = posted[field.id];
      if (field.type === 'checkbox') values[field.id] = value === 'on';
      else if (field.type === 'multi_select') values[field.id] = value === undefined ? [] : Array.isArray(value) ? value : [value];
      else values[field.id] = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
    } else {
      values[field.id] = prefill[field.id] ?? (field.type === 'checkbox' ? false : field.type === 'multi_select' ? [] : '');
    }
  }
  return values;
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}
