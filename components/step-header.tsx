import { getTranslations } from 'next-intl/server';
import type { FlowState } from '@/lib/flow/flow-state';
import { AccountBanner } from './account-banner';

/**
 * The top of every step page: whose account this is (with "not you? start over") and, when the login asks for
 * more than one step, where this step sits among them.
 */
export async function StepHeader({ flow, stepId }: { flow: FlowState; stepId: string }) {
  const t = await getTranslations('common');
  const position = flow.steps.indexOf(stepId) + 1;
  return (
    <>
      <AccountBanner email={flow.email} name={flow.name} />
      {flow.steps.length > 1 ? (
        <nav aria-label={t('progress_label')} className="progress">
          <p>{t('step_progress', { current: position, total: flow.steps.length })}</p>
          <ol>
            {flow.steps.map((id) => (
              <li key={id} aria-current={id === stepId ? 'step' : undefined} data-done={flow.completed.includes(id) || undefined}>
                {t(`step_names.${id}` as never)}
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
    </>
  );
}
