import { z } from 'zod';
import { passwordConfigSchema } from '../steps/password/config-schema';
import { profileConfigSchema } from '../steps/profile/config-schema';
import { termsConfigSchema, type TermsVersion } from '../steps/terms/config-schema';
import { localeTag } from './schema-parts';

/** The steps file (DETOUR_CONFIG): branding, locales, and one section per step. */

export const stepsFileSchema = z
  .object({
    branding: z
      .object({
        product_name: z.string().min(1).max(80),
        logo: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, 'must be a path under public/, such as /logo.svg').optional(),
        primary_color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #4f46e5').default('#4f46e5'),
        support_url: z.url().optional(),
      })
      .strict(),
    locales: z
      .object({ default: localeTag, supported: z.array(localeTag).min(1) })
      .strict()
      .refine((l) => l.supported.includes(l.default), 'the default locale must be one of the supported ones'),
    // Each step owns the schema of its own section (lib/steps/<step>/config-schema.ts).
    terms: termsConfigSchema,
    profile: profileConfigSchema.optional(),
    password: passwordConfigSchema.optional(),
  })
  .strict();

export type StepsFile = z.infer<typeof stepsFileSchema>;
export type { TermsVersion } from '../steps/terms/config-schema';

/** The version in force is the latest one whose effective date has come. */
export function currentTermsVersion(file: StepsFile, now: Date = new Date()): TermsVersion {
  const today = now.toISOString().slice(0, 10);
  const inForce = file.terms.versions.filter((v) => v.effective <= today).sort((a, b) => (a.effective < b.effective ? 1 : -1));
  const chosen = inForce[0] ?? [...file.terms.versions].sort((a, b) => (a.effective < b.effective ? -1 : 1))[0];
  if (!chosen) throw new Error('steps file has no terms version');
  return chosen;
}
