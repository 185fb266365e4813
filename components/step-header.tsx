import { getTranslations } from 'next-intl/server';
import { canShowStep, type FlowState } from '@/lib/flow/flow-state';
import { getStep } from '@/lib/steps/registry';
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
            {flow.steps.map((id) => {
              const name = t(`step_names.${id}` as never);
              const done = flow.completed.includes(id);
              // A finished step can be opened again (back navigation) unless it cannot be repeated.
              const link = done && id !== stepId && canShowStep(flow, id, getStep(id)?.revisitable ?? true);
              return (
                <li key={id} aria-current={id === stepId ? 'step' : undefined} data-done={done || undefined}>
                  {link ? <a href={`/steps/${id}`}>{name}</a> : name}
                  {done ? <span className="visually-hidden"> {t('step_done')}</span> : null}
                </li>
              );
            })}
          </ol>
        </nav>
      ) : null}
    </>
  );
}
