'use client';

import { useTranslations } from 'next-intl';
import styles from './password-form.module.css';
import type { StrengthState } from './use-strength';

/** zxcvbn's verdict as a meter and in words, with its feedback translated from its keys. */
export function StrengthMeter({ state, hideSymbolAdvice }: { state: StrengthState; hideSymbolAdvice: boolean }) {
  const t = useTranslations('password');
  if (state.status === 'empty') return <div className={styles.strength} data-testid="password-strength" data-status="empty" aria-live="polite" />;
  if (state.status !== 'ready') {
    return (
      <div className={styles.strength} data-testid="password-strength" data-status={state.status} aria-live="polite">
        <p className={styles.strengthText}>{state.status === 'checking' ? t('strength.checking') : t('strength.unavailable')}</p>
      </div>
    );
  }
  const { score, warning, suggestions } = state.estimate;
  const known = (key: string) => t.has(key as never);
  const warningKey = warning ? `feedback.warnings.${warning}` : null;
  const suggestionKeys = suggestions
    // The steps file may require symbols or digits; zxcvbn's "no need for symbols" would contradict it.
    .filter((key) => !(hideSymbolAdvice && key === 'noNeed'))
    .map((key) => `feedback.suggestions.${key}`)
    .filter(known);
  return (
    <div className={styles.strength} data-testid="password-strength" data-status="ready" data-score={score} aria-live="polite">
      <meter className={styles.meter} min={0} max={4} low={2} high={3} optimum={4} value={score} aria-hidden="true" />
      <p className={styles.strengthText}>{t('strength.label', { label: t(`strength.scores.${score}`) })}</p>
      {warningKey && known(warningKey) ? <p className={styles.feedback}>{t(warningKey as never)}</p> : null}
      {suggestionKeys.length > 0 ? (
        <ul className={styles.suggestions}>
          {suggestionKeys.map((key) => (
            <li key={key}>{t(key as never)}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
