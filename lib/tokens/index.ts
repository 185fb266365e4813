export { assertTokenFormat, MAX_TOKEN_BYTES } from './token-format';
export { isLoopbackHost, matchIssuer, parseAllowListEntry, type AllowListEntry } from './issuer-allow-list';
export {
  verifySessionToken,
  type RedirectProtocol,
  type SessionClaims,
  type VerifySessionTokenOptions,
} from './verify-session-token';
export { signReturnToken, RETURN_TOKEN_LIFETIME_SECONDS, type SignReturnTokenInput } from './sign-return-token';
export type { SessionTokenRefusalCode } from './session-token-refusal';
export { importedKey, isLongEnough, type SecretKey } from './secret-key';
