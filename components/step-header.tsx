import { canShowStep, type FlowState } from '@/lib/flow/flow-state';
import { maskEmail } from '@/lib/flow/mask-email';
import type { Translate } from '@/lib/i18n/catalogue';

export type StepHeaderFlow = Pick<FlowState, 'steps' | 'completed' | 'email' | 'name'>;

export interface StepHeaderProps {
  /** Null when no flow could be opened (a post whose sign-in was lost): the way out is still offered. */
  flow: StepHeaderFlow | null;
  stepId: string;
  t: Translate;
  /** Whether a finished step may be opened again (the step's `revisitable`). */
  revisitable: (stepId: string) => boolean;
}

/**
 * The top of every step page: whose account this is (with "not you? start over") and, when the login asks for more
 * than one step, where this step sits among them.
 */
export function StepHeader({ flow, stepId, t, revisitable }: StepHeaderProps) {
  const who = flow?.email ? maskEmail(flow.email) : (flow?.name ?? '');
  const banner = (
    <div className="account">
      {who ? <span data-testid="account">{t('common.signing_in_as', { account: who })}</span> : <span />}
      <form method="post" action="/start-over">
        <button type="submit" className="linklike">
          {t('common.not_you')}
        </button>
      </form>
    </div>
  );
  if (!flow || flow.steps.length <= 1) return banner;
  return (
    <>
      {banner}
      <nav aria-label={t('common.progress_label')} className="progress">
        <p>{t('common.step_progress', { current: flow.steps.indexOf(stepId) + 1, total: flow.steps.length })}</p>
        <ol>
          {flow.steps.map((id) => {
            const name = t(`${id}.step_name`);
            const done = flow.completed.includes(id);
            // A finished step can be opened again (back navigation) unless it cannot be repeated.
            const link = done && id !== stepId && canShowStep(flow, id, revisitable(id));
            return (
              <li key={id} aria-current={id === stepId ? 'step' : undefined} data-done={done ? 'true' : undefined}>
                {link ? <a href={`/steps/${encodeURIComponent(id)}`}>{name}</a> : name}
                {done ? <span className="visually-hidden"> {t('common.step_done')}</span> : null}
              </li>
            );
          })}
        </ol>
      </nav>
    </>
  );
}
