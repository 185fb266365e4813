import { z } from 'zod';
import type { FlowState } from '../flow/flow-state';

// One schema per shape, made once: building a zod object (and its compiled parser) per request costs more than the
// page it serves.
const schemas = new WeakMap<z.ZodRawShape, z.ZodType>();

/**
 * A step's own session-token claims, typed, from the flow (`flow.claims`). They were checked against the same shape
 * when the token was verified (lib/tokens/verify-session-token.ts), so this only narrows the type; a claim the
 * token did not carry is absent.
 */
export function readClaims<Shape extends z.ZodRawShape>(shape: Shape, flow: Pick<FlowState, 'claims'> | null): Partial<z.infer<z.ZodObject<Shape>>> {
  let schema = schemas.get(shape);
  if (!schema) schemas.set(shape, (schema = z.object(shape).partial()));
  const parsed = schema.safeParse(flow?.claims ?? {});
  return parsed.success ? (parsed.data as Partial<z.infer<z.ZodObject<Shape>>>) : {};
}
