'use server';

import { runStepAction } from '@/lib/flow/run-step-action';
import type { StepActionState } from '@/lib/flow/step-action-state';

export async function saveProfile(_previous: StepActionState, formData: FormData): Promise<StepActionState> {
  return runStepAction('profile', formData);
}
