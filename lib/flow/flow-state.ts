import { z } from 'zod';

/** What the encrypted flow cookie carries between /start, the step pages and /complete. */
export const flowStateSchema = z.object({
  v: z.literal(1),
  protocol: z.enum(['actions', 'rules']),
  sub: z.string(),
  iss: z.string(),
  jti: z.string(),
  state: z.string(),
  steps: z.array(z.string()).min(1),
  completed: z.array(z.string()),
  results: z.record(z.string(), z.unknown()),
  /** Steps whose data the Action writes itself (`persist: "action"`); named in the return token. */
  written_by_action: z.array(z.string()).optional(),
  locale: z.string(),
  email: z.string().optional(),
  name: z.string().optional(),
  /** The steps' own claims the token carried (each step's `tokenClaims`), as verified at /start. */
  claims: z.record(z.string(), z.unknown()).default({}),
  started_at: z.number().int(),
  expires_at: z.number().int(),
});

export type FlowState = z.infer<typeof flowStateSchema>;

/** The first step not yet done, or null when every step is complete. */
export function currentStep(flow: Pick<FlowState, 'steps' | 'completed'>): string | null {
  return flow.steps.find((step) => !flow.completed.includes(step)) ?? null;
}

export function pathForNext(flow: Pick<FlowState, 'steps' | 'completed'>): string {
  const step = currentStep(flow);
  return step ? `/steps/${step}` : '/complete';
}

/**
 * Which step pages this flow may show: the current step, and a finished step the person goes back to (unless the
 * step cannot be revisited). Anything else is sent to where the flow stands.
 */
export function canShowStep(flow: Pick<FlowState, 'steps' | 'completed'>, stepId: string, revisitable: boolean): boolean {
  if (!flow.steps.includes(stepId)) return false;
  if (currentStep(flow) === stepId) return true;
  return revisitable && flow.completed.includes(stepId);
}

/** Marks a step done (once, in the order of `steps`), whether it was the current step or a revisited one. */
export function markCompleted(flow: Pick<FlowState, 'steps' | 'completed'>, stepId: string): string[] {
  const done = new Set([...flow.completed, stepId]);
  return flow.steps.filter((step) => done.has(step));
}
