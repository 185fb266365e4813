import { z } from 'zod';
import { conditionHolds } from './condition';
import type { ProfileField } from './config-schema';
import { COUNTRY_CODES } from './countries';
import { isRealDate, yearsBefore } from './dates';
import { CONTROL_OR_BIDI, CONTROL_OR_BIDI_EXCEPT_NEWLINE, FORM_ERROR_KEY, MAX_VALUE_BYTES, NUMBER, PROFILE_ERRORS as E, type ProfileErrorKey } from './field-rules';
import { isAcceptedPhone, parsePhone, phoneRegion } from './phone';

export { conditionHolds };

/**
 * The one schema of the profile form: built from the field declarations of the steps file and run on the posted
 * form (the page's script only mirrors the simple rules with the browser's own constraint checks, enhance.ts). Its
 * output is what is stored: trimmed text, phone numbers in E.164, dates as YYYY-MM-DD, numbers as numbers, a
 * checkbox as a boolean.
 *
 * Phone numbers use libphonenumber-js's `min` metadata (about 80 kB; the browser loads it only once a phone field
 * is used, phone.ts): it checks
 * each country's number lengths and leading digits. `max` (145 kB) would also check digit ranges per number type,
 * which this form does not need and which goes stale faster when countries open new ranges.
 *
 * Error messages are catalogue keys (`profile.errors.*`). Every rule is a continuing check, so one submission
 * reports every field at once; only a value of the wrong type (a repeated name, an object) stops early.
 */

export type ProfileValue = string | number | boolean | string[];
export type ProfileValues = Record<string, ProfileValue>;
/** What the token said this person already has: the values a condition can depend on when its field is not asked. */
export type KnownValues = Record<string, string | number | boolean>;
export type ProfileSchema = z.ZodType<ProfileValues, Record<string, unknown>>;

export interface ProfileSchemaOptions {
  /** The person's locale; a region in it (`pt-BR`) is the default country for phone numbers typed without one. */
  locale?: string;
  /** Current values of fields not on the form, for `show_when` conditions that depend on them. */
  known?: KnownValues;
  /** Injected so tests can freeze the date that "at least N years ago" counts from. */
  now?: () => Date;
}

/** Each field schema reports the first rule its value breaks (and only that one). */
const FIRST_PROBLEM_ONLY = { when: (payload: z.core.ParsePayload) => payload.issues.length === 0 };
type Rule<T> = readonly [test: (value: T) => boolean, error: ProfileErrorKey];

function withRules<T>(schema: z.ZodType<T, unknown>, rules: readonly Rule<T>[]): z.ZodType<T, unknown> {
  return rules.reduce<z.ZodType<T, unknown>>((current, [test, error]) => current.refine(test, { error, ...FIRST_PROBLEM_ONLY }), schema);
}

const utf8 = new TextEncoder();
const fitsInBytes = (value: string) => value.length <= MAX_VALUE_BYTES && utf8.encode(value).length <= MAX_VALUE_BYTES;

/**
 * A posted text value: absent is empty; anything but a string (a name sent twice, an object from a crafted post)
 * is refused; over 2 KB is refused before any other rule; then newlines are made `\n` and the ends trimmed.
 */
const postedText = z
  .preprocess((value) => (value === undefined || value === null ? '' : typeof value === 'number' ? String(value) : value), z.string({ error: E.invalid }))
  .refine(fitsInBytes, { error: E.too_large, ...FIRST_PROBLEM_ONLY })
  .transform((value) => value.replace(/\r\n?/g, '\n').trim());

/** Rules that only apply to an answer: an empty optional field passes them. */
const answered = (test: (value: string) => boolean) => (value: string) => value === '' || test(value);

function textField(field: ProfileField, rules: Rule<string>[], normalise: (value: string) => ProfileValue = (value) => value) {
  const required: Rule<string>[] = field.required ? [[(value) => value !== '', E.required]] : [];
  const all = [...required, ...rules.map(([test, error]) => [answered(test), error] as const)];
  return withRules(postedText, all).transform((value) => (value === '' ? undefined : normalise(value)));
}

