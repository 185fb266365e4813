import type { ReactNode } from 'react';
import type { Branding } from '@/lib/config/steps-file';
import { brandingCss } from '@/lib/http/theme';
import { textDirection } from '@/lib/i18n/direction';

export interface PageProps {
  /** The whole <title>: what the page is, then the product (`Accept the terms · Acme`). */
  title: string;
  lang: string;
  branding: Pick<Branding, 'product_name' | 'logo' | 'custom_css'> & Parameters<typeof brandingCss>[0];
  /** The request's CSP nonce: the branding <style> and any script carry it. */
  nonce: string;
  /** The "skip to content" link's text: a page with navigation before its content (a step page) says it first. */
  skipLink?: string | undefined;
  /** Stylesheets after Detour's own (a step's, then the brand's). */
  stylesheets?: readonly string[];
  /** Module scripts under public/ (a step's progressive enhancement); none on most pages. */
  scripts?: readonly string[];
  /** One inline script (the hand-back's auto-submit). */
  inlineScript?: string;
  children: ReactNode;
}

/**
 * Every HTML page Detour answers: one stylesheet (public/detour.css), the branding as CSS variables
 * (lib/http/theme.ts), the product's name and logo, and the content in <main>. No framework script: a page loads
 * only the scripts it names.
 */
export function Page({ title, lang, branding, nonce, skipLink, stylesheets = [], scripts = [], inlineScript, children }: PageProps) {
  const sheets = [...stylesheets, ...(branding.custom_css ? [branding.custom_css] : [])];
  return (
    <html lang={lang} dir={textDirection(lang)}>
      {/* Rendered to static HTML by lib/web/render.ts, not by Next's pages: next/head has no part in it. */}
      {/* eslint-disable-next-line @next/next/no-head-element */}
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="strict-origin-when-cross-origin" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{title}</title>
        <link rel="icon" href="/favicon.ico" />
        {/* eslint-disable-next-line @next/next/no-css-tags -- one hand-written stylesheet, no CSS pipeline */}
        <link rel="stylesheet" href="/detour.css" />
        <style nonce={nonce} dangerouslySetInnerHTML={{ __html: brandingCss(branding) }} />
        {sheets.map((href) => (
          <link key={href} rel="stylesheet" href={href} />
        ))}
        {scripts.map((src) => (
          // A module script is deferred: it never blocks parsing, whatever the rule below assumes.
          // eslint-disable-next-line @next/next/no-sync-scripts
          <script key={src} type="module" src={src} nonce={nonce} />
        ))}
      </head>
      <body>
        {/* The link lands in <main>, which takes the focus for it. */}
        {skipLink ? (
          <a className="skip-link" href="#main">
            {skipLink}
          </a>
        ) : null}
        <div className="page">
          <header className="brand">
            {/* Decorative: the product's name follows in text. Dimensions keep the layout from shifting. */}
            {branding.logo ? <img src={branding.logo} alt="" width={32} height={32} fetchPriority="low" /> : null}
            <span>{branding.product_name}</span>
          </header>
          <main className="card" id="main" tabIndex={skipLink ? -1 : undefined}>
            {children}
          </main>
        </div>
        {inlineScript ? <script nonce={nonce} dangerouslySetInnerHTML={{ __html: inlineScript }} /> : null}
      </body>
    </html>
  );
}
