import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

/**
 * zxcvbn-ts with the common and English dictionaries, loaded on first use and kept: the server scores every
 * submission with it, and the browser imports it only once the person starts typing (dynamic import, so the
 * ~1 MB of dictionaries is a separate download, not part of the page's first load).
 *
 * No translations are passed, so feedback comes back as zxcvbn's keys (`straightRow`, `anotherWord`…), which the
 * form looks up under `password.feedback.*` in the message catalogue.
 */

export interface StrengthEstimate {
  /** 0 (too guessable) to 4 (very unguessable). */
  score: 0 | 1 | 2 | 3 | 4;
  warning: string | null;
  suggestions: string[];
}

let estimator: Promise<ZxcvbnFactory> | undefined;

export function loadStrengthEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]).then(
    ([core, common, english]) =>
      new core.ZxcvbnFactory({
        dictionary: { ...common.dictionary, ...english.dictionary },
        graphs: common.adjacencyGraphs,
        // Levenshtein matching costs ~10× the time per check (hundreds of ms) for little gain on top of the rules.
        useLevenshteinDistance: false,
      }),
  );
  // A failed download may be retried on the next keystroke.
  estimator.catch(() => {
    estimator = undefined;
  });
  return estimator;
}

/** Scores the password; `userInputs` (email local part, name words) count as very guessable. */
export async function estimateStrength(password: string, userInputs: readonly string[]): Promise<StrengthEstimate> {
  const zxcvbn = await loadStrengthEstimator();
  const result = zxcvbn.check(password, [...userInputs]);
  return { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions };
}
