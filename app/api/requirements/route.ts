import { getConfig } from '@/lib/config';
import { buildRequirements } from '@/lib/requirements';
import { route } from '@/lib/web/route';

/** GET /api/requirements: public, no user data; the Action caches it (see docs/auth0-install.md). */
export const { GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS } = route('/api/requirements', {
  GET: () =>
    Response.json(buildRequirements(getConfig().steps), {
      headers: { 'Cache-Control': 'public, max-age=60', 'Access-Control-Allow-Origin': '*' },
    }),
});
