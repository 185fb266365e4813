import { getLocale } from 'next-intl/server';
import type { FlowState } from '@/lib/flow/flow-state';
import { stepHeaderHtml } from '@/lib/http/step-header-html';
import { loadMessages } from '@/lib/i18n/catalogue';
import { getStep } from '@/lib/steps/registry';

/**
 * The top of every step page: whose account this is (with "not you? start over") and, when the login asks for
 * more than one step, where this step sits among them. Rendered once, as HTML (lib/http/step-header-html.ts), for
 * the React pages and the framework-free terms page alike; everything in it is escaped there.
 */
export async function StepHeader({ flow, stepId }: { flow: FlowState; stepId: string }) {
  const html = stepHeaderHtml({ flow, stepId, messages: loadMessages(await getLocale()), revisitable: (id) => getStep(id)?.revisitable ?? true });
  return <div className="step-header" dangerouslySetInnerHTML={{ __html: html }} />;
}
