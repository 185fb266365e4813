import { describe, expect, it } from 'vitest';
import { baseSecurityHeaders, buildContentSecurityPolicy, createNonce } from './csp';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values] as [string, string[]];
    }),
  );
}

describe('buildContentSecurityPolicy', () => {
  const nonce = 'bm9uY2Utbm9uY2Utbm9uY2U=';
  const policy = directives(buildContentSecurityPolicy({ nonce }));
  const handBack = directives(buildContentSecurityPolicy({ nonce, handBack: true }));

  it.each([
    ['frame-ancestors', ["'none'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'self'"]],
  ])('sets %s exactly on step pages', (name, values) => {
    expect(policy.get(name)).toEqual(values);
  });

  // Chromium applies form-action to each redirect after the POST to /continue (302 /authorize/resume, then 302 to
  // the application's own origin): any allow-list here stalls a real login on the hand-back page.
  it('sends no form-action at all on the hand-back page, and keeps every other directive', () => {
    expect(handBack.has('form-action')).toBe(false);
    expect([...handBack.keys()]).toEqual([...policy.keys()].filter((name) => name !== 'form-action'));
  });

  it('allows scripts and styles only by nonce, never inline', () => {
    expect(policy.get('script-src')).toContain(`'nonce-${nonce}'`);
    expect(policy.get('style-src')).toContain(`'nonce-${nonce}'`);
    for (const values of policy.values()) {
      expect(values).not.toContain("'unsafe-inline'");
      expect(values).not.toContain("'unsafe-eval'");
    }
  });

  it('adds unsafe-eval to script-src only in development', () => {
    const dev = directives(buildContentSecurityPolicy({ nonce, dev: true }));
    expect(dev.get('script-src')).toContain("'unsafe-eval'");
    expect(dev.get('script-src')).not.toContain("'unsafe-inline'");
  });
});

describe('createNonce', () => {
  it('gives a fresh base64 value of at least 16 bytes each time', () => {
    const nonces = Array.from({ length: 20 }, () => createNonce());
    expect(new Set(nonces).size).toBe(nonces.length);
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(Buffer.from(nonce, 'base64').length).toBeGreaterThanOrEqual(16);
    }
  });
});

describe('baseSecurityHeaders', () => {
  it.each([
    ['an https public host', 'https://detour.example.com', true],
    ['https on a custom port', 'https://detour.example.com:8443', true],
    ['http on 127.0.0.1', 'http://127.0.0.1:3000', false],
    ['http on localhost', 'http://localhost:3000', false],
    ['https on localhost', 'https://localhost:3000', false],
    ['https on [::1]', 'https://[::1]:3000', false],
  ])('with %s has HSTS: %s', (_, url, hsts) => {
    const headers = baseSecurityHeaders(url);
    expect(headers['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    if (hsts) expect(headers['Strict-Transport-Security']).toMatch(/^max-age=\d{8,}/);
    else expect(headers).not.toHaveProperty('Strict-Transport-Security');
  });
});
