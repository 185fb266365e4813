import { z } from 'zod';

/** Small pieces the steps-file schema and the steps' own config schemas share. */
export const localeTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "en" or "pt-BR"');
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');
/** Text shown to people, one string per locale (the default locale's is the fallback). */
export const localisedText = (max = 500) => z.record(localeTag, z.string().min(1).max(max));
export const persistMode = z.enum(['management_api', 'action']).default('management_api');
