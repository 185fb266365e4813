import { z } from 'zod';
import { plainText } from '../../tokens/session-claims-schema';

/** Where the sign-in comes from, as the Action read it from Auth0's geoip: names only, never coordinates. */
export const verifyLocationSchema = z.strictObject({
  country: z.string().regex(/^[A-Z]{2}$/, 'country_code'),
  region: plainText(100).min(1).optional(),
  city: plainText(100).min(1).optional(),
});

export type VerifyLocation = z.infer<typeof verifyLocationSchema>;

/** What the verify step reads from the session token: the location and why the Action asks (docs/design.md). */
export const verifyTokenClaims = {
  verify: z.strictObject({ location: verifyLocationSchema, reason: z.enum(['new_location', 'stale']) }).optional(),
};
