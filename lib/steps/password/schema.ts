import { z } from 'zod';
import { applicableRules, evaluateRules, utf8Length, type PasswordPolicy, type PasswordRuleId } from './policy';

/** Field error key (messages/<locale>/password.json) for a broken rule, so the checklist and the errors agree. */
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

/**
 * Shared by the password form (zodResolver) and its server action: the rules from the steps file that need no
 * dictionary. The strength score, the breach check and the rate limits run on the server only (step.ts), so
 * zxcvbn stays out of the page's first load. Messages are catalogue keys; never the password.
 */
export function passwordFormSchema(policy: PasswordPolicy, personal: readonly string[]) {
  return z
    .object({
      password: z.string({ error: 'password.errors.required' }).superRefine((password, ctx) => {
        if (password === '') {
          ctx.addIssue({ code: 'custom', message: 'password.errors.required' });
          return;
        }
        if (utf8Length(password) > policy.maxBytes) ctx.addIssue({ code: 'custom', message: 'password.errors.too_long' });
        const met = evaluateRules(password, policy, personal);
        for (const rule of applicableRules(policy, personal)) {
          if (!met[rule]) ctx.addIssue({ code: 'custom', message: ruleErrorKey(rule, policy) });
        }
      }),
      confirm_password: z.string({ error: 'password.errors.confirm_missing' }),
    })
    .superRefine(
      (input, ctx) => {
        // Nothing to confirm yet: the password field already says what is missing.
        if (input.password === '') return;
        if (input.confirm_password === '') {
          ctx.addIssue({ code: 'custom', path: ['confirm_password'], message: 'password.errors.confirm_missing' });
        } else if (input.confirm_password !== input.password) {
          ctx.addIssue({ code: 'custom', path: ['confirm_password'], message: 'password.errors.mismatch' });
        }
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
