import { plainText } from '../../tokens/session-claims-schema';

/** What the terms step reads from the session token: the version the person accepted last, to say what changed. */
export const termsTokenClaims = {
  terms_accepted_version: plainText(64).regex(/^[A-Za-z0-9._-]+$/, 'terms_version_format').optional(),
};
