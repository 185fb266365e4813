import { renderShell } from '@/lib/http/html';

// Prerendered once at build time and served from Next's cache: `npm run bench` measures it as "Next's own floor",
// what the framework costs for a page when none of Detour's code runs (proxy.ts aside). It holds no data.
export const dynamic = 'force-static';

const HTML = renderShell({
  title: 'Detour',
  lang: 'en',
  productName: 'Detour',
  primaryColor: '#4f46e5',
  nonce: '',
  body: '<h1>Detour</h1><p class="muted">Nothing to see here: sign-ins arrive through your application.</p>',
});

export function GET(): Response {
  return new Response(HTML, { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}
