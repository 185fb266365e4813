import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ErrorAlert } from '@/components/error-alert';
import { RefusalNextSteps } from '@/components/refusal-next-steps';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('errors');
  return { title: t('titles.wrong_browser') };
}

/** Detour has no home page: people only arrive here through a sign-in. */
export default async function Home() {
  const t = await getTranslations('errors');
  return (
    <>
      <h1>{t('titles.wrong_browser')}</h1>
      <ErrorAlert code="flow_missing">{t('flow_missing')}</ErrorAlert>
      <RefusalNextSteps code="flow_missing" />
    </>
  );
}
