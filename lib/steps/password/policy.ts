import type { PasswordConfig, PasswordLevel } from './config-schema';

/**
 * The password rules as plain data, shared by the server (the form schema, persist) and the browser (the live
 * checklist). Nothing here may import server-only code or zxcvbn: this module is in the page's first load.
 */

export type CharacterClass = 'lower' | 'upper' | 'digit' | 'special';

export interface PasswordPolicy {
  minLength: number;
  /** Auth0 hashes with bcrypt, which reads 72 bytes and silently drops the rest. */
  maxBytes: number;
  /** At least `required` of the classes in `of`; null when the level asks for none. */
  classes: { required: number; of: CharacterClass[] } | null;
  /** At most this many identical characters in a row; null when there is no such rule. */
  maxRepeated: number | null;
  /** zxcvbn score 0–4 (0 means no strength rule). */
  minScore: number;
}

/** Rules the form schema checks, in the order the checklist lists them. */
export type PasswordRuleId = 'min_length' | 'classes' | 'max_repeated' | 'personal_info';

export const MAX_PASSWORD_BYTES = 72;

const ALL_CLASSES: CharacterClass[] = ['lower', 'upper', 'digit', 'special'];

// Auth0's presets, from password-sheriff (what Auth0 runs for a database connection's `passwordPolicy`).
const LEVELS: Record<PasswordLevel, { minLength: number; classes: PasswordPolicy['classes']; maxRepeated: number | null }> = {
  none: { minLength: 1, classes: null, maxRepeated: null },
  low: { minLength: 6, classes: null, maxRepeated: null },
  fair: { minLength: 8, classes: { required: 3, of: ['lower', 'upper', 'digit'] }, maxRepeated: null },
  good: { minLength: 8, classes: { required: 3, of: ALL_CLASSES }, maxRepeated: null },
  excellent: { minLength: 10, classes: { required: 3, of: ALL_CLASSES }, maxRepeated: 2 },
};

// password-sheriff's character sets: ASCII letters and digits, and OWASP's list of special characters
// (space and ASCII punctuation). A letter such as "é" counts for none of them, as in Auth0.
const CLASS_TESTS: Record<CharacterClass, RegExp> = {
  lower: /[a-z]/,
  upper: /[A-Z]/,
  digit: /[0-9]/,
  special: /[ !"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/,
};

/** The effective policy: where the steps file and the level both set a rule, the stricter one wins. */
export function policyFromConfig(config: Pick<PasswordConfig, 'min_length' | 'level' | 'max_repeated' | 'min_score'>): PasswordPolicy {
  const level = LEVELS[config.level];
  const repeatCaps = [config.max_repeated, level.maxRepeated].filter((n): n is number => typeof n === 'number');
  return {
    minLength: Math.max(config.min_length, level.minLength),
    maxBytes: MAX_PASSWORD_BYTES,
    classes: level.classes,
    maxRepeated: repeatCaps.length > 0 ? Math.min(...repeatCaps) : null,
    minScore: config.min_score,
  };
}

export function characterClassesIn(password: string): Set<CharacterClass> {
  return new Set(ALL_CLASSES.filter((c) => CLASS_TESTS[c].test(password)));
}

/** Longest run of one character repeated (code points, so an emoji counts once). */
export function longestRun(password: string): number {
  let longest = 0;
  let run = 0;
  let previous: string | undefined;
  for (const char of password) {
    run = char === previous ? run + 1 : 1;
    previous = char;
    longest = Math.max(longest, run);
  }
  return longest;
}

const fold = (text: string) => text.normalize('NFKC').toLowerCase();
const MIN_PERSONAL_LENGTH = 3;

/**
 * What a password must not contain, from the token's claims: the email's local part (and its part before a
 * `+tag`) and each word of the name. Names are often the email itself in Auth0, so an `@` word counts by its
 * local part. Words shorter than three characters are left out: refusing every password with "al" in it helps
 * nobody.
 */
export function personalInfoOf(claims: { email?: string | undefined; name?: string | undefined }): string[] {
  const found = new Set<string>();
  const addLocalPart = (address: string) => {
    const local = fold(address.split('@', 1)[0] ?? '');
    found.add(local);
    found.add(local.split('+', 1)[0] ?? '');
  };
  if (claims.email) addLocalPart(claims.email);
  for (const word of (claims.name ?? '').split(/\s+/u)) {
    if (word.includes('@')) addLocalPart(word);
    else found.add(fold(word));
  }
  return [...found].filter((word) => [...word].length >= MIN_PERSONAL_LENGTH).sort();
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Which of the checklist rules the password meets. `personal` comes from `personalInfoOf`. */
export function evaluateRules(password: string, policy: PasswordPolicy, personal: readonly string[]): Record<PasswordRuleId, boolean> {
  const classes = characterClassesIn(password);
  const folded = fold(password);
  return {
    // UTF-16 length, as Auth0 measures it.
    min_length: password.length >= policy.minLength,
    classes: policy.classes === null || policy.classes.of.filter((c) => classes.has(c)).length >= policy.classes.required,
    max_repeated: policy.maxRepeated === null || longestRun(password) <= policy.maxRepeated,
    personal_info: !personal.some((word) => folded.includes(word)),
  };
}

/** The rules that apply to this policy and person, for the checklist (a rule that cannot fail is not listed). */
export function applicableRules(policy: PasswordPolicy, personal: readonly string[]): PasswordRuleId[] {
  const rules: PasswordRuleId[] = ['min_length'];
  if (policy.classes) rules.push('classes');
  if (policy.maxRepeated !== null) rules.push('max_repeated');
  if (personal.length > 0) rules.push('personal_info');
  return rules;
}
