import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { passwordConfigSchema } from './config-schema';
import { formProblems, possibleProblemKeys } from './form-check';
import { personalInfoOf, policyFromConfig } from './policy';
import { passwordFormSchema } from './schema';

const policy = policyFromConfig(passwordConfigSchema.parse({ min_length: 12, level: 'good', max_repeated: 3 }));
const personal = personalInfoOf({ email: 'frank@example.com', name: 'Frank Example' });
const STRONG = 'Blue-Kettle-Violin-42';

describe('formProblems (the check the page runs before posting)', () => {
  it.each([
    ['a strong password, confirmed', STRONG, STRONG, { password: [], confirm_password: [] }],
    ['nothing typed', '', '', { password: ['password.errors.required'], confirm_password: [] }],
    ['too short, with the name, confirmation differs', 'frank-1', 'frank-2', { password: ['password.errors.too_short', 'password.errors.personal_info'], confirm_password: ['password.errors.mismatch'] }],
    ['too few kinds of character', 'blue kettle violin', 'blue kettle violin', { password: ['password.errors.classes_some'], confirm_password: [] }],
    ['four identical characters in a row', 'Blue-Kettle-4444', 'Blue-Kettle-4444', { password: ['password.errors.repeated'], confirm_password: [] }],
    ['more than bcrypt reads', `Aa1-${'éàü'.repeat(14)}`, `Aa1-${'éàü'.repeat(14)}`, { password: ['password.errors.too_long'], confirm_password: [] }],
    ['not confirmed', STRONG, '', { password: [], confirm_password: ['password.errors.confirm_missing'] }],
  ])('%s', (_, password, confirmation, expected) => {
    expect(formProblems({ password, confirm_password: confirmation }, policy, personal)).toEqual(expected);
  });

  it('says exactly what the server’s form schema says, field by field', () => {
    const schema = passwordFormSchema(policy, personal);
    const inputs = ['', 'a', 'frank', 'Password1234!', STRONG, 'aaaa-BBBB-1111', 'EXAMPLE-kettle-9x', `${STRONG}${'x'.repeat(60)}`];
    for (const password of inputs) {
      for (const confirmation of ['', password, `${password}!`]) {
        const parsed = schema.safeParse({ password, confirm_password: confirmation });
        const server = parsed.success ? {} : z.flattenError(parsed.error).fieldErrors;
        const browser = formProblems({ password, confirm_password: confirmation }, policy, personal);
        expect({ password: server.password ?? [], confirm_password: server.confirm_password ?? [] }).toEqual(browser);
      }
    }
  });

  it('names every key it can give in possibleProblemKeys (the sentences the page sends)', () => {
    const keys = new Set(possibleProblemKeys(policy, personal));
    for (const password of ['', 'frank-1', 'blue kettle violin', 'Blue-Kettle-4444', `Aa1-${'éàü'.repeat(14)}`]) {
      const problems = formProblems({ password, confirm_password: 'other' }, policy, personal);
      for (const key of [...problems.password, ...problems.confirm_password]) expect(keys).toContain(key);
    }
    expect(possibleProblemKeys(policy, [])).not.toContain('password.errors.personal_info');
  });
});
