import { checkReadiness } from '@/lib/readiness';
import { route } from '@/lib/web/route';

/** Readiness: every configured store and the Management API token endpoint answer (no secrets in the body). */
export const { GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS } = route('/api/ready', {
  GET: async () => {
    const report = await checkReadiness();
    return Response.json(report, { status: report.status === 'ready' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
  },
});
