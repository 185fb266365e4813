import type { z } from 'zod';
import type { DetourConfig } from '../config';
import type { FlowState } from '../flow/flow-state';
import type { ConsentLedger } from '../store';
import type { ManagementApi } from '../auth0';

export interface StepContext {
  flow: FlowState;
  config: DetourConfig;
  managementApi: ManagementApi;
  consentLedger: ConsentLedger;
  request: { clientIp: string | null; userAgent: string | null };
  now: Date;
}

/**
 * A step is one module: its id, the zod schema its form and its server action share, and what it writes.
 * `persist` returns the claim the return token carries for this step (DESIGN "Return token").
 */
export interface StepDefinition<Schema extends z.ZodType = z.ZodType> {
  id: string;
  schema: Schema;
  persist(context: StepContext, input: z.output<Schema>): Promise<Record<string, unknown>>;
}
