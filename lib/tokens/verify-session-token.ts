import 'server-only';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { matchIssuer, type AllowListEntry } from './issuer-allow-list';
import type { z } from 'zod';
import { sessionClaimsSchema, sessionClaimsSchemaWith } from './session-claims-schema';
import { refusalFromJoseError, refuseSessionToken } from './session-token-refusal';
import { importedKey, isLongEnough, type SecretKey } from './secret-key';
import { assertTokenFormat } from './token-format';

export type RedirectProtocol = 'actions' | 'rules';

export type VerifySessionTokenOptions = {
  /**
   * SESSION_TOKEN_SECRET first, then SESSION_TOKEN_SECRET_PREVIOUS when set; each at least 32 bytes (raw bytes are
   * imported once and reused, lib/tokens/secret-key.ts).
   */
  secrets: readonly SecretKey[];
  protocol: RedirectProtocol;
  /** AUTH0_DOMAIN and AUTH0_CUSTOM_DOMAIN; `iss` must match one of them under `actions`. */
  issuers: readonly AllowListEntry[];
  /** SESSION_TOKEN_ISSUER: the exact `iss` a legacy Rule writes; required under `rules`. */
  rulesIssuer?: string;
  audience: string;
  /** SESSION_TOKEN_MAX_AGE: ceiling on both `now - iat` and `exp - iat`. */
  maxAgeSeconds: number;
  clockToleranceSeconds?: number;
  knownSteps: readonly string[];
  /**
   * The claims the known steps read (each step's `tokenClaims`), checked with the same rigour as the base claims and
   * returned in `stepClaims`. Absent, a token's other claims are ignored.
   */
  stepClaims?: z.ZodRawShape;
  /** The `state` query parameter; a `state` claim, when present, must equal it byte for byte. */
  expectedState: string;
  now?: Date;
};

export type SessionClaims = {
  sub: string;
  /** Exactly as the token wrote it (the default return-token audience). */
  iss: string;
  /** The allow-list entry `iss` matched under `actions`; null under `rules`. */
  issuer: AllowListEntry | null;
  aud: string[];
  jti: string;
  iat: number;
  exp: number;
  nbf?: number;
  steps: string[];
  state?: string;
  email?: string;
  name?: string;
  ui_locales?: string;
  /** The steps' own claims the token carried (only those `stepClaims` declares), as checked. */
  stepClaims: Record<string, unknown>;
};

const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
const REQUIRED_CLAIMS = ['sub', 'iat', 'exp', 'jti', 'steps', 'iss', 'aud'];

/**
 * Verifies the session token an Auth0 Action (or legacy Rule) sent to /start, in the order of docs/design.md
 * Security rules 1-2. Resolves with typed claims or rejects with a DetourError — never anything else.
 */
export async function verifySessionToken(raw: string, options: VerifySessionTokenOptions): Promise<SessionClaims> {
  try {
    return await verify(raw, options);
  } catch (error) {
    throw refusalFromJoseError(error);
  }
}

async function verify(raw: string, options: VerifySessionTokenOptions): Promise<SessionClaims> {
  assertOptions(options);
  assertTokenFormat(raw);
  assertHeader(raw);

  const now = options.now ?? new Date();
  const clockTolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const { issuer, expectedIss } = chooseIssuer(raw, options);
  const payload = await verifyWithRotatingSecrets(raw, options.secrets, {
    algorithms: ['HS256'],
    issuer: expectedIss,
    audience: options.audience,
    requiredClaims: REQUIRED_CLAIMS,
    maxTokenAge: options.maxAgeSeconds,
    clockTolerance,
    currentDate: now,
  });

  assertLifetime(payload, options.maxAgeSeconds, clockTolerance, now);
  const claims = parseClaims(payload, options.stepClaims);
  assertSteps(claims.steps, options.knownSteps);
  if (claims.state !== undefined && claims.state !== options.expectedState) {
    throw refuseSessionToken('state_mismatch', { claim: 'state', reason: 'differs_from_query' });
  }

  const { aud, iss, sub, jti, iat, exp, nbf, steps, state, email, name, ui_locales } = claims;
  const base = { iss, sub, jti, iat, exp, nbf, steps, state, email, name, ui_locales };
  const stepClaims = Object.fromEntries(Object.keys(options.stepClaims ?? {}).filter((key) => claims[key] !== undefined).map((key) => [key, claims[key]]));
  const defined = Object.fromEntries(Object.entries(base).filter(([, value]) => value !== undefined)) as typeof base;
  return { ...defined, aud: typeof aud === 'string' ? [aud] : aud, issuer, stepClaims };
}

