import { describe, expect, it } from 'vitest';
import { escapeHtml, renderShell, type ShellOptions } from './html';

describe('escapeHtml', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`"quoted" & 'single'`, '&quot;quoted&quot; &amp; &#39;single&#39;'],
    ['&amp;', '&amp;amp;'],
    ['plain text, ünïcødé', 'plain text, ünïcødé'],
    ['', ''],
  ])('%s → %s', (raw, escaped) => {
    expect(escapeHtml(raw)).toBe(escaped);
  });
});

describe('renderShell', () => {
  const options: ShellOptions = {
    title: 'Accept <terms>',
    lang: 'ar',
    productName: 'Example & Co',
    logo: '/logo.svg',
    primaryColor: '#4f46e5',
    nonce: 'bm9uY2Utbm9uY2Utbm9uY2U=',
    body: '<p>Body</p>',
    script: 'document.body.dataset.ready = "1";',
  };
  const html = renderShell(options);

  it('puts the nonce on every script and style tag', () => {
    const tags = html.match(/<(script|style)\b[^>]*>/g) ?? [];
    expect(tags).toHaveLength(2);
    for (const tag of tags) expect(tag).toContain(`nonce="${options.nonce}"`);
    expect(html).toContain(`<script nonce="${options.nonce}">${options.script}</script>`);
    expect(html).toMatch(new RegExp(`<style nonce="${options.nonce}">:root\\{--brand:#4f46e5;[^<]*</style>`));
  });

  it('escapes the text it places and inserts the body as given', () => {
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('<title>Accept &lt;terms&gt;</title>');
    expect(html).toContain('<span>Example &amp; Co</span>');
    expect(html).toContain('<img src="/logo.svg" alt="" width="32" height="32">');
    expect(html).toContain('<main class="card" id="main"><p>Body</p></main>');
  });

  it('points at the icon, as the React pages do (app/layout.tsx)', () => {
    expect(html).toContain('<link rel="icon" href="/favicon.ico">');
  });

  it('leaves out the script and logo when there are none', () => {
    const bare = renderShell({ ...options, script: undefined, logo: undefined });
    expect(bare).not.toContain('<script');
    expect(bare).not.toContain('<img');
    expect(bare).toContain(`<style nonce="${options.nonce}">`);
  });

  it.each([
    ['without a skip link', undefined, '<body><div class="page">', '<main class="card" id="main">'],
    ['with a skip link, first, landing in a focusable <main>', 'Skip <to> content', '<body><a class="skip-link" href="#main">Skip &lt;to&gt; content</a><div class="page">', '<main class="card" id="main" tabindex="-1">'],
  ])('%s', (_, skipLink, body, main) => {
    const html = renderShell({ ...options, skipLink });
    expect(html).toContain(body);
    expect(html).toContain(main);
  });

  it('is left-to-right for a left-to-right language', () => {
    expect(renderShell({ ...options, lang: 'de' })).toContain('<html lang="de" dir="ltr">');
  });

  it("applies the steps file's branding: colours for both schemes, radius, fonts and the custom stylesheet last", () => {
    const branded = renderShell({
      ...options,
      branding: {
        product_name: 'Example',
        primary_color: '#0f766e',
        background: '#eef6f5',
        corner_radius: '4px',
        font_stack: '"Inter", system-ui, sans-serif',
        custom_css: '/brand/theme.css',
        dark: { primary_color: '#2dd4bf' },
      },
    });
    const style = /<style[^>]*>([^<]*)<\/style>/.exec(branded)?.[1] ?? '';
    expect(style).toContain('--brand:#0f766e;');
    expect(style).toContain('--bg:#eef6f5;');
    expect(style).toContain('--radius:4px;');
    expect(style).toContain('--font:"Inter", system-ui, sans-serif');
    expect(style).toMatch(/@media \(prefers-color-scheme: dark\)\{:root\{--brand:#2dd4bf;/);
    expect(branded.indexOf('href="/brand/theme.css"')).toBeGreaterThan(branded.indexOf('</style>'));
  });

  it('escapes a nonce that would break out of its attribute', () => {
    const broken = renderShell({ ...options, nonce: '"><script>x</script>' });
    expect(broken).not.toContain('"><script>x');
  });
});
