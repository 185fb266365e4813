import { getTranslations } from 'next-intl/server';
import { ErrorAlert } from '@/components/error-alert';

/** Detour has no home page: people only arrive here through a sign-in. */
export default async function Home() {
  const t = await getTranslations('errors');
  return (
    <>
      <h1>{t('heading')}</h1>
      <ErrorAlert code="flow_missing">{t('flow_missing')}</ErrorAlert>
    </>
  );
}
