import 'server-only';
import { loadMessages, type MessageValues, type Translate } from '../../i18n/catalogue';
import type { PasswordBrowserData } from './browser-data';
import { possibleProblemKeys } from './form-check';
import type { PasswordPolicy } from './policy';

/** The values every password message may name ({min}, {max}…), for this policy. */
export function policyMessageValues(policy: PasswordPolicy): MessageValues {
  return { min: policy.minLength, max: policy.maxRepeated ?? 0, required: policy.classes?.required ?? 0, bytes: policy.maxBytes };
}

/** The script's data (browser-data.ts): the policy, the words to avoid, and its sentences in the page's language. */
export function passwordBrowserData(input: { policy: PasswordPolicy; personal: string[]; t: Translate; locale: string }): PasswordBrowserData {
  const { policy, personal, t, locale } = input;
  const values = policyMessageValues(policy);
  const errors = Object.fromEntries(possibleProblemKeys(policy, personal).map((key) => [key, t(key, values)]));
  return {
    policy,
    personal,
    locale,
    text: {
      summaryTitle: t('common.error_summary_title'),
      show: t('password.show'),
      hide: t('password.hide'),
      submitting: t('password.submitting'),
      met: t('password.rules.met'),
      unmet: t('password.rules.unmet'),
      errors,
      scores: [0, 1, 2, 3, 4].map((score) => t('password.strength.label', { label: t(`password.strength.scores.${score}`) })),
      checking: t('password.strength.checking'),
      unavailable: t('password.strength.unavailable'),
      // The steps file may require symbols or digits; zxcvbn's "no need for symbols" would contradict it.
      feedback: feedbackTexts(locale, t, policy.classes !== null ? ['suggestions.noNeed'] : []),
    },
  };
}

/** zxcvbn's feedback sentences this language's catalogue has (a key it lacks is shown as nothing). */
function feedbackTexts(locale: string, t: Translate, leftOut: readonly string[]): Record<string, string> {
  const catalogue = loadMessages(locale) as { password?: { feedback?: Record<string, Record<string, unknown>> } };
  const texts: Record<string, string> = {};
  for (const [group, entries] of Object.entries(catalogue.password?.feedback ?? {})) {
    for (const key of Object.keys(entries)) {
      const id = `${group}.${key}`;
      if (!leftOut.includes(id)) texts[id] = t(`password.feedback.${id}`);
    }
  }
  return texts;
}
