import { getTranslations } from 'next-intl/server';
import { ErrorAlert } from '@/components/error-alert';

export default async function NotFound() {
  const t = await getTranslations('errors');
  return (
    <>
      <h1>{t('heading')}</h1>
      <ErrorAlert code="invalid_request">{t('not_found')}</ErrorAlert>
    </>
  );
}
