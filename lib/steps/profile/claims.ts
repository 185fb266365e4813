import { z } from 'zod';
import { plainText } from '../../tokens/session-claims-schema';

// Profile keys are field ids or metadata keys; zod already drops `__proto__`, this keeps them plain names.
const PROFILE_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/;
const MAX_PROFILE_KEYS = 50;

/** What the profile step reads from the session token: the answers Auth0 already has, to skip or prefill fields. */
export const profileTokenClaims = {
  profile: z
    .record(z.string().regex(PROFILE_KEY, 'profile_key_format'), z.union([plainText(1000), z.number(), z.boolean()]))
    .refine((profile) => Object.keys(profile).length <= MAX_PROFILE_KEYS, 'too_many_profile_fields')
    .optional(),
};
