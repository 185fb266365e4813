'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef } from 'react';
import type { StepActionState } from '@/lib/flow/step-action-state';
import { restartFixes } from '@/lib/i18n/error-title';
import { ErrorAlert } from './error-alert';
import { REFERENCE_MARKER, SupportReference } from './support-reference';

/**
 * A refusal that is not about one field (the account service did not answer, the sign-in was lost, too many
 * attempts): the sentence, the way back when only a new sign-in helps, and the request id for support. It takes
 * the focus when it appears, so the person hears it and is not left on a button that seemingly did nothing.
 */
export function FormAlert({ state, text, restartUrl }: { state: StepActionState; text: string; restartUrl?: string | null }) {
  const t = useTranslations('common');
  const ref = useRef<HTMLDivElement>(null);
  const code = state.code ?? 'misconfigured';
  useEffect(() => {
    ref.current?.focus();
  }, [state]);
  return (
    <div ref={ref} tabIndex={-1} className="form-alert">
      <ErrorAlert code={code}>{text}</ErrorAlert>
      {restartUrl && restartFixes(code) ? (
        <p>
          <a className="button secondary" href={restartUrl} data-testid="restart">
            {t('start_again')}
          </a>
        </p>
      ) : null}
      {state.requestId ? <SupportReference template={t('support_reference', { id: REFERENCE_MARKER })} requestId={state.requestId} /> : null}
    </div>
  );
}
