import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

/**
 * zxcvbn-ts with the common and English dictionaries, plus the dictionary of the person's language, loaded on
 * first use and kept: the server scores every submission with it, and the browser imports it only once the person
 * starts typing (dynamic imports, so the ~1 MB of dictionaries and the language pack are separate downloads, not
 * part of the page's first load). English stays in every set: English words are common in passwords everywhere.
 *
 * No translations are passed, so feedback comes back as zxcvbn's keys (`straightRow`, `anotherWord`…), which the
 * form looks up under `password.feedback.*` in the person's message catalogue.
 */

export interface StrengthEstimate {
  /** 0 (too guessable) to 4 (very unguessable). */
  score: 0 | 1 | 2 | 3 | 4;
  warning: string | null;
  suggestions: string[];
}

type Dictionary = Record<string, string[]>;

/** One literal import per pack, so the bundler splits each into its own chunk, fetched only for that language. */
const LANGUAGE_PACKS: Record<string, () => Promise<Dictionary>> = {
  de: () => import('@zxcvbn-ts/language-de').then((pack) => pack.dictionary),
  fr: () => import('@zxcvbn-ts/language-fr').then((pack) => pack.dictionary),
  es: () => import('@zxcvbn-ts/language-es-es').then((pack) => pack.dictionary),
  ja: () => import('@zxcvbn-ts/language-ja').then((pack) => pack.dictionary),
  ar: () => import('@zxcvbn-ts/language-ar').then((pack) => pack.dictionary),
};

/** The language pack for a locale (`de-AT` → de), or none: English and the common lists only. */
export function strengthLanguage(locale: string): string | null {
  const language = locale.split('-')[0]?.toLowerCase() ?? '';
  return language in LANGUAGE_PACKS ? language : null;
}

const estimators = new Map<string, Promise<ZxcvbnFactory>>();

export function loadStrengthEstimator(locale = 'en'): Promise<ZxcvbnFactory> {
  const language = strengthLanguage(locale);
  const key = language ?? 'en';
  const cached = estimators.get(key);
  if (cached) return cached;
  const loading = Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
    language ? LANGUAGE_PACKS[language]!() : Promise.resolve({}),
  ]).then(
    ([core, common, english, local]) =>
      new core.ZxcvbnFactory({
        dictionary: { ...common.dictionary, ...english.dictionary, ...suffixed(local, language) },
        graphs: common.adjacencyGraphs,
        // Levenshtein matching costs ~10× the time per check (hundreds of ms) for little gain on top of the rules.
        useLevenshteinDistance: false,
      }),
  );
  estimators.set(key, loading);
  // A failed download may be retried on the next keystroke.
  loading.catch(() => estimators.delete(key));
  return loading;
}

/** Older packs name their lists `commonWords`, `firstnames`…: suffix them so they cannot replace the English ones. */
function suffixed(dictionary: Dictionary, language: string | null): Dictionary {
  if (!language) return {};
  return Object.fromEntries(Object.entries(dictionary).map(([name, words]) => [name.includes('-') ? name : `${name}-${language}`, words]));
}

/** Scores the password; `userInputs` (email local part, name words) count as very guessable. */
export async function estimateStrength(password: string, userInputs: readonly string[], locale = 'en'): Promise<StrengthEstimate> {
  const zxcvbn = await loadStrengthEstimator(locale);
  const result = zxcvbn.check(password, [...userInputs]);
  return { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions };
}
