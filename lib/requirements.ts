import type { StepsFile } from './config';
import { allSteps } from './steps/registry';

/**
 * What the shipped Action needs to decide who to send to Detour (its REQUIREMENTS_URL), under each step's id: what
 * each step's `requirements` says (the terms version in force and the re-acceptance line, the profile fields every
 * person must have). Public, the same for everyone, and free of any user data.
 */
export type Requirements = Record<string, unknown>;

export function buildRequirements(steps: StepsFile, now: Date = new Date()): Requirements {
  const entries = allSteps().map((step) => [step.id, step.requirements?.(steps, now)] as const);
  // A step that is not offered (no section in the steps file) says nothing.
  return Object.fromEntries(entries.filter(([, requirement]) => requirement !== undefined));
}
