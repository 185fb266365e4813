import type { Branding } from '@/lib/config/steps-file';
import type { Translate } from '@/lib/i18n/catalogue';
import { Page } from './page';

export interface HandBackPageProps {
  t: Translate;
  locale: string;
  branding: Branding;
  nonce: string;
  /** Auth0's /continue, with `state` in the query. */
  action: string;
  /** `state` and the signed return token. */
  fields: Readonly<Record<string, string>>;
  /**
   * Where the visible button posts instead of Auth0: Detour's own /complete, which mints a fresh return token at
   * that moment (docs/design.md "Slow hands"). Absent, the button submits the hand-back form itself.
   */
  reissueAction?: string | undefined;
}

/** Submits the hand-back form as soon as the page is parsed: a login with JavaScript never waits for a click. */
export const AUTO_SUBMIT_SCRIPT = `document.getElementById('continue').submit();`;

/**
 * The hand-back: a form that POSTs the return token to /continue (Auth0 recommends POST so the token never sits in a
 * URL), submitted at once by a nonce'd script. The visible button is for browsers without JavaScript and for people
 * who come back to the page later: on the first page it asks Detour for a fresh token, so a click minutes later
 * still finishes the sign-in.
 */
export function HandBackPage({ t, locale, branding, nonce, action, fields, reissueAction }: HandBackPageProps) {
  const title = t('complete.title');
  const button = (
    <>
      <noscript>
        <p>{t('complete.noscript')}</p>
      </noscript>
      <div className="actions">
        <button type="submit" className="button">
          {t('complete.button')}
        </button>
      </div>
    </>
  );
  return (
    <Page title={`${title} · ${branding.product_name}`} lang={locale} branding={branding} nonce={nonce} inlineScript={AUTO_SUBMIT_SCRIPT}>
      <h1>{title}</h1>
      <p className="muted">{t('complete.body')}</p>
      <form id="continue" method="post" action={action}>
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {reissueAction ? null : button}
      </form>
      {reissueAction ? (
        <form method="post" action={reissueAction}>
          {button}
        </form>
      ) : null}
    </Page>
  );
}

/** Follows the page's one link as soon as it is parsed: a navigation, which CSP `form-action` does not govern. */
export const FOLLOW_LINK_SCRIPT = `location.replace(document.getElementById('continue').href);`;

export type ContinueElsewherePageProps = Omit<HandBackPageProps, 'action' | 'fields' | 'reissueAction'> & {
  /** Where the sign-in goes on instead of /continue (a step's `handBackRedirect`, checked by that step). */
  href: string;
};

/**
 * The hand-back when a step sends the browser somewhere other than /continue (a Rule's `authorize_again`). It is a
 * page with a link, not a 303: the step's form post led here, and Chromium applies the step page's
 * `form-action 'self'` to every redirect that follows a form post, so a redirect to the tenant would stall.
 */
export function ContinueElsewherePage({ t, locale, branding, nonce, href }: ContinueElsewherePageProps) {
  const title = t('complete.title');
  return (
    <Page title={`${title} · ${branding.product_name}`} lang={locale} branding={branding} nonce={nonce} inlineScript={FOLLOW_LINK_SCRIPT}>
      <h1>{title}</h1>
      <p className="muted">{t('complete.body')}</p>
      <noscript>
        <p>{t('complete.noscript')}</p>
      </noscript>
      <div className="actions">
        <a id="continue" className="button" href={href}>
          {t('complete.button')}
        </a>
      </div>
    </Page>
  );
}
