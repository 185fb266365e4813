import type { z } from 'zod';
import type { ManagementApi } from '../auth0';
import type { DetourConfig } from '../config';
import type { FlowState } from '../flow/flow-state';
import type { ConsentLedger, Stores } from '../store';

export interface StepContext {
  flow: FlowState;
  config: DetourConfig;
  managementApi: ManagementApi;
  consentLedger: ConsentLedger;
  stores: Stores;
  request: { clientIp: string | null; userAgent: string | null };
  now: Date;
}

/** What a step's form schema may depend on: the steps file and what the token said about this person. */
export interface FormSchemaContext {
  flow: FlowState;
  config: DetourConfig;
}

/**
 * A step is one module: its id, the zod schema its form and its server action share, and what it writes.
 * `persist` returns the claim the return token carries for this step (DESIGN "Return token"); the claim is kept
 * in the flow cookie until /complete, so it must stay small and never hold a secret.
 */
export interface StepDefinition<Schema extends z.ZodType = z.ZodType> {
  id: string;
  /**
   * Whether a person may go back to this step after finishing it and submit it again (default true). A step
   * whose write cannot be taken back or repeated harmlessly (a password change) says false.
   */
  revisitable?: boolean;
  formSchema(context: FormSchemaContext): Schema;
  persist(context: StepContext, input: z.output<Schema>): Promise<StepOutcome>;
}

export interface StepOutcome {
  /** The step's claim in the return token (omitted when the step produced no data). */
  claim?: Record<string, unknown>;
  /** True when the Action must write this step's data itself (`persist: "action"`). */
  writtenByAction?: boolean;
}
