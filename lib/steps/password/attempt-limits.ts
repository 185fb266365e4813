import 'server-only';
import { createHash } from 'node:crypto';
import { DetourError } from '../../errors';
import type { FlowState } from '../../flow/flow-state';
import type { RateLimiter } from '../../store';
import type { PasswordConfig } from './config-schema';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);

/** Keys are digests, so the store holds no user id or jti in clear. */
export function attemptKeys(flow: Pick<FlowState, 'iss' | 'jti' | 'sub'>): { flow: string; user: string } {
  return {
    flow: `password:flow:${digest(`${flow.iss}\u0000${flow.jti}`)}`,
    // Per user across every flow and issuer (a custom domain and the canonical one are the same tenant).
    user: `password:user:${digest(flow.sub)}`,
  };
}

/**
 * Counts one password attempt for this flow and for this user (DESIGN rule 8) and refuses with `rate_limited`
 * once either is over its limit, saying how long to wait. The store fails closed (`store_unavailable`).
 */
export async function enforceAttemptLimits(
  limiter: RateLimiter,
  flow: Pick<FlowState, 'iss' | 'jti' | 'sub'>,
  limits: PasswordConfig['rate_limit'],
  now: Date,
): Promise<void> {
  const keys = attemptKeys(flow);
  const windowSeconds = limits.window_seconds;
  const results = await Promise.all([
    limiter.hit(keys.flow, { limit: limits.per_flow, windowSeconds, now }),
    limiter.hit(keys.user, { limit: limits.per_user, windowSeconds, now }),
  ]);
  const refused = results.filter((result) => !result.allowed);
  if (refused.length > 0) {
    throw new DetourError('rate_limited', 429, 'Too many password attempts. Wait, then try again.', {
      reason: 'rate_limited',
      retryAfterSeconds: Math.max(...refused.map((result) => result.retryAfterSeconds)),
    });
  }
}
