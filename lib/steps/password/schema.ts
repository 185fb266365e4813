import { z } from 'zod';
import { confirmProblems, passwordProblems } from './form-check';
import type { PasswordPolicy } from './policy';

/**
 * The password step's form schema: the rules from the steps file that need no dictionary (form-check.ts, which the
 * page's script runs too). The strength score, the breach check and the rate limits run on the server only (step.ts), so
 * zxcvbn stays out of the page's first load. Messages are catalogue keys; never the password.
 */
export function passwordFormSchema(policy: PasswordPolicy, personal: readonly string[]) {
  return z
    .object({
      password: z.string({ error: 'password.errors.required' }).superRefine((password, ctx) => {
        for (const message of passwordProblems(password, policy, personal)) ctx.addIssue({ code: 'custom', message });
      }),
      confirm_password: z.string({ error: 'password.errors.confirm_missing' }),
    })
    .superRefine(
      (input, ctx) => {
        for (const message of confirmProblems(input.password, input.confirm_password)) ctx.addIssue({ code: 'custom', path: ['confirm_password'], message });
      },
      // Report a mismatch even while the password itself breaks a rule, so both fields show their errors at once.
      {
        when: (payload) => {
          const value = payload.value as Record<string, unknown> | null;
          return typeof value?.password === 'string' && typeof value.confirm_password === 'string';
        },
      },
    );
}

export type PasswordFormSchema = ReturnType<typeof passwordFormSchema>;
export type PasswordInput = z.input<PasswordFormSchema>;