function lengthRules(field: { min_length?: number | undefined; max_length: number }): Rule<string>[] {
  return [
    [(value) => value.length <= field.max_length, E.too_long],
    ...(field.min_length !== undefined ? [[(value: string) => value.length >= field.min_length!, E.too_short] as const] : []),
  ];
}

const noControls: Rule<string> = [(value) => !CONTROL_OR_BIDI.test(value), E.invalid_characters];
const EMAIL = z.email();

/** The schema of one field's value, on its own (conditions are the object's business). */
export function buildFieldSchema(field: ProfileField, options: ProfileSchemaOptions = {}): z.ZodType<ProfileValue | undefined, unknown> {
  const now = options.now ?? (() => new Date());
  switch (field.type) {
    case 'text': {
      const pattern = field.pattern ? new RegExp(`^(?:${field.pattern})$`, 'u') : null;
      return textField(field, [noControls, ...lengthRules(field), ...(pattern ? [[(value: string) => pattern.test(value), E.pattern] as const] : [])]);
    }
    case 'textarea':
      return textField(field, [[(value) => !CONTROL_OR_BIDI_EXCEPT_NEWLINE.test(value), E.invalid_characters], ...lengthRules(field)]);
    case 'email':
      return textField(
        field,
        [noControls, [(value) => value.length <= field.max_length, E.too_long], [(value) => EMAIL.safeParse(value).success, E.invalid_email]],
        (value) => {
          const at = value.lastIndexOf('@');
          return value.slice(0, at + 1) + value.slice(at + 1).toLowerCase();
        },
      );
    case 'url':
      return textField(field, [noControls, [(value) => value.length <= field.max_length, E.too_long], [isWebAddress, E.invalid_url]]);
    case 'tel': {
      const region = phoneRegion(field.default_country, options.locale);
      return textField(field, [[(value) => isAcceptedPhone(value, region), E.invalid_phone]], (value) => parsePhone(value, region)!.number);
    }
    case 'number': {
      const { min, max } = field;
      return textField(
        field,
        [
          [(value) => NUMBER.test(value), E.not_a_number],
          ...(field.integer ? [[(value: string) => Number.isInteger(Number(value)), E.not_whole_number] as const] : []),
          ...(min !== undefined ? [[(value: string) => Number(value) >= min, E.number_too_small] as const] : []),
          ...(max !== undefined ? [[(value: string) => Number(value) <= max, E.number_too_large] as const] : []),
        ],
        Number,
      );
    }
    case 'date': {
      const { min_date: earliest, max_date: latest, min_years_ago: minYears, max_years_ago: maxYears } = field;
      return textField(field, [
        [isRealDate, E.invalid_date],
        ...(earliest ? [[(value: string) => value >= earliest, E.date_too_early] as const] : []),
        ...(latest ? [[(value: string) => value <= latest, E.date_too_late] as const] : []),
        ...(minYears !== undefined ? [[(value: string) => value <= yearsBefore(now(), minYears), E.too_recent] as const] : []),
        ...(maxYears !== undefined ? [[(value: string) => value >= yearsBefore(now(), maxYears), E.too_long_ago] as const] : []),
      ]);
    }
    case 'select':
    case 'radio': {
      const values = new Set(field.options.map((option) => option.value));
      return textField(field, [[(value) => values.has(value), E.not_an_option]]);
    }
    case 'country':
      return textField(field, [[(value) => COUNTRY_CODES.has(value.toUpperCase()), E.invalid_country]], (value) => value.toUpperCase());
    case 'checkbox':
      return withRules(postedCheckbox, field.required ? [[(checked) => checked, E.must_check]] : []);
    case 'multi_select':
      return multiSelect(field);
  }
}

/** A plain post sends `on` for a ticked box and nothing for an empty one; a boolean is read as itself. */
const postedCheckbox = z.preprocess((value) => {
  if (value === true || value === 'on' || value === 'true') return true;
  if (value === false || value === undefined || value === null || value === '' || value === 'off' || value === 'false') return false;
  return value;
}, z.boolean({ error: E.invalid }));

