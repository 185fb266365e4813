import { z } from 'zod';

/**
 * The terms form's post, checked on the server. A form post sends `accept=on`; `true` (a JSON-minded client) is
 * accepted too: both mean the box was ticked.
 */
export const termsSchema = z.object({
  accept: z.preprocess((value) => value === true || value === 'on' || value === 'true', z.literal(true, { error: 'terms.errors.must_accept' })),
  version: z.string().min(1).max(64),
});

export type TermsInput = z.input<typeof termsSchema>;
