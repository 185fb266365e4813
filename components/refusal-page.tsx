import type { Branding } from '@/lib/config/steps-file';
import type { ErrorCode } from '@/lib/errors';
import type { Translate } from '@/lib/i18n/catalogue';
import { errorTitle } from '@/lib/i18n/error-title';
import { ErrorAlert, NextSteps, SupportReference } from './feedback';
import { Page } from './page';

export interface RefusalPageProps {
  code: ErrorCode;
  t: Translate;
  locale: string;
  branding: Branding;
  nonce: string;
  requestId: string;
  restartUrl: string | null;
}

/**
 * The refusal page of docs/design.md "How refusals look": what happened in a heading a person recognises, a sentence
 * saying what to do next, the way back ("start the sign-in again", when LOGIN_RESTART_URL is set), and the request id
 * as a support reference; the code on the `role="alert"` element for tests and support, never a stack trace.
 */
export function RefusalPage({ code, t, locale, branding, nonce, requestId, restartUrl }: RefusalPageProps) {
  const heading = t(`errors.titles.${errorTitle(code)}`);
  const sentence = t(`errors.${code}`);
  return (
    <Page title={`${heading} · ${branding.product_name}`} lang={locale} branding={branding} nonce={nonce}>
      <h1>{heading}</h1>
      <ErrorAlert code={code}>{sentence === `errors.${code}` ? t('errors.invalid_request') : sentence}</ErrorAlert>
      <NextSteps t={t} code={code} restartUrl={restartUrl} supportUrl={branding.support_url} />
      <SupportReference t={t} requestId={requestId} />
    </Page>
  );
}
