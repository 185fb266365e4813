'use client';

import { useTranslations } from 'next-intl';
import { PROFILE_ERRORS } from '@/lib/steps/profile/field-rules';
import type { ProfileFieldView } from '@/lib/steps/profile/view';

/**
 * Field errors are catalogue keys (`profile.errors.too_long`); this turns one into the sentence for a field, with
 * the field's own limits filled in, or the field's custom message for a pattern it does not match.
 */
export function useFieldErrorMessage(locale: string) {
  const t = useTranslations();
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const formatDate = (iso: string | undefined) => (iso ? dates.format(new Date(`${iso}T00:00:00Z`)) : '');
  return (key: string | undefined, field?: ProfileFieldView): string => {
    if (key === PROFILE_ERRORS.pattern && field?.text.pattern_message) return field.text.pattern_message;
    if (!key || !t.has(key as never)) return t('errors.validation_failed');
    return t(key as never, (field ? parameters(key, field, formatDate) : {}) as never);
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
        date: formatDate(key === PROFILE_ERRORS.date_too_late ? field.max_date : field.min_date),
        years: (key === PROFILE_ERRORS.too_long_ago ? field.max_years_ago : field.min_years_ago) ?? 0,
      };
    case 'multi_select':
      return { min: field.min_selected ?? 1, max: field.max_selected ?? field.options.length };
    default:
      return {};
  }
}
