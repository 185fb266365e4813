/**
 * Limits and names shared by the steps-file schema (start-up), the value schema, the page and its script
 * (enhance.ts). Nothing here may import anything: the browser bundle takes what it uses from this file.
 */

export const FIELD_TYPES = ['text', 'textarea', 'email', 'tel', 'url', 'number', 'date', 'select', 'radio', 'multi_select', 'checkbox', 'country'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Root attributes a profile field may write (Auth0 lets a PATCH set these; an Action cannot set any of them). */
export const ROOT_ATTRIBUTES = ['given_name', 'family_name', 'name', 'nickname', 'picture'] as const;
/** Auth0 takes root attributes as strings of 1 to 300 characters. */
export const ROOT_MAX_LENGTH = 300;

/** No posted value may be larger than this, whatever the field allows (UTF-8 bytes, before trimming). */
export const MAX_VALUE_BYTES = 2048;
/**
 * Longest text a field may declare. The incoming token's profile claim caps strings at 1000 characters, so a value
 * Detour writes can come back in the next login's token.
 */
export const MAX_TEXT_LENGTH = 1000;
export const DEFAULT_MAX_LENGTH: Record<'text' | 'textarea' | 'email' | 'url', number> = { text: 100, textarea: 1000, email: 254, url: 500 };
export const MAX_EMAIL_LENGTH = 254;
/** At most 50 fields: the token's profile claim holds at most 50 keys. */
export const MAX_FIELDS = 50;
export const MAX_OPTIONS = 250;

/**
 * The return token's profile claim waits in the encrypted flow cookie until /complete, and that cookie must stay
 * under 4 KB (DESIGN "Configuration"). The fields one login can ask must not be able to produce more than this
 * many characters of claim.
 */
export const CLAIM_CHARACTER_BUDGET = 2000;

/** Ids are form field names and metadata keys: plain, lower-case, and never `__proto__`-like. */
export const FIELD_ID = /^[a-z][a-z0-9_]{0,63}$/;
/** Option values travel in forms, metadata and (for multi-selects) a comma-separated token value. */
export const OPTION_VALUE = /^[A-Za-z0-9_.:-]{1,64}$/;

// C0 and C1 controls, DEL, and bidi marks/embeddings/overrides/isolates: the token schema refuses them too
// (lib/tokens/session-claims-schema.ts), so a value Detour stores can come back in the next token.
export const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
export const CONTROL_OR_BIDI_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** A number as a field takes it (the schema, and the page's script before posting): digits, a dot, no exponent. */
export const NUMBER = /^[+-]?\d{1,15}(\.\d{1,10})?$/;

/** Field error messages are catalogue keys (messages/en/profile.json); the form fills in the field's limits. */
export const PROFILE_ERRORS = {
  required: 'profile.errors.required',
  must_check: 'profile.errors.must_check',
  invalid: 'profile.errors.invalid',
  too_large: 'profile.errors.too_large',
  too_long: 'profile.errors.too_long',
  too_short: 'profile.errors.too_short',
  invalid_characters: 'profile.errors.invalid_characters',
  pattern: 'profile.errors.pattern',
  invalid_email: 'profile.errors.invalid_email',
  invalid_phone: 'profile.errors.invalid_phone',
  invalid_url: 'profile.errors.invalid_url',
  not_a_number: 'profile.errors.not_a_number',
  not_whole_number: 'profile.errors.not_whole_number',
  number_too_small: 'profile.errors.number_too_small',
  number_too_large: 'profile.errors.number_too_large',
  invalid_date: 'profile.errors.invalid_date',
  date_too_early: 'profile.errors.date_too_early',
  date_too_late: 'profile.errors.date_too_late',
  too_recent: 'profile.errors.too_recent',
  too_long_ago: 'profile.errors.too_long_ago',
  not_an_option: 'profile.errors.not_an_option',
  too_few_selected: 'profile.errors.too_few_selected',
  too_many_selected: 'profile.errors.too_many_selected',
  invalid_country: 'profile.errors.invalid_country',
  unknown_field: 'profile.errors.unknown_field',
} as const;
export type ProfileErrorKey = (typeof PROFILE_ERRORS)[keyof typeof PROFILE_ERRORS];

/** Where errors that belong to no field go (z.flattenError puts them under this key in `fieldErrors`). */
export const FORM_ERROR_KEY = '_form';
