import { z } from 'zod';
import { isoDate, localeTag, localisedText, persistMode } from '../../config/schema-parts';

export const termsVersionSchema = z.object({
  version: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'may hold letters, digits, dot, dash and underscore'),
  effective: isoDate,
  reaccept: z.boolean().default(true),
  documents: z.record(localeTag, z.string().min(1)).refine((docs) => Object.keys(docs).length > 0, 'needs at least one document'),
  /** What changed since the previous version, in a sentence or two per locale (shown to people re-accepting). */
  changes: localisedText(1000).optional(),
});

/** The `terms` section of the steps file. */
export const termsConfigSchema = z
  .object({
    persist: persistMode,
    versions: z
      .array(termsVersionSchema)
      .min(1)
      .refine((versions) => new Set(versions.map((v) => v.version)).size === versions.length, 'each version must be listed once')
      .refine(
        (versions) => {
          // The Action compares version strings (TERMS_REACCEPT_FROM); Detour orders by effective date. Both orders
          // must agree, or a person could be asked again or skipped wrongly.
          const byDate = [...versions].sort((a, b) => a.effective.localeCompare(b.effective)).map((v) => v.version);
          const byName = [...versions].map((v) => v.version).sort();
          return byDate.every((version, i) => version === byName[i]);
        },
        'version names must sort in the same order as their effective dates (e.g. name them by date: 2026-11-01)',
      ),
  })
  .strict();

export type TermsVersion = z.infer<typeof termsVersionSchema>;
export type TermsConfig = z.output<typeof termsConfigSchema>;
