import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ErrorAlert } from '@/components/error-alert';
import { RefusalNextSteps } from '@/components/refusal-next-steps';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('errors');
  return { title: t('titles.not_found') };
}

export default async function NotFound() {
  const t = await getTranslations('errors');
  return (
    <>
      <h1>{t('titles.not_found')}</h1>
      <ErrorAlert code="invalid_request">{t('not_found')}</ErrorAlert>
      <RefusalNextSteps code="invalid_request" />
    </>
  );
}
