import 'server-only';
import { isAuth0ApiError, passwordPolicyErrorName, type PasswordPolicyErrorName } from '../../auth0';
import { DetourError } from '../../errors';
import { logger } from '../../log';

/** Auth0's password-policy refusals, each with its own field error (`password.errors.<reason>`). */
export const AUTH0_POLICY_REASONS: Record<PasswordPolicyErrorName, string> = {
  PasswordStrengthError: 'auth0_strength',
  PasswordHistoryError: 'auth0_history',
  PasswordDictionaryError: 'auth0_dictionary',
  PasswordNoUserInfoError: 'auth0_user_info',
};

/**
 * What the person is told when Auth0 refuses the new password. A policy error (DESIGN "Management API writes")
 * becomes `password_policy` with the rule Auth0 named, shown on the password field; any other 4xx about this
 * request (no identity in that connection, user gone) is a setup problem they cannot fix. Anything else — 5xx and
 * 429 already turned into `upstream_*` by the client, or a bug — is returned as it came.
 *
 * The SDK error behind an Auth0ApiError is not kept as the cause: only Auth0's own message is logged, which names
 * the rule and never echoes the password.
 */
export function passwordChangeError(error: unknown): unknown {
  const policy = passwordPolicyErrorName(error);
  if (policy) {
    return new DetourError('password_policy', 400, 'Auth0 refused the new password under its password policy.', { reason: AUTH0_POLICY_REASONS[policy] });
  }
  if (isAuth0ApiError(error)) {
    logger.warn(
      { event: 'password_change_refused', status: error.statusCode, error_code: error.errorCode, auth0_message: error.auth0Message.slice(0, 300) },
      'password_change_refused',
    );
    return new DetourError('misconfigured', 502, 'The account service refused to change this password.', { reason: 'auth0_refused' });
  }
  return error;
}
