import type { ProfileField } from './config-schema';
import { countryOptions } from './countries';
import { yearsBefore } from './dates';

export interface Choice {
  value: string;
  label: string;
}

/**
 * A field as the form renders it: its declaration (the form builds the same schema from it) plus every text
 * resolved for the person's locale on the server, so the browser needs no catalogue of labels or countries.
 */
export type ProfileFieldView = ProfileField & {
  text: { label: string; hint?: string; pattern_message?: string };
  /** Options of a select, radio group, multi-select or country list, labelled in the person's locale. */
  choices?: Choice[];
  /** For `<input type="date">`: the earliest and latest dates the rules allow, today. */
  date_range?: { min?: string; max?: string };
  /** A conditional field whose controlling field is on the same form: what it depends on, in words. */
  condition?: { question: string; answer: string | null; ticked: boolean };
};

type Texts = Record<string, string>;

export function profileFieldViews(fields: readonly ProfileField[], locale: string, defaultLocale: string, now: Date = new Date()): ProfileFieldView[] {
  const pick = (texts: Texts | undefined) => (texts ? localised(texts, locale, defaultLocale) : undefined);
  const byId = new Map(fields.map((field) => [field.id, field] as const));
  return fields.map((field) => {
    const view: ProfileFieldView = {
      ...field,
      text: {
        label: pick(field.label) ?? field.id,
        ...(field.hint ? { hint: pick(field.hint)! } : {}),
        ...(field.type === 'text' && field.pattern_message ? { pattern_message: pick(field.pattern_message)! } : {}),
      },
    };
    if (field.type === 'select' || field.type === 'radio' || field.type === 'multi_select') {
      view.choices = field.options.map((option) => ({ value: option.value, label: pick(option.label) ?? option.value }));
    }
    if (field.type === 'country') view.choices = countryOptions(locale);
    if (field.type === 'date') view.date_range = dateRange(field, now);
    const controller = field.show_when ? byId.get(field.show_when.field) : undefined;
    if (field.show_when && controller) {
      const equals = field.show_when.equals;
      const option = 'options' in controller ? controller.options.find((o) => o.value === equals) : undefined;
      view.condition = {
        question: pick(controller.label) ?? controller.id,
        answer: option ? (pick(option.label) ?? option.value) : typeof equals === 'boolean' ? null : String(equals),
        ticked: equals === true,
      };
    }
    return view;
  });
}

/** The person's locale, then its language, then the default locale, then whatever the file has. */
export function localised(texts: Texts, locale: string, defaultLocale: string): string | undefined {
  return texts[locale] ?? texts[locale.split('-')[0] ?? ''] ?? texts[defaultLocale] ?? Object.values(texts)[0];
}

function dateRange(field: Extract<ProfileField, { type: 'date' }>, now: Date): { min?: string; max?: string } {
  const lows = [field.min_date, field.max_years_ago !== undefined ? yearsBefore(now, field.max_years_ago) : undefined].filter((d): d is string => !!d);
  const highs = [field.max_date, field.min_years_ago !== undefined ? yearsBefore(now, field.min_years_ago) : undefined].filter((d): d is string => !!d);
  return {
    ...(lows.length ? { min: lows.sort().at(-1)! } : {}),
    ...(highs.length ? { max: highs.sort()[0]! } : {}),
  };
}
