import type { ReactNode } from 'react';
import { FieldErrors } from '@/components/feedback';
import type { Translate } from '../../i18n/catalogue';
import type { FieldChecks } from './browser-checks';
import type { ProfileFieldView } from './field-views';
import type { FormValue } from './plan';

export interface ProfileFieldProps {
  field: ProfileFieldView;
  /** What the input holds: as posted after a refusal, else what the person already has. */
  value: FormValue | undefined;
  /** The sentence under the field when its value was refused. */
  error: string | undefined;
  /** What the page's script checks before posting, with its sentences (enhance.ts reads `data-checks`). */
  checks: FieldChecks;
  t: Translate;
}

export const inputId = (id: string) => `field-${id}`;

/** Autocomplete tokens for the common cases; the steps file can name another with `autocomplete`. */
const AUTOCOMPLETE_BY_ID: Record<string, string> = { given_name: 'given-name', family_name: 'family-name', name: 'name', nickname: 'nickname', picture: 'photo' };
const AUTOCOMPLETE_BY_TYPE: Partial<Record<ProfileFieldView['type'], string>> = { email: 'email', tel: 'tel', url: 'url', country: 'country' };

/**
 * One field: label (or legend), hint, the condition it depends on in words, the error, the control. Hint and error
 * are tied to the control by aria-describedby. `data-*` on the wrapper is what the page's script works from.
 */
export function ProfileField({ field, value, error, checks, t }: ProfileFieldProps) {
  const id = inputId(field.id);
  const hintId = field.text.hint ? `${id}-hint` : undefined;
  // Rendered for every conditional field: without JavaScript all fields show, so each says when it is needed
  // (the script hides the sentence along with the fields whose condition does not hold).
  const conditionId = field.condition ? `${id}-condition` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, conditionId, errorId].filter(Boolean).join(' ') || undefined;
  const invalid = error ? true : undefined;
  const wrapper = {
    'data-field': field.id,
    'data-label': field.text.label,
    'data-checks': JSON.stringify(checks),
    ...(field.condition && field.show_when ? { 'data-show-when': JSON.stringify(field.show_when) } : {}),
  };
  const label = (
    <>
      {field.text.label}
      {field.required ? null : <span className="profile-optional"> {t('profile.optional')}</span>}
    </>
  );
  const notes = (
    <>
      {hintId ? (
        <p id={hintId} className="profile-hint">
          {field.text.hint}
        </p>
      ) : null}
      {conditionId && field.condition ? (
        <p id={conditionId} className="profile-hint">
          {conditionText(field.condition, t)}
        </p>
      ) : null}
      <FieldErrors id={`${id}-error`} code="validation_failed" messages={error ? [error] : []} />
    </>
  );

  if (field.type === 'checkbox') {
    return (
      <div className="profile-field" {...wrapper}>
        <div className="check">
          <input id={id} type="checkbox" name={field.id} value="on" defaultChecked={value === true} required={field.required} aria-invalid={invalid} aria-describedby={describedBy} />
          <label htmlFor={id}>{label}</label>
        </div>
        {notes}
      </div>
    );
  }
  if (field.type === 'radio' || field.type === 'multi_select') {
    const chosen = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
    const type = field.type === 'radio' ? 'radio' : 'checkbox';
    return (
      <fieldset className="profile-fieldset" aria-describedby={describedBy} {...wrapper}>
        <legend className="profile-legend">{label}</legend>
        {notes}
        {(field.choices ?? []).map((choice, index) => {
          const choiceId = index === 0 ? id : `${id}-${index}`;
          return (
            <div className="profile-choice" key={choice.value}>
              {/* A required radio group is native (`required` on each button); a multi-select's count is the script's. */}
              <input id={choiceId} type={type} name={field.id} value={choice.value} defaultChecked={chosen.includes(choice.value)} required={type === 'radio' && field.required} aria-invalid={invalid} />
              <label htmlFor={choiceId}>{choice.label}</label>
            </div>
          );
        })}
      </fieldset>
    );
  }
  const control = { id, name: field.id, required: field.required, autoComplete: field.autocomplete ?? AUTOCOMPLETE_BY_ID[field.id] ?? AUTOCOMPLETE_BY_TYPE[field.type] ?? 'off', 'aria-invalid': invalid, 'aria-describedby': describedBy };
  const text = typeof value === 'string' ? value : undefined;
  return (
    <div className="profile-field" {...wrapper}>
      <label htmlFor={id} className="profile-label">
        {label}
      </label>
      {notes}
      {textControl(field, control, text, t)}
    </div>
  );
}

type ControlProps = { id: string; name: string; required: boolean; autoComplete: string; 'aria-invalid': boolean | undefined; 'aria-describedby': string | undefined };

function textControl(field: ProfileFieldView, control: ControlProps, text: string | undefined, t: Translate): ReactNode {
  if (field.type === 'select' || field.type === 'country') {
    return (
      <select className="profile-input" defaultValue={text ?? ''} {...control}>
        <option value="">{t(field.type === 'country' ? 'profile.choose_country' : 'profile.choose')}</option>
        {(field.choices ?? []).map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    );
  }
  if (field.type === 'textarea') {
    return <textarea className="profile-input" rows={4} defaultValue={text} maxLength={field.max_length} minLength={field.min_length} {...control} />;
  }
  const short = field.type === 'date' || field.type === 'number' || field.type === 'tel';
  return <input className={short ? 'profile-input profile-short' : 'profile-input'} {...inputAttributes(field)} defaultValue={text} spellCheck={field.type === 'text' ? undefined : false} {...control} />;
}

/**
 * The input's type and native limits, so the browser helps before posting (maxlength stops typing, a date picker
 * keeps to its range, a phone gets the dial pad). Numbers use a text input with a numeric keyboard: `type="number"`
 * turns what it cannot read into an empty value, so "1,5" would be refused as missing instead of as not a number,
 * and a scroll wheel changes it. A `pattern` the browser cannot compile (its `v` flag is stricter than the
 * server's `u`) is ignored by the browser and still checked by the server.
 */
function inputAttributes(field: ProfileFieldView): Record<string, string | number> {
  switch (field.type) {
    case 'email':
      return { type: 'email', maxLength: field.max_length };
    case 'tel':
      return { type: 'tel' };
    case 'url':
      return { type: 'url', inputMode: 'url', maxLength: field.max_length };
    case 'number':
      return { type: 'text', inputMode: field.integer && (field.min ?? 0) >= 0 ? 'numeric' : 'decimal' };
    case 'date':
      return { type: 'date', ...(field.date_range?.min ? { min: field.date_range.min } : {}), ...(field.date_range?.max ? { max: field.date_range.max } : {}) };
    case 'text':
      return { type: 'text', maxLength: field.max_length, ...(field.min_length !== undefined ? { minLength: field.min_length } : {}), ...(field.pattern ? { pattern: field.pattern } : {}) };
    default:
      return { type: 'text' };
  }
}

function conditionText(condition: NonNullable<ProfileFieldView['condition']>, t: Translate): string {
  if (condition.answer !== null) return t('profile.condition_answer', { answer: condition.answer, question: condition.question });
  return t(condition.ticked ? 'profile.condition_ticked' : 'profile.condition_unticked', { question: condition.question });
}
