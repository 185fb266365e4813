import type { StepsFile } from './config';
import { currentTermsVersion } from './config';
import { reacceptFrom } from './steps/terms/versions';

/**
 * What the shipped Action needs to decide who to send to Detour (its REQUIREMENTS_URL): the terms version in
 * force, the oldest accepted version that does not need re-accepting, and the profile fields every person must
 * have. Public, the same for everyone, and free of any user data.
 */
export interface Requirements {
  terms: { current: string; reaccept_from: string };
  profile: { required: string[] };
}

export function buildRequirements(steps: StepsFile, now: Date = new Date()): Requirements {
  const current = currentTermsVersion(steps, now).version;
  const line = reacceptFrom(steps, now) ?? current;
  return {
    // The line never lies past the current version (the Action checks reaccept_from ≤ current).
    terms: { current, reaccept_from: line > current ? current : line },
    // Conditional fields are required only when another answer says so: the Action cannot judge those.
    profile: { required: (steps.profile?.fields ?? []).filter((field) => field.required && !field.show_when).map((field) => field.id) },
  };
}
