import { describe, expect, it } from 'vitest';
import { countryName, describeLocation } from './location';

describe('describeLocation', () => {
  it.each([
    [{ country: 'PT', region: 'Lisbon', city: 'Lisbon' }, 'en', ', ', 'Lisbon, Portugal'],
    [{ country: 'PT', region: 'Porto', city: 'Vila Nova de Gaia' }, 'en', ', ', 'Vila Nova de Gaia, Porto, Portugal'],
    [{ country: 'DE' }, 'de', ', ', 'Deutschland'],
    [{ country: 'PT', city: 'Lisbon' }, 'ar', '، ', 'Lisbon، البرتغال'],
    [{ country: 'JP', region: 'Tokyo' }, 'ja', '、', '日本、Tokyo'],
    [{ country: 'PT', region: 'Porto', city: 'Gaia' }, 'ja', '、', 'ポルトガル、Porto、Gaia'],
  ])('%o in %s', (location, locale, separator, expected) => {
    expect(describeLocation(location, locale, separator)).toBe(expected);
  });

  it('falls back to the code for a country with no name', () => {
    expect(countryName('XZ', 'en')).toBe('XZ');
  });
});
