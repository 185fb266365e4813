import { getTranslations } from 'next-intl/server';
import type { DetourError } from '@/lib/errors';
import { errorTitle } from '@/lib/i18n/error-title';
import { ErrorAlert } from './error-alert';
import { RefusalNextSteps } from './refusal-next-steps';

/** A step page that cannot be shown: what happened, what to do next and a support reference, never a stack trace. */
export async function FlowError({ error }: { error: DetourError }) {
  const t = await getTranslations('errors');
  return (
    <>
      <h1>{t(`titles.${errorTitle(error.code)}`)}</h1>
      <ErrorAlert code={error.code}>{t(error.code)}</ErrorAlert>
      <RefusalNextSteps code={error.code} />
    </>
  );
}
