import { applicableRules, evaluateRules, utf8Length, type PasswordPolicy, type PasswordRuleId } from './policy';

/**
 * The form's checks that need no dictionary, as catalogue keys (messages/<locale>/password.json): the server's form
 * schema (schema.ts) and the page's script (enhance.ts) both call these, so a post stopped in the browser says what
 * the server would have said. No zod, nothing server-only: this module is in the page's first load.
 */

export type PasswordField = 'password' | 'confirm_password';

/** Field error key for a broken rule, so the checklist and the errors agree. */
export function ruleErrorKey(rule: PasswordRuleId, policy: PasswordPolicy): string {
  switch (rule) {
    case 'min_length':
      return 'password.errors.too_short';
    case 'classes':
      return policy.classes && policy.classes.required >= policy.classes.of.length ? 'password.errors.classes_all' : 'password.errors.classes_some';
    case 'max_repeated':
      return 'password.errors.repeated';
    case 'personal_info':
      return 'password.errors.personal_info';
  }
}

/** What is wrong with the new password, in checklist order (empty when nothing is). */
export function passwordProblems(password: string, policy: PasswordPolicy, personal: readonly string[]): string[] {
  if (password === '') return ['password.errors.required'];
  const problems: string[] = [];
  if (utf8Length(password) > policy.maxBytes) problems.push('password.errors.too_long');
  const met = evaluateRules(password, policy, personal);
  for (const rule of applicableRules(policy, personal)) {
    if (!met[rule]) problems.push(ruleErrorKey(rule, policy));
  }
  return problems;
}

/** What is wrong with the confirmation; nothing while there is no password to confirm (its own error says so). */
export function confirmProblems(password: string, confirmation: string): string[] {
  if (password === '') return [];
  if (confirmation === '') return ['password.errors.confirm_missing'];
  return confirmation === password ? [] : ['password.errors.mismatch'];
}

export function formProblems(input: Record<PasswordField, string>, policy: PasswordPolicy, personal: readonly string[]): Record<PasswordField, string[]> {
  return { password: passwordProblems(input.password, policy, personal), confirm_password: confirmProblems(input.password, input.confirm_password) };
}

/** Every key the two checks above can give for this policy and person: the page sends the browser these sentences. */
export function possibleProblemKeys(policy: PasswordPolicy, personal: readonly string[]): string[] {
  return [
    'password.errors.required',
    'password.errors.too_long',
    ...applicableRules(policy, personal).map((rule) => ruleErrorKey(rule, policy)),
    'password.errors.confirm_missing',
    'password.errors.mismatch',
  ];
}
