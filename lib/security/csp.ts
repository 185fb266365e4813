/**
 * DESIGN rule 6. Step pages post only to Detour itself: `form-action 'self'`. The hand-back page (/complete) sends no
 * `form-action` at all: Chromium and WebKit apply it to every redirect that follows a form submission, and Auth0's
 * /continue answers 302 → /authorize/resume → 302 to the application's own origin, which no allow-list here can name.
 */
export function buildContentSecurityPolicy(input: { nonce: string; handBack?: boolean; dev?: boolean }): string {
  const scriptSrc = [`'self'`, `'nonce-${input.nonce}'`, `'strict-dynamic'`, ...(input.dev ? [`'unsafe-eval'`] : [])];
  return [
    `default-src 'self'`,
    `script-src ${scriptSrc.join(' ')}`,
    `style-src 'self' 'nonce-${input.nonce}'`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `frame-ancestors 'none'`,
    `object-src 'none'`,
    `base-uri 'none'`,
    ...(input.handBack ? [] : [`form-action 'self'`]),
  ].join('; ');
}

export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

const baseHeadersByOrigin = new Map<string, Readonly<Record<string, string>>>();

/** Headers every response carries; HSTS only when Detour is not served on loopback. Built once per base URL. */
export function baseSecurityHeaders(appBaseUrl: string): Readonly<Record<string, string>> {
  let headers = baseHeadersByOrigin.get(appBaseUrl);
  if (!headers) baseHeadersByOrigin.set(appBaseUrl, (headers = Object.freeze(buildBaseSecurityHeaders(appBaseUrl))));
  return headers;
}

function buildBaseSecurityHeaders(appBaseUrl: string): Record<string, string> {
  const url = new URL(appBaseUrl);
  return {
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    ...(url.protocol === 'https:' && !LOOPBACK_HOST.test(url.hostname) ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}
