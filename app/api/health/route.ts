import { route } from '@/lib/web/route';

/** Liveness: the process serves requests. */
export const { GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS } = route('/api/health', { GET: () => Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } }) });
