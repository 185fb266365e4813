import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../log';
import { loadMessages, translate, translatorFor } from './catalogue';

/**
 * The string pages' translator is next-intl's ICU engine: plurals by each language's rules, numbers and dates in
 * the locale's format, `{name}` filled, a missing key shown as itself (and logged once) instead of breaking a page.
 */

const ROOT = path.resolve(__dirname, '../..');
const NNBSP = '\u202f';

describe('a real plural (profile.errors.too_long) in every shipped locale', () => {
  it.each([
    ['en', 1, 'Use at most 1 character.'],
    ['en', 1000, 'Use at most 1,000 characters.'],
    ['de', 1, 'Verwenden Sie höchstens 1 Zeichen.'],
    ['de', 1000, 'Verwenden Sie höchstens 1.000 Zeichen.'],
    ['fr', 1, 'Utilisez au maximum 1 caractère.'],
    ['fr', 1000, `Utilisez au maximum 1${NNBSP}000 caractères.`],
    ['es', 1, 'Use como máximo 1 carácter.'],
    ['es', 20, 'Use como máximo 20 caracteres.'],
    ['ja', 1, '1文字以内で入力してください。'],
    ['ja', 20, '20文字以内で入力してください。'],
    ['ar', 0, 'استخدم 0 حرف على الأكثر.'],
    ['ar', 1, 'استخدم حرفًا واحدًا على الأكثر.'],
    ['ar', 2, 'استخدم حرفين على الأكثر.'],
    ['ar', 3, 'استخدم 3 أحرف على الأكثر.'],
    ['ar', 11, 'استخدم 11 حرفًا على الأكثر.'],
    ['ar', 100, 'استخدم 100 حرف على الأكثر.'],
  ])('%s, max %d: %s', (locale, max, expected) => {
    expect(translatorFor(locale, ROOT)('profile.errors.too_long', { max })).toBe(expected);
  });
});

describe('{name} placeholders', () => {
  it.each([
    ['en', 'common.signing_in_as', { account: 'a••e@example.com' }, 'Signing in as a••e@example.com'],
    ['de', 'common.step_progress', { current: 2, total: 3 }, 'Schritt 2 von 3'],
    ['ja', 'common.signing_in_as', { account: 'Alice' }, 'Alice としてサインイン中'],
    // A value is text, never ICU: braces and apostrophes in it come out as they went in.
    ['en', 'common.signing_in_as', { account: "{max} o'brien <b>" }, "Signing in as {max} o'brien <b>"],
  ])('%s %s', (locale, key, values, expected) => {
    expect(translatorFor(locale, ROOT)(key, values)).toBe(expected);
  });

  it('translate(messages, …) is the same engine, for code that holds a catalogue', () => {
    expect(translate(loadMessages('ar', ROOT), 'profile.errors.too_long', { max: 2 })).toBe('استخدم حرفين على الأكثر.');
    expect(() => translate({ common: { title: 'x' } }, 'common.title')).toThrow(/loadMessages/);
  });
});

describe('a test catalogue: select, number and date', () => {
  // A locale of its own, so the per-locale caches never mix it with a shipped catalogue.
  const locale = 'en-GB';
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'detour-messages-'));
    mkdirSync(path.join(root, 'messages', locale), { recursive: true });
    const messages = {
      select: '{role, select, admin {An administrator} other {A member}} signed in',
      number: 'Quota: {share, number, percent}',
      date: 'Accepted on {when, date, long}',
    };
    writeFileSync(path.join(root, 'messages', locale, 'test.json'), JSON.stringify(messages));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ['test.select', { role: 'admin' }, 'An administrator signed in'],
    ['test.select', { role: 'anyone' }, 'A member signed in'],
    ['test.number', { share: 0.25 }, 'Quota: 25%'],
    // UTC, whatever the host's zone: 23:30 UTC is still 1 March.
    ['test.date', { when: new Date('2026-03-01T23:30:00Z') }, 'Accepted on 1 March 2026'],
  ])('%s', (key, values, expected) => {
    expect(translatorFor(locale, root)(key, values)).toBe(expected);
  });

  it('the catalogue is read once: the translator and its messages outlive the files', () => {
    const first = translatorFor(locale, root);
    const messages = loadMessages(locale, root);
    rmSync(path.join(root, 'messages'), { recursive: true });
    expect(translatorFor(locale, root)).toBe(first);
    expect(loadMessages(locale, root)).toBe(messages);
    expect(translatorFor(locale, root)('test.select', { role: 'admin' })).toBe('An administrator signed in');
  });
});

describe('a message that cannot be formatted', () => {
  it.each([
    ['a missing key', 'common.no_such_key', undefined, 'MISSING_MESSAGE'],
    ['a namespace, not a message', 'common', undefined, 'INSUFFICIENT_PATH'],
    ['a missing value', 'common.step_progress', { current: 1 }, 'FORMATTING_ERROR'],
  ])('%s shows the key, logged once, never thrown', (_, key, values, code) => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    try {
      const t = translatorFor('fr', ROOT);
      expect(t(key, values)).toBe(key);
      expect(t(key, values)).toBe(key);
      expect(logged).toHaveBeenCalledTimes(1);
      expect(logged.mock.calls[0]![0]).toMatchObject({ event: 'message_unavailable', locale: 'fr', code });
    } finally {
      logged.mockRestore();
    }
  });
});
