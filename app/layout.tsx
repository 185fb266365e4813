import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { getConfig } from '@/lib/config';
import { brandingCss } from '@/lib/http/theme';
import { textDirection } from '@/lib/i18n/direction';

// Every page depends on the request (flow cookie, nonce): nothing is prerendered at build time.
export const dynamic = 'force-dynamic';

export function generateMetadata(): Metadata {
  const { product_name: product } = getConfig().steps.branding;
  return {
    title: { template: `%s · ${product}`, default: product },
    robots: { index: false, follow: false },
    // public/favicon.ico, which the framework-free pages name too (lib/http/html.ts).
    icons: { icon: '/favicon.ico' },
    referrer: 'strict-origin-when-cross-origin',
  };
}
export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  const locale = await getLocale();
  const t = await getTranslations('common');
  const { branding } = getConfig().steps;
  return (
    <html lang={locale} dir={textDirection(locale)}>
      <head>
        {/* One stylesheet for the React pages and the framework-free ones (/start refusals, /complete). */}
        {/* eslint-disable-next-line @next/next/no-css-tags */}
        <link rel="stylesheet" href="/detour.css" />
        {/* Branding as CSS variables (lib/http/theme.ts): a new colour or font needs a restart, not a rebuild. */}
        <style nonce={nonce}>{brandingCss(branding)}</style>
        {branding.custom_css ? <link rel="stylesheet" href={branding.custom_css} /> : null}
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t('skip_to_content')}
        </a>
        <div className="page">
          <header className="brand">
            {branding.logo ? <img src={branding.logo} alt="" width={32} height={32} /> : null}
            <span>{branding.product_name}</span>
          </header>
          <main className="card" id="main" tabIndex={-1}>
            <NextIntlClientProvider>{children}</NextIntlClientProvider>
          </main>
        </div>
      </body>
    </html>
  );
}
