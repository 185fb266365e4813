import { passwordStep } from './password/step';
import { profileStep } from './profile/step';
import type { z } from 'zod';
import type { StepDefinition, StepSettings } from './types';
import { termsStep } from './terms/step';
import { verifyStep } from './verify/step';

/** Every step Detour knows. A new step adds one line here and touches no other step. */
const STEPS: readonly StepDefinition[] = [
  termsStep as unknown as StepDefinition,
  profileStep as unknown as StepDefinition,
  passwordStep as unknown as StepDefinition,
  verifyStep as unknown as StepDefinition,
];

export function knownStepIds(): string[] {
  return STEPS.map((step) => step.id);
}

export function getStep(id: string): StepDefinition | undefined {
  return STEPS.find((step) => step.id === id);
}

/** Whether a finished step may be opened and submitted again (the step's `revisitable`, default true). */
export function isRevisitable(id: string): boolean {
  return getStep(id)?.revisitable ?? true;
}

/** Every step in the order the registry lists them (for the config loader, the requirements, the contract test). */
export function allSteps(): readonly StepDefinition[] {
  return STEPS;
}

let claimsShape: z.ZodRawShape | undefined;

/** The claims every step reads, merged into one shape for the session token's schema (made once). */
export function stepTokenClaims(): z.ZodRawShape {
  claimsShape ??= Object.freeze(Object.assign({}, ...STEPS.map((step) => step.tokenClaims ?? {})) as z.ZodRawShape);
  return claimsShape;
}

/** The steps-file section of every step that has one, by step id. */
export function stepSettings(): Record<string, StepSettings> {
  return Object.fromEntries(STEPS.filter((step) => step.settings).map((step) => [step.id, step.settings!]));
}
