import { describe, expect, it } from 'vitest';
import { negotiateLocale } from './negotiate-locale';

const SUPPORTED = ['en', 'de', 'fr', 'es', 'ja', 'ar', 'pt-BR'];

describe('negotiateLocale', () => {
  it.each([
    ['nothing given', undefined, null, 'en'],
    ['ui_locales exactly', 'de', null, 'de'],
    ['ui_locales before Accept-Language', 'fr', 'de', 'fr'],
    ['the first supported ui_locales tag', 'zh it ja de', null, 'ja'],
    ['a regional ui_locales tag by its language', 'es-MX', null, 'es'],
    ['ui_locales in another case', 'DE-at', null, 'de'],
    ['ui_locales with extra spaces', '  zh   ar ', null, 'ar'],
    ['Accept-Language when no ui_locales tag is supported', 'zh', 'ja-JP,ja;q=0.9', 'ja'],
    ['Accept-Language by weight, not order', undefined, 'fr;q=0.3, de;q=0.8, es;q=0.5', 'de'],
    ['Accept-Language ties in header order', undefined, 'es;q=0.5, fr;q=0.5', 'es'],
    ['Accept-Language skipping q=0', undefined, 'de;q=0, fr;q=0.1', 'fr'],
    ['Accept-Language skipping *', undefined, '*, ar;q=0.2', 'ar'],
    ['a supported regional tag exactly', 'pt-BR', null, 'pt-BR'],
    ['a regional tag not matching another region', 'pt-PT', null, 'en'],
    ['the fallback when nothing matches', 'zh', 'it, nl;q=0.5', 'en'],
    ['the fallback for garbage', undefined, ';;;,,q=abc', 'en'],
  ])('%s', (_, uiLocales, acceptLanguage, expected) => {
    expect(negotiateLocale({ uiLocales, acceptLanguage, supported: SUPPORTED, fallback: 'en' })).toBe(expected);
  });

  it('returns the configured fallback as given', () => {
    expect(negotiateLocale({ uiLocales: 'zh', acceptLanguage: 'it', supported: ['de', 'fr'], fallback: 'fr' })).toBe('fr');
  });
});
