import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StepsFile } from '../../config';
import type { TermsVersion } from './config-schema';
import { loadTermsDocument, renderTermsMarkdown } from './document';

describe('renderTermsMarkdown', () => {
  it.each([
    ['a raw script tag', '<script>alert(1)</script>', /<script/i],
    ['an img with onerror', '<img src=x onerror="alert(1)">', /<img/i],
    ['an inline svg', 'Hello <svg onload=alert(1)></svg>', /<svg/i],
    ['an iframe', '<iframe src="https://evil.example.com"></iframe>', /<iframe/i],
    ['a raw anchor with a javascript: href', '<a href="javascript:alert(1)">x</a>', /<a\b/i],
  ])('never turns %s into a tag', (_, markdown, tag) => {
    const html = renderTermsMarkdown(markdown);
    expect(html).not.toMatch(tag);
    expect(html).toContain('&lt;'); // shown as text instead
  });

  it.each([
    ['javascript:', '[click me](javascript:alert(1))'],
    ['JavaScript: in mixed case', '[click me](JaVaScRiPt:alert(1))'],
    ['vbscript:', '[click me](vbscript:msgbox(1))'],
    ['data:', '[click me](data:text/html;base64,PHNjcmlwdD4=)'],
  ])('drops a %s link', (_, markdown) => {
    const html = renderTermsMarkdown(markdown);
    expect(html).not.toMatch(/href=/i);
    expect(html).not.toMatch(/<a\b/i);
  });

  it('keeps an https link and opens it safely in a new tab', () => {
    expect(renderTermsMarkdown('[privacy notice](https://example.com/privacy)')).toBe(
      '<p><a href="https://example.com/privacy" rel="noopener noreferrer" target="_blank">privacy notice</a></p>\n',
    );
  });

  it('demotes headings one level below the page h1', () => {
    const html = renderTermsMarkdown('# Terms\n\n## 1. Account\n\n### 1.1 Detail\n');
    expect(html).not.toMatch(/<h1/);
    expect(html).toContain('<h2>Terms</h2>');
    expect(html).toContain('<h3>1. Account</h3>');
    expect(html).toContain('<h4>1.1 Detail</h4>');
  });

  it('keeps ordinary formatting', () => {
    const html = renderTermsMarkdown('Use **Example** _carefully_:\n\n- one\n- two\n');
    expect(html).toContain('<strong>Example</strong>');
    expect(html).toContain('<em>carefully</em>');
    expect(html).toContain('<ul>\n<li>one</li>\n<li>two</li>\n</ul>');
  });
});

describe('loadTermsDocument', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'detour-terms-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const EN = '# Terms\n\nHello <script>x</script> — ünïcødé.\n';
  const DE = '# Bedingungen\n\nHallo.\n';
  writeFileSync(path.join(root, 'v.en.md'), EN);
  writeFileSync(path.join(root, 'v.de.md'), DE);

  const steps = { locales: { default: 'en', supported: ['en', 'de', 'fr'] } } as StepsFile;
  // The module caches documents by version, locale and file: each test uses its own version name.
  const version = (name: string): TermsVersion => ({
    version: name,
    effective: '2026-11-01',
    reaccept: true,
    documents: { en: 'v.en.md', de: 'v.de.md' },
  });
  const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

  it('renders the document in the person’s locale with the sha256 of the file text', () => {
    const doc = loadTermsDocument(version('load-de'), 'de', steps, root);
    expect(doc).toEqual({ version: 'load-de', locale: 'de', html: renderTermsMarkdown(DE), sha256: sha256(DE) });
  });

  it('hashes the exact UTF-8 text of the file', () => {
    const doc = loadTermsDocument(version('load-en'), 'en', steps, root);
    expect(doc.sha256).toBe(sha256(EN));
    expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.html).not.toContain('<script');
  });

  it('falls back to the default locale when the version has no document in the person’s locale', () => {
    const doc = loadTermsDocument(version('load-fr'), 'fr', steps, root);
    expect(doc.locale).toBe('en');
    expect(doc.sha256).toBe(sha256(EN));
  });

  it('throws when neither the locale nor the default has a document', () => {
    const onlyDe: TermsVersion = { ...version('load-none'), documents: { de: 'v.de.md' } };
    expect(() => loadTermsDocument(onlyDe, 'fr', steps, root)).toThrow(/no document for en/);
  });
});
