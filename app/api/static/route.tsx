import { Page } from '@/components/page';
import { renderDocument } from '@/lib/web/render';

// Prerendered once at build time and served from Next's cache: `npm run bench` measures it as "Next's own floor",
// what the framework costs for a page when none of Detour's code runs. It holds no data.
export const dynamic = 'force-static';

const HTML = renderDocument(
  <Page title="Detour" lang="en" branding={{ product_name: 'Detour', primary_color: '#4f46e5' }} nonce="">
    <h1>Detour</h1>
    <p className="muted">Nothing to see here: sign-ins arrive through your application.</p>
  </Page>,
);

export function GET(): Response {
  return new Response(HTML, { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}
