import type { PasswordPolicy } from './policy';

/**
 * What the password page hands its script (enhance.ts), as JSON in the form's `data-password-form` attribute: the
 * rules, the words to avoid, and every sentence the script may show, already translated (the browser gets no
 * message catalogue). An attribute, not an inline script, so React escapes it like any other value.
 */
export interface PasswordBrowserData {
  policy: PasswordPolicy;
  personal: string[];
  locale: string;
  text: {
    summaryTitle: string;
    show: string;
    hide: string;
    submitting: string;
    met: string;
    unmet: string;
    /** Catalogue key (`password.errors.too_short`) → its sentence, for each key form-check.ts can give. */
    errors: Record<string, string>;
    /** "Strength: very weak" … "Strength: very strong", by zxcvbn score. */
    scores: string[];
    checking: string;
    unavailable: string;
    /** zxcvbn feedback key (`warnings.straightRow`, `suggestions.anotherWord`) → its sentence. */
    feedback: Record<string, string>;
  };
}
