'use client';

import { useTranslations } from 'next-intl';
import type { PasswordPolicy, PasswordRuleId } from '@/lib/steps/password/policy';
import styles from './password-form.module.css';

export type ChecklistItem = { id: PasswordRuleId | 'strength'; met: boolean };

/**
 * The policy, listed before the person types (and without JavaScript), each rule ticking as it is met. The state
 * is in words for screen readers, not only in the tick.
 */
export function PasswordRules({ id, items, policy, strengthLabel }: { id: string; items: ChecklistItem[]; policy: PasswordPolicy; strengthLabel: string }) {
  const t = useTranslations('password.rules');
  const text = (rule: ChecklistItem['id']) => {
    switch (rule) {
      case 'min_length':
        return t('min_length', { min: policy.minLength });
      case 'classes':
        return policy.classes && policy.classes.required >= policy.classes.of.length
          ? t('classes_all')
          : t('classes_some', { required: policy.classes?.required ?? 0 });
      case 'max_repeated':
        return t('max_repeated', { max: policy.maxRepeated ?? 0 });
      case 'personal_info':
        return t('personal_info');
      case 'strength':
        return t('strength', { label: strengthLabel });
    }
  };
  return (
    <div className={styles.rules} id={id}>
      <p className={styles.rulesHeading}>{t('heading')}</p>
      <ul data-testid="password-rules">
        {items.map((item) => (
          <li key={item.id} data-rule={item.id} data-met={item.met} className={item.met ? styles.met : styles.unmet}>
            <span aria-hidden="true" className={styles.tick}>
              {item.met ? '✓' : '•'}
            </span>
            <span>{text(item.id)}</span>
            <span className={styles.visuallyHidden}> ({item.met ? t('met') : t('unmet')})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
