import type { Branding } from '../config/steps-file';
import { textDirection } from '../i18n/direction';
import { brandingCss } from './theme';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML bodies and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

export interface ShellOptions {
  title: string;
  lang: string;
  productName: string;
  logo?: string | undefined;
  primaryColor: string;
  /** The steps file's branding (colours, radius, fonts, custom stylesheet); `primaryColor` alone when absent. */
  branding?: Branding | undefined;
  nonce: string;
  body: string;
  script?: string;
  /** The "skip to content" link's text: a page with navigation before its content (a step page) says it first. */
  skipLink?: string | undefined;
}

/**
 * The HTML shell of the pages Detour answers from route handlers (/start refusals, /complete, /start-over, the terms
 * step): the same look as the React pages (public/detour.css, the branding variables of lib/http/theme.ts,
 * app/layout.tsx) without any framework JavaScript.
 */
export function renderShell(options: ShellOptions): string {
  const nonce = escapeHtml(options.nonce);
  const logo = options.logo ? `<img src="${escapeHtml(options.logo)}" alt="" width="32" height="32">` : '';
  const script = options.script ? `<script nonce="${nonce}">${options.script}</script>` : '';
  const theme = brandingCss(options.branding ?? { primary_color: options.primaryColor });
  const customCss = options.branding?.custom_css ? `<link rel="stylesheet" href="${escapeHtml(options.branding.custom_css)}">` : '';
  // As in app/layout.tsx: the link lands in <main>, which takes the focus for it.
  const skipLink = options.skipLink ? `<a class="skip-link" href="#main">${escapeHtml(options.skipLink)}</a>` : '';
  const mainFocus = options.skipLink ? ' tabindex="-1"' : '';
  return `<!doctype html>
<html lang="${escapeHtml(options.lang)}" dir="${textDirection(options.lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="strict-origin-when-cross-origin"><meta name="robots" content="noindex, nofollow"><title>${escapeHtml(options.title)}</title>
<link rel="icon" href="/favicon.ico"><link rel="stylesheet" href="/detour.css"><style nonce="${nonce}">${theme}</style>${customCss}</head>
<body>${skipLink}<div class="page"><header class="brand">${logo}<span>${escapeHtml(options.productName)}</span></header>
<main class="card" id="main"${mainFocus}>${options.body}</main></div>${script}</body></html>`;
}
