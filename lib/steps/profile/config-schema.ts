import { isSupportedCountry } from 'libphonenumber-js/min';
import { z } from 'zod';
import { isoDate, localeTag, persistMode } from '../../config/schema-parts';
import { isRealDate } from './dates';
import {
  CLAIM_CHARACTER_BUDGET,
  DEFAULT_MAX_LENGTH,
  FIELD_ID,
  MAX_EMAIL_LENGTH,
  MAX_FIELDS,
  MAX_OPTIONS,
  MAX_TEXT_LENGTH,
  OPTION_VALUE,
  ROOT_ATTRIBUTES,
  ROOT_MAX_LENGTH,
} from './field-rules';

/**
 * The `profile` section of the steps file. Every field is checked on its own first, so a bad definition stops
 * start-up with a message naming the field (`field "phone": …`); then the rules that span fields.
 */

const text = (max: number) =>
  z
    .record(localeTag, z.string().trim().min(1).max(max))
    .refine((texts) => Object.keys(texts).length > 0, 'needs the text in at least one locale');

const fieldId = z.string().regex(FIELD_ID, 'must be lower-case letters, digits and underscores, starting with a letter (at most 64)');
const positive = (max: number) => z.int().min(1).max(max);
const pattern = z
  .string()
  .min(1)
  .max(500)
  .refine((source) => compiles(source), 'is not a valid regular expression');

const option = z.strictObject({
  value: z.string().regex(OPTION_VALUE, 'option values may hold letters, digits and _ . : - (at most 64)'),
  label: text(200),
});
const options = z
  .array(option)
  .min(1)
  .max(MAX_OPTIONS)
  .refine((list) => new Set(list.map((o) => o.value)).size === list.length, 'option values must be unique');

/** What every field has, whatever its type. */
const common = {
  id: fieldId,
  label: text(200),
  hint: text(500).optional(),
  required: z.boolean().default(false),
  /** `user_metadata.<id>` (default) or the root attribute named by the id. */
  target: z.enum(['user_metadata', 'root']).default('user_metadata'),
  /** `when_missing`: asked only when the token has no valid value; `always`: also shown, prefilled, when it has one. */
  show: z.enum(['when_missing', 'always']).default('when_missing'),
  /** Shown, and required when `required` is true, only while another (earlier) field has this value. */
  show_when: z
    .strictObject({ field: fieldId, equals: z.union([z.string().min(1).max(64), z.number(), z.boolean()]) })
    .optional(),
  autocomplete: z
    .string()
    .regex(/^[a-z0-9-]+( [a-z0-9-]+)*$/, 'must be an HTML autocomplete token such as "bday"')
    .max(64)
    .optional(),
};

const lengths = (type: keyof typeof DEFAULT_MAX_LENGTH, ceiling: number) => ({
  min_length: positive(ceiling).optional(),
  max_length: positive(ceiling).default(DEFAULT_MAX_LENGTH[type]),
});

const textField = z.strictObject({
  ...common,
  type: z.literal('text'),
  ...lengths('text', MAX_TEXT_LENGTH),
  /** Must match the whole value; `pattern_message` is what the person reads when it does not. */
  pattern: pattern.optional(),
  pattern_message: text(300).optional(),
});
const textareaField = z.strictObject({ ...common, type: z.literal('textarea'), ...lengths('textarea', MAX_TEXT_LENGTH) });
const emailField = z.strictObject({ ...common, type: z.literal('email'), max_length: positive(MAX_EMAIL_LENGTH).default(DEFAULT_MAX_LENGTH.email) });
const urlField = z.strictObject({ ...common, type: z.literal('url'), max_length: positive(MAX_TEXT_LENGTH).default(DEFAULT_MAX_LENGTH.url) });
const telField = z.strictObject({
  ...common,
  type: z.literal('tel'),
  /** Region for numbers typed without a country code (ISO 3166-1 alpha-2). */
  default_country: z
    .string()
    .refine((code) => /^[A-Z]{2}$/.test(code) && isSupportedCountry(code), 'must be an ISO 3166-1 alpha-2 code with a telephone plan, such as "GB"')
    .optional(),
});
const numberField = z.strictObject({
  ...common,
  type: z.literal('number'),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().default(false),
});
const dateField = z.strictObject({
  ...common,
  type: z.literal('date'),
  min_date: isoDate.optional(),
  max_date: isoDate.optional(),
  /** "At least N years ago", e.g. 16 for a minimum age. */
  min_years_ago: z.int().min(0).max(150).optional(),
  /** "At most N years ago", e.g. 120 to catch a mistyped year. */
  max_years_ago: z.int().min(1).max(200).optional(),
});
const selectField = z.strictObject({ ...common, type: z.literal('select'), options });
const radioField = z.strictObject({ ...common, type: z.literal('radio'), options });
const multiSelectField = z.strictObject({
  ...common,
  type: z.literal('multi_select'),
  options,
  min_selected: positive(MAX_OPTIONS).optional(),
  max_selected: positive(MAX_OPTIONS).optional(),
});
const checkboxField = z.strictObject({ ...common, type: z.literal('checkbox') });
const countryField = z.strictObject({ ...common, type: z.literal('country') });

