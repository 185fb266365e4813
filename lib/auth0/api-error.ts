import 'server-only';

/**
 * A 4xx from `/api/v2` that is about this request (bad body, unknown user, conflict), not about Auth0 being
 * busy. Kept typed so a step can turn it into a field error: Auth0's body is
 * `{statusCode, error, message, errorCode?}`, e.g. `message: 'PasswordStrengthError: Password is too weak'`.
 */
// Branded like DetourError (lib/errors.ts): the client is a process-wide singleton that another bundle's copy
// of this module may have created, so a plain `instanceof` could miss.
const AUTH0_API_ERROR_BRAND = Symbol.for('detour.Auth0ApiError');

export class Auth0ApiError extends Error {
  override readonly name = 'Auth0ApiError';
  readonly [AUTH0_API_ERROR_BRAND] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[AUTH0_API_ERROR_BRAND] === true;
  }

  constructor(
    readonly statusCode: number,
    /** Auth0's `message`, verbatim. It describes the rule broken, never echoes the password. */
    readonly auth0Message: string,
    /** Auth0's `errorCode` (e.g. `invalid_body`), when it sent one. */
    readonly errorCode: string | null,
    /** Auth0's `error` (e.g. `Bad Request`), when it sent one. */
    readonly auth0Error: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(`Auth0 Management API answered ${statusCode}${auth0Message ? `: ${auth0Message}` : ''}`, options);
  }

  /** Builds the error from whatever body came back (JSON object, text, nothing). */
  static fromResponse(statusCode: number, body: unknown, cause?: unknown): Auth0ApiError {
    const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : null);
    const message = text('message') ?? (typeof body === 'string' ? body.slice(0, 500) : '');
    return new Auth0ApiError(statusCode, message, text('errorCode'), text('error'), { cause });
  }
}

export function isAuth0ApiError(value: unknown): value is Auth0ApiError {
  return value instanceof Auth0ApiError;
}

export const PASSWORD_POLICY_ERROR_NAMES = [
  'PasswordStrengthError',
  'PasswordHistoryError',
  'PasswordDictionaryError',
  'PasswordNoUserInfoError',
] as const;

export type PasswordPolicyErrorName = (typeof PASSWORD_POLICY_ERROR_NAMES)[number];

/**
 * Which password rule Auth0 refused, from the `message` prefix before the colon: the Management API returns
 * only this coarse message, no rule breakdown (reference/auth0-protocol.md §4.1).
 */
export function passwordPolicyErrorName(error: unknown): PasswordPolicyErrorName | null {
  if (!isAuth0ApiError(error) || error.statusCode !== 400) return null;
  const prefix = error.auth0Message.split(':', 1)[0]?.trim() ?? '';
  return (PASSWORD_POLICY_ERROR_NAMES as readonly string[]).includes(prefix) ? (prefix as PasswordPolicyErrorName) : null;
}
