import type { StepsFile } from '../../config/steps-file';
import { DetourError } from '../../errors';
import type { StepSettings } from '../types';
import { verifyConfigSchema, verifySection, type VerifyConfig } from './config-schema';
import { readMailSettings, type MailSettings } from './mail-settings';

/** Offered when the steps file has a `verify` section; it then needs SMTP_URL and MAIL_FROM (checked at start-up). */
export const verifySettings: StepSettings = {
  schema: verifyConfigSchema,
  check(_section, { env }) {
    const mail = readMailSettings(env);
    return 'problems' in mail ? mail.problems.map((problem) => `verify: the step sends its codes by email, but ${problem}`) : [];
  },
};

/** The Action's policy, under `verify` in GET /api/requirements; nothing when the step is not offered. */
export function verifyRequirements(steps: StepsFile): unknown {
  if (steps.verify === undefined) return undefined;
  const { match, max_age_days, known_locations_max } = verifySection(steps);
  return { match, max_age_days, known_locations_max };
}

/** The section and the mail settings, or `misconfigured` when a token asks for a step this deployment does not offer. */
export function verifyDeployment(steps: StepsFile, env: Record<string, string | undefined> = process.env): { section: VerifyConfig; mail: MailSettings } {
  const mail = readMailSettings(env);
  if (steps.verify === undefined || 'problems' in mail) {
    throw new DetourError('misconfigured', 500, 'This sign-in asks to confirm it by email, which this service is not set up to do.', { reason: 'verify_not_offered' });
  }
  return { section: verifySection(steps), mail: mail.settings };
}
