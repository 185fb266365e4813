import { canShowStep, type FlowState } from '../flow/flow-state';
import { maskEmail } from '../flow/mask-email';
import { translate, type Messages } from '../i18n/catalogue';
import { escapeHtml } from './html';

export type StepHeaderFlow = Pick<FlowState, 'steps' | 'completed' | 'email' | 'name'>;

export interface StepHeaderInput {
  /** Null when no flow could be opened (a post whose sign-in was lost): the way out is still offered. */
  flow: StepHeaderFlow | null;
  stepId: string;
  messages: Messages;
  /** Whether a finished step may be opened again (the step's `revisitable`, default true). */
  revisitable: (stepId: string) => boolean;
}

/**
 * The top of every step page, as HTML: whose account this is (with "not you? start over") and, when the login asks
 * for more than one step, where this step sits among them. The one renderer for it: the framework-free terms page
 * places it as it is, and the React pages through components/step-header.tsx.
 */
export function stepHeaderHtml({ flow, stepId, messages, revisitable }: StepHeaderInput): string {
  const t = (key: string, values?: Record<string, string | number>) => escapeHtml(translate(messages, `common.${key}`, values));
  const who = flow?.email ? maskEmail(flow.email) : (flow?.name ?? '');
  const account = who ? `<span data-testid="account">${t('signing_in_as', { account: who })}</span>` : '<span></span>';
  const banner = `<div class="account">${account}<form method="post" action="/start-over"><button type="submit" class="linklike">${t('not_you')}</button></form></div>`;
  if (!flow || flow.steps.length <= 1) return banner;
  const items = flow.steps.map((id) => {
    const name = t(`step_names.${id}`);
    const done = flow.completed.includes(id);
    // A finished step can be opened again (back navigation) unless it cannot be repeated.
    const link = done && id !== stepId && canShowStep(flow, id, revisitable(id));
    const current = id === stepId ? ' aria-current="step"' : '';
    const doneMark = done ? `<span class="visually-hidden"> ${t('step_done')}</span>` : '';
    return `<li${current}${done ? ' data-done="true"' : ''}>${link ? `<a href="/steps/${escapeHtml(encodeURIComponent(id))}">${name}</a>` : name}${doneMark}</li>`;
  });
  const position = flow.steps.indexOf(stepId) + 1;
  return `${banner}<nav aria-label="${t('progress_label')}" class="progress"><p>${t('step_progress', { current: position, total: flow.steps.length })}</p><ol>${items.join('')}</ol></nav>`;
}
