/**
 * DESIGN "Locale": the token's `ui_locales` (space-separated, as in OpenID Connect), then Accept-Language,
 * then the steps file's default. A tag matches a supported locale exactly or by its primary language.
 */
export function negotiateLocale(input: { uiLocales?: string; acceptLanguage?: string | null; supported: readonly string[]; fallback: string }): string {
  const candidates = [...splitUiLocales(input.uiLocales), ...parseAcceptLanguage(input.acceptLanguage)];
  for (const tag of candidates) {
    const match = matchSupported(tag, input.supported);
    if (match) return match;
  }
  return input.fallback;
}

function splitUiLocales(value: string | undefined): string[] {
  return value ? value.split(/\s+/).filter(Boolean).slice(0, 10) : [];
}

function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .slice(0, 512)
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.tag && entry.tag !== '*' && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map((entry) => entry.tag);
}

function matchSupported(tag: string, supported: readonly string[]): string | undefined {
  const lower = tag.toLowerCase();
  return supported.find((s) => s.toLowerCase() === lower) ?? supported.find((s) => s.toLowerCase() === lower.split('-')[0]);
}
