import { passwordStep } from './password/step';
import { profileStep } from './profile/step';
import type { StepDefinition } from './types';
import { termsStep } from './terms/step';

/** Every step Detour knows. A new step adds one line here and touches no other step. */
const STEPS: readonly StepDefinition[] = [
  termsStep as unknown as StepDefinition,
  profileStep as unknown as StepDefinition,
  passwordStep as unknown as StepDefinition,
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
