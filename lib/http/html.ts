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
  nonce: string;
  body: string;
  script?: string;
}

/**
 * The HTML shell of the pages Detour answers from route handlers (/start refusals, /complete): the same look
 * as the React pages (public/detour.css) without any framework JavaScript.
 */
export function renderShell(options: ShellOptions): string {
  const logo = options.logo ? `<img src="${escapeHtml(options.logo)}" alt="" width="32" height="32">` : '';
  const script = options.script ? `<script nonce="${escapeHtml(options.nonce)}">${options.script}</script>` : '';
  return `<!doctype html>
<html lang="${escapeHtml(options.lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="strict-origin-when-cross-origin"><title>${escapeHtml(options.title)}</title>
<link rel="stylesheet" href="/detour.css"><style nonce="${escapeHtml(options.nonce)}">:root{--brand:${options.primaryColor}}</style></head>
<body><div class="page"><header class="brand">${logo}<span>${escapeHtml(options.productName)}</span></header>
<main class="card" id="main">${options.body}</main></div>${script}</body></html>`;
}
