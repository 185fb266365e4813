import { z } from 'zod';
import type { StepsFile } from '../../config/steps-file';

/**
 * The steps file's `verify` section. `match`, `max_age_days` and `known_locations_max` are the Action's policy
 * (served by /api/requirements); `code_ttl_seconds` is how long a code works. The limits on tries and sends are
 * fixed (limits.ts): they are the step's promise, not a setting.
 */
export const verifyConfigSchema = z.strictObject({
  match: z.enum(['country', 'region']).default('country'),
  max_age_days: z.number().int().min(1).max(3650).nullable().default(null),
  known_locations_max: z.number().int().min(1).max(50).default(10),
  code_ttl_seconds: z.number().int().min(60).max(3600).default(600),
});

export type VerifyConfig = z.output<typeof verifyConfigSchema>;

/** The `verify` section of a steps file the loader has checked; only called when the step is offered. */
export function verifySection(steps: StepsFile): VerifyConfig {
  return steps.verify as VerifyConfig;
}