const fieldSchema = z
  .discriminatedUnion('type', [
    textField,
    textareaField,
    emailField,
    telField,
    urlField,
    numberField,
    dateField,
    selectField,
    radioField,
    multiSelectField,
    checkboxField,
    countryField,
  ])
  .superRefine((field, ctx) => {
    const problem = (message: string, path: PropertyKey[] = []) => ctx.addIssue({ code: 'custom', message, path });
    if ('min_length' in field && field.min_length !== undefined && field.min_length > field.max_length) problem('min_length is above max_length', ['min_length']);
    if (field.type === 'number' && field.min !== undefined && field.max !== undefined && field.min > field.max) problem('min is above max', ['min']);
    if (field.type === 'date') {
      if (field.min_date && !isRealDate(field.min_date)) problem('is not a real date', ['min_date']);
      if (field.max_date && !isRealDate(field.max_date)) problem('is not a real date', ['max_date']);
      if (field.min_date && field.max_date && field.min_date > field.max_date) problem('min_date is after max_date', ['min_date']);
      if (field.min_years_ago !== undefined && field.max_years_ago !== undefined && field.min_years_ago >= field.max_years_ago) {
        problem('min_years_ago must be below max_years_ago', ['min_years_ago']);
      }
    }
    if (field.type === 'multi_select') {
      const most = field.max_selected ?? field.options.length;
      if (most > field.options.length) problem('max_selected is above the number of options', ['max_selected']);
      if (field.min_selected !== undefined && field.min_selected > most) problem('min_selected is above max_selected', ['min_selected']);
    }
    if (field.target === 'root') {
      if (!(ROOT_ATTRIBUTES as readonly string[]).includes(field.id)) {
        problem(`target "root" is only for ${ROOT_ATTRIBUTES.join(', ')}; write other fields to user_metadata`, ['target']);
      } else if (!(field.type === 'text' || (field.type === 'url' && field.id === 'picture'))) {
        problem(`a root attribute is text${field.id === 'picture' ? ' or url' : ''}`, ['type']);
      } else if (field.max_length > ROOT_MAX_LENGTH) {
        problem(`Auth0 takes at most ${ROOT_MAX_LENGTH} characters in a root attribute`, ['max_length']);
      }
    }
  });

export type ProfileField = z.output<typeof fieldSchema>;
export type ProfileFieldOption = z.output<typeof option>;

/**
 * Each field alone, then the rules between fields. A problem names the field by its id (or its position when it
 * has no usable id), because "fields.3.max_length" alone is hard to find in a long file.
 */
const fieldsSchema = z
  .array(z.unknown())
  .min(1)
  .max(MAX_FIELDS)
  .transform((items, ctx): ProfileField[] => {
    const fields: ProfileField[] = [];
    items.forEach((item, index) => {
      const parsed = fieldSchema.safeParse(item);
      if (parsed.success) {
        fields.push(parsed.data);
        return;
      }
      const name = nameOf(item, index);
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: [index, ...issue.path], message: `${name}: ${issue.message}` });
    });
    if (fields.length !== items.length) return z.NEVER;
    for (const [index, message] of crossFieldProblems(fields)) ctx.addIssue({ code: 'custom', path: [index], message });
    return fields;
  });

