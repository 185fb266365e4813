import { getConfig } from '@/lib/config';
import { buildRequirements } from '@/lib/requirements';

export const dynamic = 'force-dynamic';

/** GET /api/requirements: public, no user data; the Action caches it (see docs/auth0-install.md). */
export function GET(): Response {
  return Response.json(buildRequirements(getConfig().steps), {
    headers: { 'Cache-Control': 'public, max-age=60', 'Access-Control-Allow-Origin': '*' },
  });
}
