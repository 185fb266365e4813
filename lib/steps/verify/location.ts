import type { VerifyLocation } from './claims';

const displayNames = new Map<string, Intl.DisplayNames>();

/** The country's name in the page's language (`PT` → "Portugal", "البرتغال"), the code itself when unknown. */
export function countryName(code: string, locale: string): string {
  let names = displayNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
    displayNames.set(locale, names);
  }
  return names.of(code) ?? code;
}

/**
 * Where a sign-in comes from, for a person: city, region (when it is not the city's own name) and country, in the
 * language's order, joined by its list separator.
 */
export function describeLocation(location: VerifyLocation, locale: string, separator = ', '): string {
  const parts = [location.city, location.region !== location.city ? location.region : undefined, countryName(location.country, locale)];
  const named = parts.filter((part): part is string => Boolean(part));
  // Chinese, Japanese and Korean write a place from the largest part down.
  return (LARGEST_FIRST.test(locale) ? named.reverse() : named).join(separator);
}

const LARGEST_FIRST = /^(ja|zh|ko)(-|$)/;
