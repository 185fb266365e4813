import 'server-only';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createTranslator, type IntlError } from 'next-intl';
import { logger } from '../log';

export type Messages = Record<string, unknown>;
/** What a message's arguments take: `{name}` a string, `{n, plural, …}` a number, `{d, date}` a Date. */
export type MessageValues = Record<string, string | number | Date>;
/** A message by its dotted key (`complete.title`), formatted as ICU; the key itself when it cannot be formatted. */
export type Translate = (key: string, values?: MessageValues) => string;

const catalogues = new Map<string, Messages>();
const localeOfCatalogue = new WeakMap<Messages, string>();
const translators = new Map<string, Translate>();
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/**
 * The message catalogue of one locale: every `messages/<locale>/<namespace>.json`, keyed by namespace. A step
 * brings its own namespace file, so adding a step or a language touches no other file.
 */
export function loadMessages(locale: string, root: string = process.cwd()): Messages {
  if (!LOCALE.test(locale)) throw new Error(`not a locale: ${locale}`);
  const hit = catalogues.get(locale);
  if (hit) return hit;
  const folder = path.join(/*turbopackIgnore: true*/ root, 'messages', locale);
  const messages: Messages = {};
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.json')).sort()) {
    messages[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as unknown;
  }
  catalogues.set(locale, messages);
  localeOfCatalogue.set(messages, locale);
  return messages;
}

/**
 * The translator of one locale, made once: next-intl's `createTranslator`, for every page and message
 * `useTranslations`, so an ICU plural, select, number or date reads the same on a string page as on a React one.
 * next-intl memoises compiled messages and Intl formatters (about 3 µs a lookup here), so a page's lookups compile
 * nothing after the first. Its private `_formatters` hook would save ~2 µs more per lookup; public API only.
 */
export function translatorFor(locale: string, root: string = process.cwd()): Translate {
  const hit = translators.get(locale);
  if (hit) return hit;
  const translator = createTranslator({
    locale,
    messages: loadMessages(locale, root),
    // No message formats a date today; a fixed zone keeps one that does the same on every host.
    timeZone: 'UTC',
    // A missing key or a bad message must not break a login page: the key is shown (next-intl's default fallback),
    // and the problem logged once rather than on every render.
    onError: (error) => reportOnce(locale, error),
  });
  // The catalogue is read at run time, so its keys are unknown to the type checker (next-intl types them as never).
  const lookup: Translate = (key, values) => translator(key as never, values as never);
  translators.set(locale, lookup);
  return lookup;
}

/** `translatorFor`, for code that holds a catalogue from `loadMessages` rather than its locale. */
export function translate(messages: Messages, key: string, values?: MessageValues): string {
  const locale = localeOfCatalogue.get(messages);
  if (!locale) throw new Error('translate takes a catalogue from loadMessages');
  return translatorFor(locale)(key, values);
}

const reported = new Set<string>();
// Keys come from code, not requests, so the set stays small; the cap only guards against a caller that is wrong.
const MAX_REPORTED = 1000;

function reportOnce(locale: string, error: IntlError): void {
  const id = `${locale}\u0000${error.code}\u0000${error.originalMessage ?? error.message}`;
  if (reported.has(id) || reported.size >= MAX_REPORTED) return;
  reported.add(id);
  logger.error({ event: 'message_unavailable', locale, code: error.code }, error.message);
}
