import { describe, expect, it } from 'vitest';
import { brandingSchema } from '../config/steps-file';
import { brandingCss, contrast, schemeColours, SURFACES } from './theme';

const base = { product_name: 'Example' };

describe('branding schema', () => {
  it.each([
    ['a hex colour', { primary_color: '#0F766E' }],
    ['a background and dark colours', { background: '#f0f4ff', dark: { primary_color: '#818cf8', background: '#0b1020' } }],
    ['a radius in px', { corner_radius: '12px' }],
    ['a radius in rem', { corner_radius: '0.75rem' }],
    ['no radius', { corner_radius: '0' }],
    ['a font stack', { font_stack: '"Inter", "Segoe UI", system-ui, -apple-system, sans-serif' }],
    ['a custom stylesheet under public/', { custom_css: '/brand/acme.css' }],
    ['a support address', { support_url: 'mailto:help@example.com' }],
  ])('accepts %s', (_, branding) => {
    expect(brandingSchema.safeParse({ ...base, ...branding }).success).toBe(true);
  });

  it.each([
    ['a colour name', { primary_color: 'red' }],
    ['a colour that closes the rule', { primary_color: '#fff;}body{display:none' }],
    ['a background with an expression', { background: 'url(https://evil.example/x.png)' }],
    ['a radius with a unit we do not take', { corner_radius: '1vw' }],
    ['a radius that breaks out', { corner_radius: '12px;}*{color:red' }],
    ['a huge radius', { corner_radius: '999px' }],
    ['a font stack that closes the rule', { font_stack: 'Inter;}body{background:red' }],
    ['a font stack that ends the style element', { font_stack: 'Inter</style><script>alert(1)</script>' }],
    ['a font stack with an unbalanced quote', { font_stack: '"Inter, sans-serif' }],
    ['a font stack with a url', { font_stack: 'url(x)' }],
    ['a custom stylesheet elsewhere', { custom_css: 'https://evil.example/x.css' }],
    ['a custom stylesheet above public/', { custom_css: '/../secrets.css' }],
    ['a custom stylesheet that is not CSS', { custom_css: '/brand.js' }],
    ['a protocol-relative stylesheet', { custom_css: '//evil.example/x.css' }],
    ['a javascript: support link', { support_url: 'javascript:alert(1)' }],
    ['an unknown key', { header_html: '<b>hi</b>' }],
    ['an unknown dark key', { dark: { text: '#ffffff' } }],
  ])('refuses %s', (_, branding) => {
    expect(brandingSchema.safeParse({ ...base, ...branding }).success).toBe(false);
  });
});

describe('brandingCss', () => {
  it('declares the branding as variables only: nothing that can end the element or add a rule', () => {
    const css = brandingCss(brandingSchema.parse({ ...base, corner_radius: '6px', font_stack: 'system-ui, sans-serif' }));
    expect(css).not.toMatch(/[<>]/);
    expect(css.match(/\{/g)).toHaveLength(3);
    expect(css).toContain('--radius:6px');
    expect(css).toContain('--font:system-ui, sans-serif');
  });

  it('leaves the stylesheet defaults alone when the steps file sets no radius or font', () => {
    const css = brandingCss(brandingSchema.parse(base));
    expect(css).not.toContain('--radius');
    expect(css).not.toContain('--font');
  });
});

describe('contrast of the derived colours (WCAG 2.2 AA)', () => {
  // The default, a light brand colour, a dark one, and a mid-tone that fails on white as it is.
  const brands = ['#4f46e5', '#fde047', '#111827', '#0ea5e9', '#e11d48', '#22c55e'];

  it.each(brands.flatMap((brand) => (['light', 'dark'] as const).map((scheme) => [brand, scheme] as const)))('%s in the %s scheme', (brand, scheme) => {
    const colours = schemeColours({ primary_color: brand }, scheme);
    const surface = SURFACES[scheme];
    expect(contrast(colours.onBrand, colours.brand)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(colours.brandText, surface.card)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(colours.brandText, surface.surface)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(colours.focus, surface.card)).toBeGreaterThanOrEqual(3);
    expect(contrast(colours.focus, colours.background)).toBeGreaterThanOrEqual(3);
    expect(contrast(colours.onBackground, colours.background)).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps the default brand colour itself where it already passes', () => {
    expect(schemeColours({ primary_color: '#4f46e5' }, 'light')).toMatchObject({ brand: '#4f46e5', onBrand: '#ffffff', brandText: '#4f46e5' });
  });

  it('reads a configured page background with the text colour that suits it', () => {
    expect(schemeColours({ primary_color: '#4f46e5', background: '#1e1b4b' }, 'light').onBackground).toBe('#f9fafb');
  });

  it.each([
    // The fixed palette of public/detour.css: body text, muted text and errors on the card and the page.
    ['light text', '#111827', '#ffffff', 4.5],
    ['light muted', '#4b5563', '#f6f7fb', 4.5],
    ['light muted on the document', '#4b5563', '#f9fafb', 4.5],
    ['light error', '#b91c1c', '#fef2f2', 4.5],
    ['light input border', '#6b7280', '#ffffff', 3],
    ['light success tick', '#15803d', '#ffffff', 3],
    ['dark text', '#f3f4f6', '#181b22', 4.5],
    ['dark muted', '#b6bcc8', '#1f232c', 4.5],
    ['dark error', '#fca5a5', '#2a1416', 4.5],
    ['dark error on the card', '#fca5a5', '#181b22', 4.5],
    ['dark input border', '#8b93a3', '#181b22', 3],
  ])('%s', (_, foreground, background, ratio) => {
    expect(contrast(foreground, background)).toBeGreaterThanOrEqual(ratio);
  });
});
