import 'server-only';
import { ErrorSummary, StepRefusalAlert, messageOr, type ErrorSummaryItem } from '@/components/feedback';
import type { StepActionState } from '../../flow/step-action-state';
import type { StepViewProps } from '../types';
import { browserChecks, fieldMessages } from './field-messages';
import { FORM_ERROR_KEY } from './field-rules';
import { profileFieldViews, type ProfileFieldView } from './field-views';
import { phoneRegion } from './phone';
import { planProfileForm, toFormValue, type FormValue, type ProfileFormPlan } from './plan';
import { ProfileField, inputId } from './profile-field';
import type { ProfileValue } from './schema';
import { profileSection } from './section';
import { readClaims } from '../step-claims';
import { profileTokenClaims } from './claims';

/**
 * The profile page: the fields this login asks (the same plan the step's schema is built from, so the server checks
 * exactly what is shown), posted as a plain form to /steps/profile. Without JavaScript every field is shown and a
 * conditional one says when it is needed; enhance.ts hides those whose condition does not hold and checks the
 * simple rules before posting, with the sentences rendered here.
 */
export function ProfileView({ flow, config, t, locale, state, previous, now }: StepViewProps) {
  // The schema reads phone numbers in the flow's locale (step.ts); so does the page.
  const flowLocale = flow?.locale ?? locale;
  const plan = planProfileForm(profileSection(config), readClaims(profileTokenClaims, flow).profile ?? {}, { locale: flowLocale, now });
  const fields = profileFieldViews(plan.fields, locale, config.steps.locales.default, now);
  const values = initialValues(plan, previous, state.values);
  const message = fieldMessages(t, locale);
  const refused = state.status === 'error';
  const fieldErrors = refused && state.code === 'validation_failed' ? (state.fieldErrors ?? {}) : {};
  const errorOf = (field: ProfileFieldView) => (fieldErrors[field.id]?.[0] ? message(fieldErrors[field.id]![0], field) : undefined);
  const summary = summaryItems(state, fields, errorOf, (key, fallback) => messageOr(t, key, fallback), message);
  return (
    <>
      <h1>{t('profile.title')}</h1>
      <p className="muted">{t('profile.intro')}</p>
      <form method="post" action="/steps/profile" noValidate data-profile-form="" data-summary-title={t('common.error_summary_title')}>
        <StepRefusalAlert t={t} state={state} restartUrl={config.loginRestartUrl} />
        <ErrorSummary code="validation_failed" items={summary} t={t} />
        {fields.length === 0 ? <p>{t('profile.nothing_to_ask')}</p> : null}
        {fields.map((field) => (
          <ProfileField
            key={field.id}
            field={field}
            value={values[field.id]}
            error={errorOf(field)}
            checks={browserChecks(field, message, field.type === 'tel' ? phoneRegion(field.default_country, flowLocale) : undefined)}
            t={t}
          />
        ))}
        <div className="actions">
          <button type="submit" className="button" data-submitting-text={t('profile.submitting')}>
            {t('profile.submit')}
          </button>
        </div>
      </form>
    </>
  );
}

/** The summary of a refused form: errors that belong to no field first, then each field's, linked to it. */
function summaryItems(
  state: StepActionState,
  fields: readonly ProfileFieldView[],
  errorOf: (field: ProfileFieldView) => string | undefined,
  sentence: (key: string | undefined, fallbackKey: string) => string,
  message: (key: string) => string,
): ErrorSummaryItem[] {
  if (state.status !== 'error' || state.code !== 'validation_failed') return [];
  const items: ErrorSummaryItem[] = (state.fieldErrors?.[FORM_ERROR_KEY] ?? []).map((key) => ({ text: message(key) }));
  for (const field of fields) {
    const text = errorOf(field);
    if (text) items.push({ fieldId: inputId(field.id), text: `${field.text.label}: ${text}` });
  }
  // A refusal that names no field on this form (the answers are too long to keep together).
  if (items.length === 0) items.push({ text: sentence(state.messageKey, 'errors.validation_failed') });
  return items;
}

/**
 * What the inputs start with: what the person just posted when the form comes back refused (a box left unticked is
 * simply absent from a post), else what they answered last time (back on a finished step), else what the token says.
 */
function initialValues(plan: ProfileFormPlan, previous: unknown, posted: StepActionState['values']): Record<string, FormValue> {
  const values: Record<string, FormValue> = {};
  const answered = (previous ?? {}) as Record<string, ProfileValue>;
  for (const field of plan.fields) {
    if (posted) {
      const value = posted[field.id];
      if (field.type === 'checkbox') values[field.id] = value === 'on';
      else if (field.type === 'multi_select') values[field.id] = value === undefined ? [] : Array.isArray(value) ? value : [value];
      else values[field.id] = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
    } else {
      const known = answered[field.id];
      const value = known !== undefined ? toFormValue(field, known) : plan.prefill[field.id];
      if (value !== undefined) values[field.id] = value;
    }
  }
  return values;
}
