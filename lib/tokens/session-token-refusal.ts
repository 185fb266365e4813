import { errors as joseErrors } from 'jose';
import { DetourError, type ErrorCode } from '../errors';

/**
 * The refusals verifySessionToken can give, each with its status and the sentence a person sees
 * (docs/design.md "How refusals look": 400 for a malformed token or a state mismatch, 401 for everything else
 * about the token). Sentences are fixed text, so no token content can ever reach a page or a log line.
 */
export type SessionTokenRefusalCode = Extract<
  ErrorCode,
  | 'token_malformed'
  | 'token_signature'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_too_old'
  | 'claim_invalid'
  | 'audience_mismatch'
  | 'issuer_not_allowed'
  | 'unknown_step'
  | 'state_mismatch'
  | 'misconfigured'
>;

const REFUSALS: Record<SessionTokenRefusalCode, { status: number; sentence: string }> = {
  token_malformed: { status: 400, sentence: 'This sign-in link is damaged or incomplete. Start the sign-in again.' },
  token_signature: { status: 401, sentence: 'This sign-in link could not be verified. Start the sign-in again.' },
  token_expired: { status: 401, sentence: 'This sign-in link has expired. Start the sign-in again.' },
  token_not_yet_valid: {
    status: 401,
    sentence: 'This sign-in link is not valid yet. Check that your device shows the right time, then start the sign-in again.',
  },
  token_too_old: { status: 401, sentence: 'This sign-in link is too old to use. Start the sign-in again.' },
  claim_invalid: { status: 401, sentence: 'This sign-in link carries details that cannot be accepted. Start the sign-in again.' },
  audience_mismatch: { status: 401, sentence: 'This sign-in link was not meant for this application.' },
  issuer_not_allowed: { status: 401, sentence: 'This sign-in link did not come from a sign-in service this application trusts.' },
  unknown_step: { status: 401, sentence: 'This sign-in link asks for a step this application does not offer.' },
  state_mismatch: { status: 400, sentence: 'This sign-in link does not belong to this sign-in attempt. Start the sign-in again.' },
  misconfigured: { status: 500, sentence: 'This application is not set up correctly. Please tell its administrator.' },
};

export function refuseSessionToken(
  code: SessionTokenRefusalCode,
  details: { claim?: string; reason?: string; cause?: unknown } = {},
): DetourError {
  const { status, sentence } = REFUSALS[code];
  return new DetourError(code, status, sentence, details);
}

/**
 * A cause safe to keep: the error's class and code only. jose's claim errors carry the whole payload, and
 * JSON parse errors quote the decoded input, so keeping the original would put token content in logs.
 */
function causeOf(error: unknown): { name: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? { name: error.name, code } : { name: error.name };
  }
  return { name: typeof error };
}

/** Maps anything jwtVerify (or our own decoding) can throw onto one refusal; unknown errors count as malformed. */
export function refusalFromJoseError(error: unknown): DetourError {
  if (error instanceof DetourError) return error;
  const cause = causeOf(error);
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return refuseSessionToken('token_signature', { reason: 'signature', cause });
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return refuseSessionToken('token_signature', { reason: 'alg', cause });
  if (error instanceof joseErrors.JOSENotSupported) {
    // e.g. a `crit` extension jose does not implement: the signature cannot be trusted as meant.
    return refuseSessionToken('token_signature', { reason: 'unsupported', cause });
  }
  if (error instanceof joseErrors.JWTExpired) {
    // jose reports both a passed `exp` and an `iat` older than maxTokenAge as JWTExpired.
    return error.claim === 'iat'
      ? refuseSessionToken('token_too_old', { claim: 'iat', reason: 'age', cause })
      : refuseSessionToken('token_expired', { claim: error.claim, reason: 'exp', cause });
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const { claim, reason } = error;
    if (reason === 'missing' || reason === 'invalid') return refuseSessionToken('claim_invalid', { claim, reason, cause });
    switch (claim) {
      case 'nbf':
        return refuseSessionToken('token_not_yet_valid', { claim, reason: 'nbf', cause });
      case 'iat': // maxTokenAge also refuses an iat further in the future than the clock tolerance
        return refuseSessionToken('token_not_yet_valid', { claim, reason: 'iat_in_future', cause });
      case 'aud':
        return refuseSessionToken('audience_mismatch', { claim, reason, cause });
      case 'iss':
        return refuseSessionToken('issuer_not_allowed', { claim, reason, cause });
      default:
        return refuseSessionToken('claim_invalid', { claim, reason, cause });
    }
  }
  return refuseSessionToken('token_malformed', { reason: 'decode', cause });
}
