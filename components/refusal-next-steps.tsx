import { headers } from 'next/headers';
import { getTranslations } from 'next-intl/server';
import { getConfig } from '@/lib/config';
import { restartFixes } from '@/lib/i18n/error-title';
import { REFERENCE_MARKER, SupportReference } from './support-reference';

/**
 * Under a refusal: the way back ("start the sign-in again", when LOGIN_RESTART_URL is set), a support link when
 * the steps file has one, and the request id as a support reference (every log line of the request carries it).
 * The same parts as the framework-free refusal pages (lib/http/error-page.ts).
 */
export async function RefusalNextSteps({ code }: { code: string }) {
  const t = await getTranslations('common');
  const requestId = (await headers()).get('x-request-id');
  let restartUrl: string | null = null;
  let supportUrl: string | undefined;
  try {
    const config = getConfig();
    restartUrl = config.loginRestartUrl;
    supportUrl = config.steps.branding.support_url;
  } catch {
    // A configuration that cannot load has nothing to link to; the sentence and reference still show.
  }
  return (
    <>
      {restartUrl || supportUrl ? (
        <div className="actions">
          {restartUrl ? (
            <a className={restartFixes(code) ? 'button' : 'button secondary'} href={restartUrl} data-testid="restart">
              {t('start_again')}
            </a>
          ) : null}{' '}
          {supportUrl ? <a href={supportUrl}>{t('contact_support')}</a> : null}
        </div>
      ) : null}
      {requestId ? <SupportReference hint={t('support_hint')} template={t('support_reference', { id: REFERENCE_MARKER })} requestId={requestId} /> : null}
    </>
  );
}
