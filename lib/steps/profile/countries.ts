import { getAlpha2Codes } from 'i18n-iso-countries';

/**
 * ISO 3166-1 alpha-2 codes from i18n-iso-countries (its browser build carries only the code table; names come
 * from the runtime's own Intl.DisplayNames, so no name catalogue is bundled).
 */
export const COUNTRY_CODES: ReadonlySet<string> = new Set(Object.keys(getAlpha2Codes()));

export interface CountryOption {
  value: string;
  label: string;
}

/** Every country with its name in `locale`, sorted as that locale sorts. Built on the server and passed down. */
export function countryOptions(locale: string): CountryOption[] {
  const names = new Intl.DisplayNames([locale, 'en'], { type: 'region', fallback: 'code' });
  const collator = new Intl.Collator(locale);
  return [...COUNTRY_CODES]
    .map((code) => ({ value: code, label: names.of(code) ?? code }))
    .sort((a, b) => collator.compare(a.label, b.label));
}
