import type { DetourConfig } from '../../config';
import { DetourError } from '../../errors';
import type { ProfileConfig } from './config-schema';

/** The steps file's `profile` section; a deployment that lists the step without one is misconfigured. */
export function profileSection(config: DetourConfig): ProfileConfig {
  const section = config.steps.profile;
  if (!section) {
    throw new DetourError('misconfigured', 500, 'The profile step has no `profile` section in the steps file.', { reason: 'not_configured' });
  }
  return section;
}
