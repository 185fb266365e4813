import type { ErrorCode } from '../errors';

/**
 * The heading of a refusal page (`errors.titles.<kind>`): what happened, in words a person recognises, grouped by
 * what they can do about it. The sentence under it (`errors.<code>`) says what to do next.
 */
export type ErrorTitle = 'default' | 'expired' | 'used' | 'wrong_browser' | 'invalid' | 'misconfigured' | 'unavailable' | 'not_found';

const TITLES: Partial<Record<ErrorCode | 'not_found', ErrorTitle>> = {
  token_expired: 'expired',
  token_too_old: 'expired',
  flow_expired: 'expired',
  token_replayed: 'used',
  flow_missing: 'wrong_browser',
  invalid_request: 'invalid',
  token_malformed: 'invalid',
  token_signature: 'invalid',
  token_not_yet_valid: 'invalid',
  claim_invalid: 'invalid',
  audience_mismatch: 'invalid',
  issuer_not_allowed: 'invalid',
  state_mismatch: 'invalid',
  unknown_step: 'misconfigured',
  misconfigured: 'misconfigured',
  store_unavailable: 'unavailable',
  upstream_unavailable: 'unavailable',
  upstream_rate_limited: 'unavailable',
  not_found: 'not_found',
};

export function errorTitle(code: string): ErrorTitle {
  return TITLES[code as ErrorCode] ?? 'default';
}

/** Codes a person gets past only by starting the sign-in again (so the "start again" link is the main action). */
const RESTART_FIXES: ReadonlySet<string> = new Set([
  'invalid_request',
  'token_malformed',
  'token_signature',
  'token_expired',
  'token_not_yet_valid',
  'token_too_old',
  'claim_invalid',
  'audience_mismatch',
  'issuer_not_allowed',
  'state_mismatch',
  'token_replayed',
  'flow_missing',
  'flow_expired',
]);

export function restartFixes(code: string): boolean {
  return RESTART_FIXES.has(code);
}
