'use client';

import { useTranslations } from 'next-intl';
import type { UseFormRegister } from 'react-hook-form';
import type { FormValue } from '@/lib/steps/profile/plan';
import type { ProfileFieldView } from '@/lib/steps/profile/view';
import styles from './profile-form.module.css';

export interface ProfileFieldProps {
  field: ProfileFieldView;
  register: UseFormRegister<Record<string, unknown>>;
  /** The value the input starts with (also rendered as its default, so the page works before hydration). */
  initial: FormValue | undefined;
  /** The sentence to show under the field, if its value was refused. */
  error: string | undefined;
  /** Shows "only needed if …" under a conditional field (when the browser cannot hide it). */
  showCondition: boolean;
  onEdit: (id: string) => void;
}

export const inputId = (id: string) => `field-${id}`;

/** Autocomplete tokens for the common cases; the steps file can name another with `autocomplete`. */
const AUTOCOMPLETE_BY_ID: Record<string, string> = { given_name: 'given-name', family_name: 'family-name', name: 'name', nickname: 'nickname', picture: 'photo' };
const AUTOCOMPLETE_BY_TYPE: Partial<Record<ProfileFieldView['type'], string>> = { email: 'email', tel: 'tel', url: 'url', country: 'country' };

/** One field: its label, hint and error tied to the input (aria-describedby), aria-invalid when refused. */
export function ProfileField({ field, register, initial, error, showCondition, onEdit }: ProfileFieldProps) {
  const t = useTranslations('profile');
  const id = inputId(field.id);
  const hintId = field.text.hint ? `${id}-hint` : undefined;
  const conditionId = showCondition && field.condition ? `${id}-condition` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, conditionId, errorId].filter(Boolean).join(' ') || undefined;
  const invalid = error ? true : undefined;
  const registered = register(field.id, { onChange: () => onEdit(field.id) });
  const autoComplete = field.autocomplete ?? AUTOCOMPLETE_BY_ID[field.id] ?? AUTOCOMPLETE_BY_TYPE[field.type] ?? 'off';
  const text = typeof initial === 'string' ? initial : undefined;

  const label = (
    <>
      {field.text.label}
      {field.required ? null : <span className={styles.optional}> {t('optional')}</span>}
    </>
  );
  const notes = (
    <>
      {hintId ? (
        <p id={hintId} className={styles.hint}>
          {field.text.hint}
        </p>
      ) : null}
      {conditionId && field.condition ? (
        <p id={conditionId} className={styles.hint}>
          {field.condition.answer !== null
            ? t('condition_answer', { answer: field.condition.answer, question: field.condition.question })
            : t(field.condition.ticked ? 'condition_ticked' : 'condition_unticked', { question: field.condition.question })}
        </p>
      ) : null}
    </>
  );
  const errorLine = errorId ? (
    <p id={errorId} className="field-error" data-error-code="validation_failed">
      {error}
    </p>
  ) : null;

  if (field.type === 'checkbox') {
    return (
      <div className={styles.field} data-field={field.id}>
        <div className="check">
          <input id={id} type="checkbox" value="on" defaultChecked={initial === true} aria-invalid={invalid} aria-describedby={describedBy} {...registered} />
          <label htmlFor={id}>{label}</label>
        </div>
        {notes}
        {errorLine}
      </div>
    );
  }

  if (field.type === 'radio' || field.type === 'multi_select') {
    const chosen = Array.isArray(initial) ? initial : typeof initial === 'string' ? [initial] : [];
    return (
      <fieldset className={styles.fieldset} data-field={field.id} aria-describedby={describedBy}>
        <legend className={styles.legend}>{label}</legend>
        {notes}
        {errorLine}
        {(field.choices ?? []).map((choice, index) => {
          const choiceId = index === 0 ? id : `${id}-${index}`;
          return (
            <div className={styles.choice} key={choice.value}>
              <input
                id={choiceId}
                type={field.type === 'radio' ? 'radio' : 'checkbox'}
                value={choice.value}
                defaultChecked={chosen.includes(choice.value)}
                aria-invalid={invalid}
                {...registered}
              />
              <label htmlFor={choiceId}>{choice.label}</label>
            </div>
          );
        })}
      </fieldset>
    );
  }

  let control;
  if (field.type === 'select' || field.type === 'country') {
    control = (
      <select
        id={id}
        className={styles.input}
        defaultValue={text ?? ''}
        autoComplete={autoComplete}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        aria-required={field.required || undefined}
        {...registered}
      >
        <option value="">{field.type === 'country' ? t('choose_country') : t('choose')}</option>
        {(field.choices ?? []).map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    );
  } else if (field.type === 'textarea') {
    control = (
      <textarea
        id={id}
        className={styles.input}
        rows={4}
        defaultValue={text}
        autoComplete={autoComplete}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        aria-required={field.required || undefined}
        {...registered}
      />
    );
  } else {
    control = (
      <input
        id={id}
        className={`${styles.input} ${field.type === 'date' || field.type === 'number' || field.type === 'tel' ? styles.short : ''}`}
        {...inputType(field)}
        defaultValue={text}
        autoComplete={autoComplete}
        spellCheck={field.type === 'text' ? undefined : false}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        aria-required={field.required || undefined}
        {...registered}
      />
    );
  }
  return (
    <div className={styles.field} data-field={field.id}>
      <label htmlFor={id} className={styles.label}>
        {label}
      </label>
      {notes}
      {errorLine}
      {control}
    </div>
  );
}

/**
 * Numbers use a text input with a numeric keyboard: `type="number"` turns what it cannot read into an empty value,
 * so "1,5" would be refused as missing instead of as not a number, and a scroll wheel changes it.
 */
function inputType(field: ProfileFieldView): Record<string, string> {
  switch (field.type) {
    case 'email':
      return { type: 'email' };
    case 'tel':
      return { type: 'tel' };
    case 'url':
      return { type: 'url', inputMode: 'url' };
    case 'number':
      return { type: 'text', inputMode: field.integer && (field.min ?? 0) >= 0 ? 'numeric' : 'decimal' };
    case 'date':
      return { type: 'date', ...(field.date_range?.min ? { min: field.date_range.min } : {}), ...(field.date_range?.max ? { max: field.date_range.max } : {}) };
    default:
      return { type: 'text' };
  }
}
