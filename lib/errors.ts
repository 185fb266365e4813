/**
 * Every refusal Detour can give carries a stable snake_case code (tests and logs use it), an HTTP status,
 * and a sentence a person can read. The codes are part of the contract in docs/design.md.
 */
export const ERROR_CODES = [
  'invalid_request',
  'token_malformed',
  'token_signature',
  'token_expired',
  'token_not_yet_valid',
  'token_too_old',
  'claim_invalid',
  'audience_mismatch',
  'issuer_not_allowed',
  'unknown_step',
  'state_mismatch',
  'token_replayed',
  'flow_missing',
  'flow_expired',
  'origin_rejected',
  'validation_failed',
  'password_policy',
  'rate_limited',
  'store_unavailable',
  'upstream_unavailable',
  'upstream_rate_limited',
  'misconfigured',
  'not_found',
  // The verify step's (docs/design.md): a one-time code wrong, out of time or tried too often; sending refused.
  'code_invalid',
  'code_expired',
  'code_attempts_exhausted',
  'send_rate_limited',
  'mail_unavailable',
  'verification_declined',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Next bundles route handlers, pages and server actions separately, so one process can hold several copies of
 * this module; singletons shared through globalThis (stores, the Management API client) may throw another
 * copy's class. The brand makes `instanceof` hold across copies.
 */
const DETOUR_ERROR_BRAND = Symbol.for('detour.DetourError');

export class DetourError extends Error {
  override readonly name = 'DetourError';
  readonly [DETOUR_ERROR_BRAND] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DETOUR_ERROR_BRAND] === true;
  }

  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly details: {
      claim?: string;
      reason?: string;
      retryAfterSeconds?: number;
      /** Values of the refusal's sentence (`{left}` tries left), for the page's message. */
      params?: Record<string, string | number>;
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
}

export function isDetourError(value: unknown): value is DetourError {
  return value instanceof DetourError;
}
