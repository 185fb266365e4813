import type { Branding } from '../config/steps-file';

/**
 * The steps file's branding as CSS custom properties, for the nonce'd <style> of every page. Colours a person reads
 * are derived so they keep WCAG AA contrast whatever the brand colour: text on the brand colour is white or near-black, whichever reads better; links and the focus ring are the brand
 * colour darkened (light scheme) or lightened (dark scheme) until they reach 4.5:1 and 3:1. Every value was held to
 * a safe shape by the schema (lib/config/steps-file.ts), so nothing here can end a declaration or the element.
 */

export type ThemeBranding = Pick<Branding, 'primary_color'> & Partial<Pick<Branding, 'background' | 'corner_radius' | 'font_stack' | 'dark'>>;

/** The fixed surfaces of public/detour.css that the derived colours must stand out against. */
export const SURFACES = {
  light: { card: '#ffffff', surface: '#f9fafb', background: '#f6f7fb', text: '#111827' },
  dark: { card: '#181b22', surface: '#1f232c', background: '#0f1115', text: '#f3f4f6' },
} as const;

const NEAR_BLACK = '#111827';
const WHITE = '#ffffff';
const HEX = /^#[0-9a-fA-F]{6}$/;

export interface SchemeColours {
  brand: string;
  onBrand: string;
  brandText: string;
  focus: string;
  background: string;
  onBackground: string;
}

export function schemeColours(branding: ThemeBranding, scheme: 'light' | 'dark'): SchemeColours {
  const surface = SURFACES[scheme];
  const brand = hex(scheme === 'dark' ? (branding.dark?.primary_color ?? branding.primary_color) : branding.primary_color);
  const background = hex(scheme === 'dark' ? (branding.dark?.background ?? surface.background) : (branding.background ?? surface.background));
  // Towards black on a light card, towards white on a dark one.
  const away = scheme === 'dark' ? WHITE : '#000000';
  return {
    brand,
    onBrand: betterOn(brand, [WHITE, NEAR_BLACK]),
    // Links sit on the card and on the terms document's panel (--surface).
    brandText: ensureContrast(brand, [surface.card, surface.surface], 4.5, away),
    focus: ensureContrast(brand, [surface.card, surface.surface, background], 3, away),
    background,
    onBackground: betterOn(background, [surface.text, scheme === 'dark' ? NEAR_BLACK : '#f9fafb']),
  };
}

export function brandingCss(branding: ThemeBranding): string {
  const light = schemeColours(branding, 'light');
  const dark = schemeColours(branding, 'dark');
  const shared = [
    ...(branding.corner_radius ? [`--radius:${branding.corner_radius}`] : []),
    ...(branding.font_stack ? [`--font:${branding.font_stack}`] : []),
  ];
  return `:root{${[...declarations(light), ...shared].join(';')}}@media (prefers-color-scheme: dark){:root{${declarations(dark).join(';')}}}`;
}

function declarations(colours: SchemeColours): string[] {
  return [
    `--brand:${colours.brand}`,
    `--on-brand:${colours.onBrand}`,
    `--brand-text:${colours.brandText}`,
    `--focus:${colours.focus}`,
    `--bg:${colours.background}`,
    `--on-bg:${colours.onBackground}`,
  ];
}

/** A colour from the schema is already `#rrggbb`; anything else (a caller's mistake) falls back to the default. */
function hex(value: string): string {
  return HEX.test(value) ? value.toLowerCase() : '#4f46e5';
}

function rgb(colour: string): [number, number, number] {
  const value = Number.parseInt(colour.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function toHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2.2 relative luminance. */
export function luminance(colour: string): number {
  const [r, g, b] = rgb(colour).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

function betterOn(background: string, candidates: string[]): string {
  return candidates.reduce((best, candidate) => (contrast(candidate, background) > contrast(best, background) ? candidate : best));
}

/** Mixes `colour` towards `target` in small steps until it reaches `ratio` against every surface. */
function ensureContrast(colour: string, surfaces: string[], ratio: number, target: string): string {
  const from = rgb(colour);
  const to = rgb(target);
  for (let step = 0; step <= 20; step += 1) {
    const t = step / 20;
    const mixed = toHex([0, 1, 2].map((i) => from[i]! + (to[i]! - from[i]!) * t) as [number, number, number]);
    if (surfaces.every((surface) => contrast(mixed, surface) >= ratio)) return mixed;
  }
  return target;
}
