import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { passwordConfigSchema } from './config-schema';
import { personalInfoOf, policyFromConfig } from './policy';
import { passwordFormSchema } from './schema';

const policy = policyFromConfig(passwordConfigSchema.parse({}));
const personal = personalInfoOf({ email: 'frank@example.com', name: 'Frank Example' });
const schema = passwordFormSchema(policy, personal);
const STRONG = 'Blue-Kettle-Violin-42';

function fieldErrors(input: unknown) {
  const parsed = schema.safeParse(input);
  return parsed.success ? {} : z.flattenError(parsed.error).fieldErrors;
}

describe('passwordFormSchema', () => {
  it('accepts a password meeting every rule, confirmed, and keeps it exactly as typed', () => {
    const padded = ` ${STRONG} `;
    expect(schema.parse({ password: padded, confirm_password: padded })).toEqual({ password: padded, confirm_password: padded });
  });

  it('drops any other posted field, such as a username, so the step writes only the password', () => {
    // The form's username field has no name and is never posted (lib/steps/password/view.tsx); a crafted post is ignored.
    expect(schema.parse({ password: STRONG, confirm_password: STRONG, username: 'mallory@example.com' })).toEqual({ password: STRONG, confirm_password: STRONG });
  });

  it.each([
    ['too short', 'Kettle-42', ['password.errors.too_short']],
    ['too few kinds of character', 'blue kettle violin', ['password.errors.classes_some']],
    ['too many identical characters in a row', 'Blue-Kettle-4444', ['password.errors.repeated']],
    ['the email local part', 'Blue-Kettle-frank', ['password.errors.personal_info']],
    ['a word of the name', 'Blue-EXAMPLE-Kettle', ['password.errors.personal_info']],
    ['several rules at once', 'frankfrankfrank', ['password.errors.classes_some', 'password.errors.personal_info']],
    ['longer than bcrypt reads', `Aa1-${'éàü'.repeat(14)}`, ['password.errors.too_long']],
    ['empty', '', ['password.errors.required']],
  ])('refuses a password that is %s, with its key on the password field', (_, password, keys) => {
    expect(fieldErrors({ password, confirm_password: password })).toEqual({ password: keys });
  });

  it('uses the "all of" wording when the level needs every class it names (fair)', () => {
    const fair = passwordFormSchema(policyFromConfig(passwordConfigSchema.parse({ level: 'fair' })), []);
    const parsed = fair.safeParse({ password: 'blue-kettle-violin', confirm_password: 'blue-kettle-violin' });
    expect(z.flattenError(parsed.error!).fieldErrors.password).toEqual(['password.errors.classes_all']);
  });

  it.each([
    ['differs', { password: STRONG, confirm_password: `${STRONG}!` }, { confirm_password: ['password.errors.mismatch'] }],
    ['is empty', { password: STRONG, confirm_password: '' }, { confirm_password: ['password.errors.confirm_missing'] }],
    ['is missing', { password: STRONG }, { confirm_password: ['password.errors.confirm_missing'] }],
    ['differs while the password breaks a rule', { password: 'short', confirm_password: 'other' }, {
      password: ['password.errors.too_short', 'password.errors.classes_some'],
      confirm_password: ['password.errors.mismatch'],
    }],
  ])('refuses a confirmation that %s', (_, input, expected) => {
    expect(fieldErrors(input)).toEqual(expected);
  });

  it('refuses a missing password field with the required key', () => {
    expect(fieldErrors({ confirm_password: STRONG })).toEqual({ password: ['password.errors.required'] });
  });

  it('never puts the password into an error message', () => {
    const secret = 'frank-secret-value';
    const parsed = schema.safeParse({ password: secret, confirm_password: 'x' });
    expect(JSON.stringify(parsed.error?.issues)).not.toContain(secret);
  });
});
