import 'server-only';
import { SignJWT } from 'jose';
import { importedKey, isLongEnough, type SecretKey } from './secret-key';

/** docs/design.md "Return token": what the Action's onContinuePostLogin reads with api.redirect.validateToken. */
export type SignReturnTokenInput = {
  /** SESSION_TOKEN_SECRET (the current one), at least 32 bytes (raw bytes are imported once, lib/tokens/secret-key.ts). */
  secret: SecretKey;
  /** The incoming token's sub: the same user. */
  sub: string;
  /** APP_BASE_URL, written as `iss`. */
  appBaseUrl: string;
  /** RETURN_TOKEN_AUDIENCE, by default the incoming `iss` exactly as received. */
  audience: string;
  /** The incoming token's jti. */
  jti: string;
  /** The `state` query parameter. */
  state: string;
  /** Step ids done, in order. */
  completed: string[];
  /** One claim per step that produced data, e.g. `terms: {version, accepted_at}`. */
  results: Record<string, unknown>;
  now?: Date;
};

export const RETURN_TOKEN_LIFETIME_SECONDS = 60;
// A step result must never overwrite a claim the Action relies on to check the token.
const RESERVED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'state', 'completed']);

export async function signReturnToken(input: SignReturnTokenInput): Promise<string> {
  if (!isLongEnough(input.secret)) throw new Error('the return token secret must be at least 32 bytes');
  const collisions = Object.keys(input.results).filter((key) => RESERVED_CLAIMS.has(key));
  if (collisions.length > 0) {
    throw new Error(`step results may not use registered claim names: ${collisions.join(', ')}`);
  }

  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ ...input.results, state: input.state, completed: [...input.completed] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(input.sub)
    .setIssuer(input.appBaseUrl)
    .setAudience(input.audience)
    .setJti(input.jti)
    .setIssuedAt(iat)
    .setExpirationTime(iat + RETURN_TOKEN_LIFETIME_SECONDS)
    .sign(await importedKey(input.secret, 'hmac'));
}
