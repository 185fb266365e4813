import 'server-only';
import { renderToStaticMarkup } from 'react-dom/server.edge';
import type { Translate } from '../../i18n/catalogue';

export interface CodeMailInput {
  t: Translate;
  locale: string;
  product: string;
  code: string;
  /** Where the sign-in comes from, as the page says it. */
  place: string;
  minutes: number;
}

export interface CodeMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * The code's email, in the flow's language: plain text (the code alone on its line, which the tests and mail
 * clients' code detection read) and the same words as simple HTML. No images, no links, nothing to track.
 */
export function codeMail({ t, locale, product, code, place, minutes }: CodeMailInput): CodeMail {
  const values = { product, place, minutes };
  const lines = {
    intro: t('verify.mail.intro', values),
    codeIs: t('verify.mail.code_is'),
    validity: t('verify.mail.validity', values),
    notYou: t('verify.mail.not_you', values),
    signature: t('verify.mail.signature', values),
  };
  const text = [lines.intro, '', lines.codeIs, '', code, '', lines.validity, '', lines.notYou, '', lines.signature, ''].join('\n');
  const dir = locale === 'ar' ? 'rtl' : 'ltr';
  const html = `<!doctype html>${renderToStaticMarkup(
    <html lang={locale} dir={dir}>
      {/* An email's own document, not a Next page: next/head has no place in it. */}
      {/* eslint-disable-next-line @next/next/no-head-element */}
      <head>
        <meta charSet="utf-8" />
        <title>{t('verify.mail.subject', values)}</title>
      </head>
      <body style={{ fontFamily: 'system-ui, sans-serif', fontSize: '16px', lineHeight: 1.5, color: '#111' }}>
        <p>{lines.intro}</p>
        <p>{lines.codeIs}</p>
        <p style={{ fontSize: '28px', fontWeight: 700, letterSpacing: '0.2em' }} dir="ltr">
          {code}
        </p>
        <p>{lines.validity}</p>
        <p>
          <strong>{lines.notYou}</strong>
        </p>
        <p>{lines.signature}</p>
      </body>
    </html>,
  )}`;
  return { subject: t('verify.mail.subject', values), text, html };
}
