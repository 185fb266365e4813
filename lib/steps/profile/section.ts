import type { DetourConfig, StepsFile } from '../../config';
import { DetourError } from '../../errors';
import { profileConfigSchema, type ProfileConfig } from './config-schema';

/** The steps file's `profile` section; a deployment that lists the step without one is misconfigured. */
export function profileSection(config: DetourConfig): ProfileConfig {
  const section = config.steps.profile as ProfileConfig | undefined;
  if (!section) {
    throw new DetourError('misconfigured', 500, 'The profile step has no `profile` section in the steps file.', { reason: 'not_configured' });
  }
  return section;
}

/**
 * What the Action needs to decide who completes a profile (GET /api/requirements): the fields every person must
 * have. Conditional fields are required only when another answer says so: the Action cannot judge those.
 */
export function profileRequirements(steps: StepsFile): { required: string[] } {
  const section = steps.profile as ProfileConfig | undefined;
  return { required: (section?.fields ?? []).filter((field) => field.required && !field.show_when).map((field) => field.id) };
}

/** The `profile` section of the steps file: optional (a deployment that never asks for a profile has none). */
export const profileSettings = { schema: profileConfigSchema };
