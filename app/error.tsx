'use client';

import { useTranslations } from 'next-intl';
import { ErrorAlert } from '@/components/error-alert';

/** Last resort for a rendering failure: a sentence and the support reference, never a stack trace. */
export default function ErrorBoundary({ error }: { error: Error & { digest?: string } }) {
  const t = useTranslations();
  return (
    <>
      <h1>{t('errors.titles.misconfigured')}</h1>
      <ErrorAlert code="misconfigured">{t('errors.misconfigured')}</ErrorAlert>
      {error.digest ? (
        <p className="support muted small">
          {t('common.support_hint')}
          <br />
          {t('common.support_reference', { id: error.digest })}
        </p>
      ) : null}
    </>
  );
}
