import { getTranslations } from 'next-intl/server';
import type { DetourError } from '@/lib/errors';
import { ErrorAlert } from './error-alert';

/** A step page that cannot be shown: the refusal sentence, never a stack trace. */
export async function FlowError({ error }: { error: DetourError }) {
  const t = await getTranslations('errors');
  return (
    <>
      <h1>{t('heading')}</h1>
      <ErrorAlert code={error.code}>{t(error.code)}</ErrorAlert>
    </>
  );
}
