import type { Branding } from '@/lib/config/steps-file';
import type { Translate } from '@/lib/i18n/catalogue';
import { Page } from './page';

export interface NoticePageProps {
  t: Translate;
  locale: string;
  branding: Branding;
  nonce: string;
  /** Catalogue keys of the heading and the sentence under it. */
  titleKey: string;
  bodyKey: string;
  /** "Start the sign-in again", when LOGIN_RESTART_URL is set. */
  restartUrl: string | null;
}

/** A page that only says something (the flow was forgotten, "start over"): a heading, a sentence, the way back. */
export function NoticePage({ t, locale, branding, nonce, titleKey, bodyKey, restartUrl }: NoticePageProps) {
  const title = t(titleKey);
  return (
    <Page title={`${title} · ${branding.product_name}`} lang={locale} branding={branding} nonce={nonce}>
      <h1>{title}</h1>
      <p>{t(bodyKey)}</p>
      {restartUrl ? (
        <p>
          <a className="button" href={restartUrl}>
            {t('common.start_again')}
          </a>
        </p>
      ) : null}
    </Page>
  );
}