/** Start-up should already have refused these; checked again so a wiring mistake cannot weaken verification. */
function assertOptions(options: VerifySessionTokenOptions): void {
  const misconfigured = (reason: string) => refuseSessionToken('misconfigured', { reason });
  if (options.secrets.length === 0) throw misconfigured('no_secret');
  if (!options.secrets.every(isLongEnough)) throw misconfigured('short_secret');
  if (!(Number.isFinite(options.maxAgeSeconds) && options.maxAgeSeconds > 0)) throw misconfigured('max_age');
  if (options.protocol === 'rules' && !options.rulesIssuer) throw misconfigured('rules_issuer');
}

function assertHeader(raw: string): void {
  const header = decodeProtectedHeader(raw); // throws on a header that is not JSON: reported as token_malformed
  if (header.alg !== 'HS256') throw refuseSessionToken('token_signature', { claim: 'alg', reason: 'alg' });
  // RFC 7515 4.1.9: "JWT" and "application/jwt" name the same media type, in any case.
  const typ = header.typ;
  if (typ !== undefined && (typeof typ !== 'string' || !['jwt', 'application/jwt'].includes(typ.toLowerCase()))) {
    throw refuseSessionToken('claim_invalid', { claim: 'typ', reason: 'typ' });
  }
}

/**
 * The `issuer` option for jose. Under `actions` the unverified iss only selects an allow-list entry; jose
 * still compares it after checking the signature, so a forged token reports token_signature, not the issuer.
 */
function chooseIssuer(
  raw: string,
  options: VerifySessionTokenOptions,
): { issuer: AllowListEntry | null; expectedIss: string | string[] } {
  if (options.protocol === 'rules') return { issuer: null, expectedIss: options.rulesIssuer! };
  const unverifiedIss = unverifiedIssuer(raw);
  const issuer = unverifiedIss === undefined ? undefined : matchIssuer(unverifiedIss, options.issuers);
  if (issuer && unverifiedIss !== undefined) return { issuer, expectedIss: unverifiedIss };
  return { issuer: null, expectedIss: options.issuers.map((entry) => entry.origin) };
}

function unverifiedIssuer(raw: string): string | undefined {
  try {
    const iss = decodeJwt(raw).iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined; // jwtVerify reports the broken payload after the signature check
  }
}

type JwtVerifyOptions = NonNullable<Parameters<typeof jwtVerify>[2]>;

/** Secret rotation: the next secret is tried only when the signature did not verify with this one. */
async function verifyWithRotatingSecrets(
  raw: string,
  secrets: readonly SecretKey[],
  verifyOptions: JwtVerifyOptions,
): Promise<JWTPayload> {
  let lastSignatureFailure: unknown;
  for (const secret of secrets) {
    try {
      return (await jwtVerify(raw, await importedKey(secret, 'hmac'), verifyOptions)).payload;
    } catch (error) {
      if (!(error instanceof joseErrors.JWSSignatureVerificationFailed)) throw error;
      lastSignatureFailure = error;
    }
  }
  throw lastSignatureFailure;
}

/** Our own ceilings on top of jose's: a token may not be minted to live longer than the maximum age. */
function assertLifetime(payload: JWTPayload, maxAgeSeconds: number, toleranceSeconds: number, now: Date): void {
  // jose has already required iat and exp and checked that they are numbers.
  const iat = payload.iat as number;
  const exp = payload.exp as number;
  if (exp <= iat) throw refuseSessionToken('claim_invalid', { claim: 'exp', reason: 'not_after_iat' });
  if (exp - iat > maxAgeSeconds) throw refuseSessionToken('token_too_old', { claim: 'exp', reason: 'lifetime' });
  if (iat > Math.floor(now.getTime() / 1000) + toleranceSeconds) {
    throw refuseSessionToken('token_not_yet_valid', { claim: 'iat', reason: 'iat_in_future' });
  }
}

function parseClaims(payload: JWTPayload, stepClaims: z.ZodRawShape | undefined) {
  const parsed = (stepClaims ? sessionClaimsSchemaWith(stepClaims) : sessionClaimsSchema).safeParse(payload);
  if (parsed.success) return parsed.data as z.infer<typeof sessionClaimsSchema> & Record<string, unknown>;
  const issue = parsed.error.issues[0]!;
  const claim = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
  const reason = issue.code === 'custom' ? issue.message : issue.code;
  throw refuseSessionToken('claim_invalid', { claim, reason });
}

function assertSteps(steps: readonly string[], knownSteps: readonly string[]): void {
  if (steps.some((step) => !knownSteps.includes(step))) {
    throw refuseSessionToken('unknown_step', { claim: 'steps', reason: 'unknown' });
  }
  if (new Set(steps).size !== steps.length) {
    throw refuseSessionToken('claim_invalid', { claim: 'steps', reason: 'duplicate' });
  }
}
