import { z } from 'zod';
import type { FlowState } from '../flow/flow-state';

/**
 * A step's own session-token claims, typed, from the flow (`flow.claims`). They were checked against the same shape
 * when the token was verified (lib/tokens/verify-session-token.ts), so this only narrows the type; a claim the
 * token did not carry is absent.
 */
export function readClaims<Shape extends z.ZodRawShape>(shape: Shape, flow: Pick<FlowState, 'claims'> | null): Partial<z.infer<z.ZodObject<Shape>>> {
  const parsed = z.object(shape).partial().safeParse(flow?.claims ?? {});
  return parsed.success ? (parsed.data as Partial<z.infer<z.ZodObject<Shape>>>) : {};
}
