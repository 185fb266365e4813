import 'server-only';

/**
 * How long Auth0 asked us to wait after a 429, in ms from `nowMs`, or null when it did not say.
 * `Retry-After` (seconds or an HTTP date) wins over `x-ratelimit-reset` (UNIX epoch seconds), as in the
 * SDK's own retry code. A reset already in the past means "now" (0).
 */
export function rateLimitDelayMs(headers: Headers | undefined, nowMs: number): number | null {
  if (!headers) return null;
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - nowMs);
  return null;
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** Exponential backoff with "equal jitter": half the step is fixed, half random, so retries spread out. */
export function backoffDelayMs(retryIndex: number, { baseMs, maxMs }: BackoffOptions, random: () => number): number {
  const step = Math.min(maxMs, baseMs * 2 ** retryIndex);
  return Math.round(step / 2 + random() * (step / 2));
}

/** A little positive jitter on a server-given wait, so every instance does not come back in the same ms. */
export function withRateLimitJitter(delayMs: number, random: () => number): number {
  return Math.round(delayMs + random() * Math.min(250, delayMs * 0.1));
}
