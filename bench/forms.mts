/**
 * Reading Detour's forms out of a page the way a browser without JavaScript would: by attributes, in any order and
 * whatever way the markup closes its tags (React writes `<input … />`), so the benchmark posts what a person would.
 */
const decode = (value: string) =>
  value.replaceAll('&quot;', '"').replaceAll('&#x27;', "'").replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

function attributes(tag: string): Map<string, string> {
  return new Map([...tag.matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)].slice(1).map((m) => [m[1]!.toLowerCase(), decode(m[2] ?? '')]));
}

/** The inner HTML of the first form whose `action` is `action` (or whose `id` is `id`). */
function formBody(html: string, match: { action?: string; id?: string }): string | null {
  for (const found of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(`<form ${found[1]}`);
    if ((match.action === undefined || attrs.get('action') === match.action) && (match.id === undefined || attrs.get('id') === match.id)) return found[2]!;
  }
  return null;
}

/** The hidden fields of that form, as the page rendered them. */
export function hiddenFields(html: string, match: { action?: string; id?: string }): URLSearchParams | null {
  const body = formBody(html, match);
  if (body === null) return null;
  const fields = new URLSearchParams();
  for (const input of body.matchAll(/<input\b[^>]*>/gi)) {
    const attrs = attributes(input[0]);
    if (attrs.get('type') === 'hidden' && attrs.has('name')) fields.append(attrs.get('name')!, attrs.get('value') ?? '');
  }
  return fields;
}

/** The terms form's post with the box ticked, or null when the page has no terms form with its version. */
export function termsPostBody(html: string): string | null {
  const fields = hiddenFields(html, { action: '/steps/terms' });
  if (!fields?.has('version')) return null;
  fields.append('accept', 'on');
  return fields.toString();
}

/** Whether the page is a hand-back carrying a return token. */
export function carriesReturnToken(html: string): boolean {
  return Boolean(hiddenFields(html, { id: 'continue' })?.get('session_token'));
}
