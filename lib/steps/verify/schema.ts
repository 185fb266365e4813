import { z } from 'zod';
import { CODE_DIGITS } from './code';

// Digits as people type or paste them: spaces, dashes and dots between groups ("123 456", "123-456") are dropped, and
// full-width digits (an East Asian keyboard's) count as the same digits.
const SEPARATORS = /[\s\u00a0\u2000-\u200b\u3000.\-\u2010-\u2015]/g;
const FULL_WIDTH_DIGIT = /[\uff10-\uff19]/g;

export function normaliseCode(raw: string): string {
  return raw.replace(SEPARATORS, '').replace(FULL_WIDTH_DIGIT, (digit) => String(digit.charCodeAt(0) - 0xff10));
}

/**
 * The verify form's post: the code typed (`intent` absent or `verify`), a new code asked for (`intent=resend`), or
 * "this wasn't me" (`intent=not_me`). One schema, checked on the server; the code's own checks (right, in time, not
 * used, tries left) happen against the store, after this.
 */
export const verifySchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('verify'),
    code: z
      .string()
      .max(64, { error: 'verify.errors.code_format' })
      .transform(normaliseCode)
      .pipe(z.string().regex(new RegExp(`^[0-9]{${CODE_DIGITS}}$`), { error: 'verify.errors.code_format' })),
  }),
  z.object({ intent: z.literal('resend') }),
  z.object({ intent: z.literal('not_me') }),
]);

/** A post without `intent` is the code form's own button. */
export const verifyFormSchema = z.preprocess(
  (value) => (value && typeof value === 'object' && !('intent' in value) ? { ...value, intent: 'verify' } : value),
  verifySchema,
);

export type VerifyInput = z.output<typeof verifySchema>;
