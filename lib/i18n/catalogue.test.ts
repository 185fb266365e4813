import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { translations as zxcvbnEnglish } from '@zxcvbn-ts/language-en';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { loadStepsFile } from '../config/load-steps-file';
import type { ProfileConfig } from '../steps/profile/config-schema';
import { termsSection } from '../steps/terms/settings';
import { ERROR_CODES } from '../errors';
import { loadMessages, type Messages } from './catalogue';
import type { ErrorTitle } from './error-title';

/**
 * The shipped locales are complete: every key of the English catalogue in every language (and nothing else), the
 * same placeholders, messages that parse and format, and the steps file's texts and terms documents in every
 * supported locale. A new key added in English only fails here.
 */

const ROOT = path.resolve(__dirname, '../..');
const SHIPPED = ['en', 'de', 'fr', 'es', 'ja', 'ar'];
const steps = loadStepsFile('./detour.config.json', ROOT);
const profile = steps.profile as ProfileConfig | undefined;
const terms = termsSection(steps);
const others = SHIPPED.filter((locale) => locale !== 'en');

function flatten(node: unknown, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  if (typeof node === 'string') entries.set(prefix, node);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) for (const [k, v] of flatten(value, prefix ? `${prefix}.${key}` : key)) entries.set(k, v);
  } else entries.set(prefix, `<${typeof node}>`);
  return entries;
}

/** Argument names of an ICU message (`{name}`, `{count, plural, …}`), nested ones included. */
function argumentsOf(message: string): Set<string> {
  const names = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
      if ('value' in element && typeof element.value === 'string' && element.type !== TYPE.tag) names.add(element.value);
      if (element.type === TYPE.plural || element.type === TYPE.select) for (const option of Object.values(element.options)) walk(option.value);
      if (element.type === TYPE.tag) walk(element.children);
    }
  };
  walk(parse(message));
  return names;
}

const catalogue = (locale: string): Map<string, string> => flatten(loadMessages(locale, ROOT) as Messages);
const english = catalogue('en');

describe('message catalogues', () => {
  it('the steps file supports exactly the shipped locales, English first as the default', () => {
    expect(steps.locales.supported).toEqual(SHIPPED);
    expect(steps.locales.default).toBe('en');
  });

  it.each(SHIPPED)('%s has one file per namespace, as English has', (locale) => {
    const files = (l: string) => readdirSync(path.join(ROOT, 'messages', l)).filter((f) => f.endsWith('.json')).sort();
    expect(files(locale)).toEqual(files('en'));
  });

  it.each(others)('%s has every English key and no other', (locale) => {
    const translated = catalogue(locale);
    const missing = [...english.keys()].filter((key) => !translated.has(key));
    const extra = [...translated.keys()].filter((key) => !english.has(key));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(others)('%s keeps every placeholder of the English message', (locale) => {
    const translated = catalogue(locale);
    const problems: string[] = [];
    for (const [key, source] of english) {
      const target = translated.get(key);
      if (target === undefined) continue;
      const lost = [...argumentsOf(source)].filter((name) => !argumentsOf(target).has(name));
      const invented = [...argumentsOf(target)].filter((name) => !argumentsOf(source).has(name));
      if (lost.length || invented.length) problems.push(`${key}: lost {${lost.join('}, {')}} invented {${invented.join('}, {')}}`);
    }
    expect(problems).toEqual([]);
  });

  it.each(SHIPPED)('every %s message is a non-empty string that formats', (locale) => {
    const problems: string[] = [];
    for (const [key, message] of catalogue(locale)) {
      if (message.trim() === '' || message.startsWith('<')) {
        problems.push(`${key}: empty or not a string`);
        continue;
      }
      const values = Object.fromEntries([...argumentsOf(message)].map((name) => [name, 2]));
      try {
        const formatted = new IntlMessageFormat(message, locale).format(values);
        if (typeof formatted !== 'string' || formatted.includes('{')) problems.push(`${key}: left a brace in "${String(formatted)}"`);
      } catch (error) {
        problems.push(`${key}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has a sentence for every error code and a heading for every kind of refusal', () => {
    for (const code of ERROR_CODES) expect(english.has(`errors.${code}`), code).toBe(true);
    const titles: ErrorTitle[] = ['default', 'expired', 'used', 'wrong_browser', 'invalid', 'misconfigured', 'unavailable', 'not_found'];
    for (const title of titles) expect(english.has(`errors.titles.${title}`), title).toBe(true);
  });

  it("has every zxcvbn feedback key (the password meter's warnings and suggestions)", () => {
    for (const kind of ['warnings', 'suggestions'] as const) {
      for (const key of Object.keys(zxcvbnEnglish[kind])) expect(english.has(`password.feedback.${kind}.${key}`), `${kind}.${key}`).toBe(true);
    }
  });
});

describe('steps file texts', () => {
  it('labels, hints, options and pattern messages of every profile field exist in every supported locale', () => {
    const missing: string[] = [];
    const check = (where: string, texts: Record<string, string> | undefined) => {
      if (!texts) return;
      for (const locale of steps.locales.supported) if (!texts[locale]) missing.push(`${where}.${locale}`);
    };
    for (const field of profile?.fields ?? []) {
      check(`${field.id}.label`, field.label);
      check(`${field.id}.hint`, field.hint);
      if ('pattern_message' in field) check(`${field.id}.pattern_message`, field.pattern_message);
      if ('options' in field) for (const option of field.options) check(`${field.id}.options.${option.value}`, option.label);
    }
    expect(missing).toEqual([]);
  });

  it('every terms version has a document in every supported locale, and its changes note too', () => {
    const missing: string[] = [];
    for (const version of terms.versions) {
      for (const locale of steps.locales.supported) {
        const file = version.documents[locale];
        if (!file || !existsSync(path.join(ROOT, file))) missing.push(`${version.version}.${locale}`);
        if (version.changes && !version.changes[locale]) missing.push(`${version.version}.changes.${locale}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('a translated terms document keeps the structure of the English one (headings, links)', () => {
    for (const version of terms.versions) {
      const shape = (locale: string) => {
        const text = readFileSync(path.join(ROOT, version.documents[locale]!), 'utf8');
        return { headings: text.match(/^#+ /gm)?.length, links: text.match(/\]\(https:[^)]+\)/g), version: text.includes(version.version) };
      };
      for (const locale of others) expect(shape(locale), `${version.version}.${locale}`).toEqual(shape('en'));
    }
  });
});
