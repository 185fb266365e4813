import { z } from 'zod';

/** Auth0's legacy strength levels for a database connection (password-sheriff's presets). */
export const PASSWORD_LEVELS = ['none', 'low', 'fair', 'good', 'excellent'] as const;
export type PasswordLevel = (typeof PASSWORD_LEVELS)[number];

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Where the k-anonymity range query goes: `https://…`, or `http://` on a loopback host (tests). Only the first
 * five hex characters of the password's SHA-1 are appended, so the URL ends with a slash.
 */
const rangeBaseUrl = z.url({ protocol: /^https?$/ }).superRefine((value, ctx) => {
  const url = new URL(value);
  if (url.protocol === 'http:' && !LOOPBACK_HOST.test(url.hostname)) {
    ctx.addIssue({ code: 'custom', message: 'http:// is only allowed for loopback hosts; use https://' });
  }
  if (url.search || url.hash || url.username || url.password) {
    ctx.addIssue({ code: 'custom', message: 'must be a URL without query, fragment or credentials' });
  }
  if (!url.pathname.endsWith('/')) {
    ctx.addIssue({ code: 'custom', message: 'must end with a slash (the hash prefix is appended to it)' });
  }
});

const breachCheckSchema = z
  .object({
    enabled: z.boolean().default(false),
    base_url: rangeBaseUrl.default('https://api.pwnedpasswords.com/range/'),
    timeout_ms: z.number().int().min(100).max(10_000).default(2000),
  })
  .strict();

const rateLimitSchema = z
  .object({
    per_flow: z.number().int().min(1).max(1000).default(5),
    per_user: z.number().int().min(1).max(1000).default(5),
    window_seconds: z.number().int().min(1).max(86_400).default(60),
  })
  .strict();

/**
 * The `password` section of the steps file (docs/password-step.md). Mirrors an Auth0 database connection's
 * policy so most refusals happen here, with a reason, before Auth0 answers its coarse `PasswordStrengthError`.
 * Every key has a default, so `"password": {}` (or no section at all) is the shipped policy.
 */
export const passwordConfigSchema = z
  .object({
    // bcrypt (Auth0's hash) reads 72 bytes at most, so a longer minimum could never be met honestly.
    min_length: z.number().int().min(1).max(72).default(12),
    level: z.enum(PASSWORD_LEVELS).default('good'),
    /** No more than this many identical characters in a row; `null` turns the rule off (level excellent still caps at 2). */
    max_repeated: z.number().int().min(1).max(72).nullable().default(3),
    /** zxcvbn score 0–4 the password must reach (checked on the server; the browser shows a meter). */
    min_score: z.number().int().min(0).max(4).default(3),
    breach_check: breachCheckSchema.prefault({}),
    rate_limit: rateLimitSchema.prefault({}),
  })
  .strict();

export type PasswordConfig = z.output<typeof passwordConfigSchema>;

/** The policy in force: the steps file's section, or every default when the file has none. */
export function passwordConfigOf(steps: { readonly [section: string]: unknown }): PasswordConfig {
  return (steps.password as PasswordConfig | undefined) ?? passwordConfigSchema.parse({});
}
