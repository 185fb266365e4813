import { z } from 'zod';

/**
 * Claim types and formats of the incoming session token (docs/design.md Security rule 2), checked after jose
 * has verified the signature and the time claims. Every string has a length cap, and none may hold a
 * control character or a bidi control: these values end up on pages, in logs and in Management API writes,
 * where an invisible character could disguise whose account is being completed.
 */
// C0 and C1 controls, DEL, and the bidi marks, embeddings, overrides and isolates (ALM U+061C included).
export const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export const plainText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !CONTROL_OR_BIDI.test(value), 'control_or_bidi_character');

const numericDate = z.number().nonnegative();

// `ui_locales` as in OpenID Connect: language tags separated by single spaces.
const UI_LOCALES = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*(?: [A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)*$/;
const JTI = /^[A-Za-z0-9_.:-]{8,255}$/;
/**
 * The claims every session token has, whatever steps it asks for. A step's own claims (the profile answers it already
 * knows, the connection a password lives in) are declared by the step (`tokenClaims`, lib/steps/types.ts) and added
 * by `sessionClaimsSchemaWith`.
 */
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
});

const withClaims = new WeakMap<z.ZodRawShape, z.ZodObject>();

/** The session token's schema with the steps' own claims added (made once per shape). */
export function sessionClaimsSchemaWith(stepClaims: z.ZodRawShape): z.ZodObject {
  let schema = withClaims.get(stepClaims);
  if (!schema) withClaims.set(stepClaims, (schema = sessionClaimsSchema.extend(stepClaims)));
  return schema;
}

export type ParsedSessionClaims = z.infer<typeof sessionClaimsSchema>;

