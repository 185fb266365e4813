import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/min';

/**
 * The phone rule, shared by the schema (server) and the page's script, which imports this module only when a phone
 * field is used, so its metadata (libphonenumber-js `min`, see schema.ts) is never part of the page's first load.
 */

const PHONE_CHARACTERS = /^\+?[0-9 ().\-/\u00a0]{2,40}$/;

/** The number as typed, read for `region` when it has no country code; undefined when it cannot be read. */
export function parsePhone(value: string, region: string | undefined): PhoneNumber | undefined {
  return PHONE_CHARACTERS.test(value) ? parsePhoneNumberFromString(value, region as CountryCode | undefined) : undefined;
}

/** A number the form accepts: readable, valid for its country, without an extension. */
export function isAcceptedPhone(value: string, region: string | undefined): boolean {
  const phone = parsePhone(value, region);
  return phone !== undefined && phone.isValid() && !phone.ext;
}

/** The region for numbers typed without a country code: the field's own, else the region in the locale (`pt-BR`). */
export function phoneRegion(defaultCountry: string | undefined, locale: string | undefined): string | undefined {
  if (defaultCountry) return defaultCountry;
  const region = locale
    ?.split('-')
    .find((part, index) => index > 0 && /^[A-Za-z]{2}$/.test(part))
    ?.toUpperCase();
  return region && isSupportedCountry(region) ? region : undefined;
}