export const profileConfigSchema = z
  .strictObject({
    persist: persistMode,
    /** Ask at most this many fields in one login (the most important first); the rest wait for the next one. */
    max_fields_per_login: positive(MAX_FIELDS).optional(),
    fields: fieldsSchema,
  })
  .superRefine((section, ctx) => {
    if (section.persist === 'action') {
      section.fields.forEach((field, index) => {
        if (field.target === 'root') {
          ctx.addIssue({
            code: 'custom',
            path: ['fields', index, 'target'],
            message: `field "${field.id}": persist "action" cannot write root attributes (an Action cannot set ${field.id}); use persist "management_api" or target "user_metadata"`,
          });
        }
      });
    }
    const perLogin = Math.min(section.max_fields_per_login ?? section.fields.length, section.fields.length);
    const worst = section.fields
      .map(claimCharacters)
      .sort((a, b) => b - a)
      .slice(0, perLogin)
      .reduce((sum, size) => sum + size, 0);
    if (worst > CLAIM_CHARACTER_BUDGET) {
      ctx.addIssue({
        code: 'custom',
        path: ['fields'],
        message: `one login could produce ${worst} characters of answers, more than the ${CLAIM_CHARACTER_BUDGET} the sign-in cookie can carry; lower max_length or max_fields_per_login`,
      });
    }
  });

export type ProfileConfig = z.output<typeof profileConfigSchema>;

function crossFieldProblems(fields: ProfileField[]): [number, string][] {
  const problems: [number, string][] = [];
  const seen = new Map<string, ProfileField>();
  fields.forEach((field, index) => {
    if (seen.has(field.id)) problems.push([index, `field "${field.id}": the id is used by another field`]);
    const when = field.show_when;
    if (when) {
      const controller = seen.get(when.field);
      if (!controller) {
        problems.push([index, `field "${field.id}": show_when.field "${when.field}" must name a field declared before it`]);
      } else {
        const problem = conditionProblem(controller, when.equals);
        if (problem) problems.push([index, `field "${field.id}": show_when.equals ${problem}`]);
      }
    }
    seen.set(field.id, field);
  });
  return problems;
}

function conditionProblem(controller: ProfileField, equals: string | number | boolean): string | null {
  switch (controller.type) {
    case 'checkbox':
      return typeof equals === 'boolean' ? null : `must be true or false, as "${controller.id}" is a checkbox`;
    case 'number':
      return typeof equals === 'number' ? null : `must be a number, as "${controller.id}" is a number`;
    case 'select':
    case 'radio':
      return typeof equals === 'string' && controller.options.some((o) => o.value === equals) ? null : `must be one of the options of "${controller.id}"`;
    case 'country':
      return typeof equals === 'string' && /^[A-Z]{2}$/.test(equals) ? null : `must be a country code such as "DE"`;
    case 'multi_select':
      return `cannot depend on the multi-select "${controller.id}"`;
    default:
      return typeof equals === 'string' ? null : `must be a string, as "${controller.id}" is ${controller.type}`;
  }
}

/** The most characters a field's answer can add to the claim (its id, quotes and separators included). */
function claimCharacters(field: ProfileField): number {
  const overhead = field.id.length + 4;
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'email':
    case 'url':
      return overhead + field.max_length + 2;
    case 'tel':
      return overhead + 18;
    case 'number':
      return overhead + 24;
    case 'date':
      return overhead + 12;
    case 'checkbox':
      return overhead + 5;
    case 'country':
      return overhead + 4;
    case 'select':
    case 'radio':
      return overhead + Math.max(...field.options.map((o) => o.value.length)) + 2;
    case 'multi_select':
      return overhead + 2 + field.options.reduce((sum, o) => sum + o.value.length + 3, 0);
  }
}

function nameOf(item: unknown, index: number): string {
  const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).id : undefined;
  return typeof id === 'string' && FIELD_ID.test(id) ? `field "${id}"` : `field #${index + 1}`;
}

function compiles(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}
