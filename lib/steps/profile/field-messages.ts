import type { Translate } from '../../i18n/catalogue';
import type { CheckName, FieldChecks } from './browser-checks';
import { PROFILE_ERRORS as E } from './field-rules';
import type { ProfileFieldView } from './field-views';

/** A field error (a catalogue key, `profile.errors.too_long`) as the sentence the person reads. */
export type FieldMessage = (key: string | undefined, field?: ProfileFieldView) => string;

/**
 * The sentence for an error key, with the field's own limits filled in, or the field's custom message for a pattern
 * it does not match. A key the catalogue lacks (or a sentence) reads as the generic "check your answers".
 */
export function fieldMessages(t: Translate, locale: string): FieldMessage {
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const formatDate = (iso: string | undefined) => (iso ? dates.format(new Date(`${iso}T00:00:00Z`)) : '');
  return (key, field) => {
    if (key === E.pattern && field?.text.pattern_message) return field.text.pattern_message;
    if (!key) return t('errors.validation_failed');
    const text = t(key, field ? parameters(key, field, formatDate) : {});
    return text === key ? t('errors.validation_failed') : text;
  };
}

function parameters(key: string, field: ProfileFieldView, formatDate: (iso: string | undefined) => string): Record<string, string | number> {
  switch (field.type) {
    case 'text':
    case 'textarea':
      return { max: field.max_length, min: field.min_length ?? 0 };
    case 'email':
    case 'url':
      return { max: field.max_length, min: 0 };
    case 'number':
      return { min: field.min ?? 0, max: field.max ?? 0 };
    case 'date':
      return {
        date: formatDate(key === E.date_too_late ? field.max_date : field.min_date),
        years: (key === E.too_long_ago ? field.max_years_ago : field.min_years_ago) ?? 0,
      };
    case 'multi_select':
      return { min: field.min_selected ?? 1, max: field.max_selected ?? field.options.length };
    default:
      return {};
  }
}

/**
 * What the page's script checks in this field before posting (browser-checks.ts), each problem with the sentence
 * the server would answer, so both say the same thing. Only the checks the field's markup can fail are listed.
 */
export function browserChecks(field: ProfileFieldView, message: FieldMessage, phoneRegion: string | undefined): FieldChecks {
  const messages: FieldChecks['messages'] = {};
  const say = (check: CheckName, key: string) => (messages[check] = message(key, field));
  if (field.required) say('valueMissing', field.type === 'checkbox' ? E.must_check : E.required);
  const checks: FieldChecks = { messages };
  switch (field.type) {
    case 'text':
    case 'textarea':
      say('tooLong', E.too_long);
      if (field.min_length !== undefined) say('tooShort', E.too_short);
      if (field.type === 'text' && field.pattern) say('patternMismatch', E.pattern);
      break;
    case 'email':
    case 'url':
      say('typeMismatch', field.type === 'email' ? E.invalid_email : E.invalid_url);
      say('tooLong', E.too_long);
      break;
    case 'tel':
      say('invalidPhone', E.invalid_phone);
      checks.phoneRegion = phoneRegion ?? '';
      break;
    case 'number':
      checks.number = { integer: field.integer, ...(field.min !== undefined ? { min: field.min } : {}), ...(field.max !== undefined ? { max: field.max } : {}) };
      say('notANumber', E.not_a_number);
      if (field.integer) say('notWholeNumber', E.not_whole_number);
      if (field.min !== undefined) say('numberTooSmall', E.number_too_small);
      if (field.max !== undefined) say('numberTooLarge', E.number_too_large);
      break;
    case 'date': {
      // A half-typed date is `badInput`; the input's min and max are the tightest of the rules (field-views.ts).
      say('badInput', E.invalid_date);
      const { min, max } = field.date_range ?? {};
      if (min) say('rangeUnderflow', min === field.min_date ? E.date_too_early : E.too_long_ago);
      if (max) say('rangeOverflow', max === field.max_date ? E.date_too_late : E.too_recent);
      break;
    }
    case 'multi_select':
      checks.selected = {
        required: field.required,
        ...(field.min_selected !== undefined ? { min: field.min_selected } : {}),
        ...(field.max_selected !== undefined ? { max: field.max_selected } : {}),
      };
      if (field.min_selected !== undefined) say('tooFewSelected', E.too_few_selected);
      if (field.max_selected !== undefined) say('tooManySelected', E.too_many_selected);
      break;
    default:
      break;
  }
  return checks;
}
