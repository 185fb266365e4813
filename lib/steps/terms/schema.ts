import { z } from 'zod';

/**
 * Shared by the terms form (zodResolver) and its server action. A plain form post sends `accept=on`,
 * react-hook-form sends `true`; both mean the box was ticked.
 */
export const termsSchema = z.object({
  accept: z.preprocess((value) => value === true || value === 'on' || value === 'true', z.literal(true, { error: 'terms.errors.must_accept' })),
  version: z.string().min(1).max(64),
});

export type TermsInput = z.input<typeof termsSchema>;
