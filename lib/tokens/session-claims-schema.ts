import { z } from 'zod';
import { isLoopbackHost } from './issuer-allow-list';

/**
 * Claim types and formats of the incoming session token (docs/design.md Security rule 2), checked after jose
 * has verified the signature and the time claims. Every string has a length cap, and none may hold a
 * control character or a bidi control: these values end up on pages, in logs and in Management API writes,
 * where an invisible character could disguise whose account is being completed.
 */
// C0 and C1 controls, DEL, and the bidi marks, embeddings, overrides and isolates (ALM U+061C included).
export const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const plainText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !CONTROL_OR_BIDI.test(value), 'control_or_bidi_character');

const numericDate = z.number().nonnegative();

// `ui_locales` as in OpenID Connect: language tags separated by single spaces.
const UI_LOCALES = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*(?: [A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)*$/;
const JTI = /^[A-Za-z0-9_.:-]{8,255}$/;
// Profile keys are field ids or metadata keys; zod already drops `__proto__`, this keeps them plain names.
const PROFILE_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/;
const MAX_PROFILE_KEYS = 50;

/** https, or http for a loopback host, with no credentials. Where the flow sends the browser is its own decision. */
function isAuthorizeAgainUrl(value: string): boolean {
  if (!/^https?:\/\/\S+$/i.test(value) || !URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.username !== '' || url.password !== '') return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.host));
}

export const sessionClaimsSchema = z.object({
  iss: plainText(2048).min(1),
  sub: plainText(255).min(1),
  aud: z.union([plainText(2048), z.array(plainText(2048)).min(1).max(20)]),
  jti: z.string().regex(JTI, 'jti_format'),
  iat: numericDate,
  exp: numericDate,
  nbf: numericDate.optional(),
  steps: z.array(plainText(64).min(1)).min(1).max(10),
  state: plainText(2048).optional(),
  email: z.email().max(320).optional(),
  name: plainText(200).optional(),
  ui_locales: plainText(100).regex(UI_LOCALES, 'ui_locales_format').optional(),
  connection: plainText(128).min(1).optional(),
  profile: z
    .record(
      z.string().regex(PROFILE_KEY, 'profile_key_format'),
      z.union([plainText(1000), z.number(), z.boolean()]),
    )
    .refine((profile) => Object.keys(profile).length <= MAX_PROFILE_KEYS, 'too_many_profile_fields')
    .optional(),
  authorize_again: plainText(2048).refine(isAuthorizeAgainUrl, 'authorize_again_url').optional(),
  // The terms version the person accepted last, so the terms page can say what changed since.
  terms_accepted_version: plainText(64).regex(/^[A-Za-z0-9._-]+$/, 'terms_version_format').optional(),
});

export type ParsedSessionClaims = z.infer<typeof sessionClaimsSchema>;
