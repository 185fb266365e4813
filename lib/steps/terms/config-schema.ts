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
    versions: z.array(termsVersionSchema).min(1),
  })
  .strict();

export type TermsVersion = z.infer<typeof termsVersionSchema>;