function multiSelect(field: Extract<ProfileField, { type: 'multi_select' }>) {
  const order = field.options.map((option) => option.value);
  const posted = z.preprocess((value) => {
    if (value === undefined || value === null || value === false || value === '') return [];
    return typeof value === 'string' ? [value] : value;
  }, z.array(z.string({ error: E.invalid }), { error: E.invalid }));
  const rules: Rule<string[]>[] = [
    [(values) => values.length <= order.length && fitsInBytes(values.join(',')), E.too_large],
    [(values) => values.every((value) => order.includes(value)), E.not_an_option],
    ...(field.required ? [[(values: string[]) => values.length > 0, E.required] as const] : []),
    ...(field.min_selected !== undefined ? [[(values: string[]) => values.length === 0 || new Set(values).size >= field.min_selected!, E.too_few_selected] as const] : []),
    ...(field.max_selected !== undefined ? [[(values: string[]) => new Set(values).size <= field.max_selected!, E.too_many_selected] as const] : []),
  ];
  // Stored in the order of the options, once each; nothing chosen in an optional field is not written.
  return withRules(posted, rules).transform((values) => (values.length === 0 ? undefined : order.filter((value) => values.includes(value))));
}

/**
 * The schema of the whole form: exactly the fields shown. A name that is not one of them is refused (under `_form`,
 * where the form shows errors that belong to no field), and a conditional field is validated, required and stored
 * only while its condition holds.
 */
export function buildProfileSchema(fields: readonly ProfileField[], options: ProfileSchemaOptions = {}): ProfileSchema {
  const schemas = new Map(fields.map((field) => [field.id, buildFieldSchema(field, options)] as const));
  const byId = new Map(fields.map((field) => [field.id, field] as const));
  const known = options.known ?? {};
  const shape = Object.fromEntries(fields.map((field) => [field.id, field.show_when ? z.unknown().optional() : schemas.get(field.id)!]));

  const applies = (field: ProfileField, values: Record<string, unknown>) => isFieldActive(field, byId, values, known);

  return z
    .looseObject(shape)
    .superRefine((values, ctx) => {
      if (Object.keys(values).some((name) => !byId.has(name))) {
        ctx.addIssue({ code: 'custom', path: [FORM_ERROR_KEY], message: E.unknown_field });
      }
      for (const field of fields) {
        if (!field.show_when || !applies(field, values)) continue;
        const parsed = schemas.get(field.id)!.safeParse(values[field.id]);
        if (!parsed.success) ctx.addIssue({ code: 'custom', path: [field.id], message: parsed.error.issues[0]?.message ?? E.invalid });
      }
    })
    .transform((values) => {
      const output: ProfileValues = {};
      for (const field of fields) {
        if (!applies(field, values)) continue;
        const value = field.show_when ? schemas.get(field.id)!.parse(values[field.id]) : (values[field.id] as ProfileValue | undefined);
        if (value !== undefined) output[field.id] = value;
      }
      return output;
    }) as unknown as ProfileSchema;
}

/**
 * Whether a field counts: always, unless it has a `show_when` whose condition fails. The controlling field's value
 * is read from the form when it is on it (and must itself be active), else from what the token said.
 */
export function isFieldActive(field: ProfileField, byId: ReadonlyMap<string, ProfileField>, values: Record<string, unknown>, known: KnownValues): boolean {
  const when = field.show_when;
  if (!when) return true;
  const controller = byId.get(when.field);
  if (!controller) return conditionHolds(when.equals, known[when.field]);
  return isFieldActive(controller, byId, values, known) && conditionHolds(when.equals, values[when.field]);
}

function isWebAddress(value: string): boolean {
  if (!/^https?:\/\/\S+$/i.test(value) || !URL.canParse(value)) return false;
  const url = new URL(value);
  return url.hostname !== '' && url.username === '' && url.password === '';
}
