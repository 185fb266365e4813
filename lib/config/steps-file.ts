import { z } from 'zod';

/**
 * The steps file (DETOUR_CONFIG): terms versions and documents, branding and locales. Later steps
 * (profile, password) add their own sections; unknown top-level sections are kept for them.
 */
const localeTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "en" or "pt-BR"');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');

export const termsVersionSchema = z.object({
  version: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'may hold letters, digits, dot, dash and underscore'),
  effective: isoDate,
  reaccept: z.boolean().default(true),
  documents: z.record(localeTag, z.string().min(1)).refine((docs) => Object.keys(docs).length > 0, 'needs at least one document'),
});

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
    terms: z
      .object({
        persist: z.enum(['management_api', 'action']).default('management_api'),
        versions: z.array(termsVersionSchema).min(1),
      })
      .strict(),
  })
  .loose();

export type StepsFile = z.infer<typeof stepsFileSchema>;
export type TermsVersion = z.infer<typeof termsVersionSchema>;

/** The version in force is the latest one whose effective date has come. */
export function currentTermsVersion(file: StepsFile, now: Date = new Date()): TermsVersion {
  const today = now.toISOString().slice(0, 10);
  const inForce = file.terms.versions.filter((v) => v.effective <= today).sort((a, b) => (a.effective < b.effective ? 1 : -1));
  const chosen = inForce[0] ?? [...file.terms.versions].sort((a, b) => (a.effective < b.effective ? -1 : 1))[0];
  if (!chosen) throw new Error('steps file has no terms version');
  return chosen;
}
