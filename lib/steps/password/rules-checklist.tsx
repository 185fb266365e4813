import type { Translate } from '../../i18n/catalogue';
import { applicableRules, type PasswordPolicy, type PasswordRuleId } from './policy';

export type ChecklistRuleId = PasswordRuleId | 'strength';

/**
 * The policy, listed before the person types (and without JavaScript). Every rule starts unmet; the page's script
 * ticks them as the person types (enhance.ts), the state in words for screen readers, not only in the tick.
 */
export function RulesChecklist({ id, policy, personal, t }: { id: string; policy: PasswordPolicy; personal: readonly string[]; t: Translate }) {
  const rules: ChecklistRuleId[] = [...applicableRules(policy, personal), ...(policy.minScore > 0 ? (['strength'] as const) : [])];
  return (
    <div className="password-rules" id={id}>
      <p className="password-rules-heading">{t('password.rules.heading')}</p>
      <ul data-testid="password-rules">
        {rules.map((rule) => (
          <li key={rule} data-rule={rule} data-met="false" className="password-unmet">
            <span aria-hidden="true" className="password-tick">
              •
            </span>
            <span>{ruleText(rule, policy, t)}</span>
            <span className="visually-hidden" data-rule-state="">
              {` (${t('password.rules.unmet')})`}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ruleText(rule: ChecklistRuleId, policy: PasswordPolicy, t: Translate): string {
  switch (rule) {
    case 'min_length':
      return t('password.rules.min_length', { min: policy.minLength });
    case 'classes':
      return policy.classes && policy.classes.required >= policy.classes.of.length
        ? t('password.rules.classes_all')
        : t('password.rules.classes_some', { required: policy.classes?.required ?? 0 });
    case 'max_repeated':
      return t('password.rules.max_repeated', { max: policy.maxRepeated ?? 0 });
    case 'personal_info':
      return t('password.rules.personal_info');
    case 'strength':
      return t('password.rules.strength', { label: t(`password.strength.scores.${policy.minScore}`) });
  }
}
