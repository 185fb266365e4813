import { checkReadiness } from '@/lib/readiness';

export const dynamic = 'force-dynamic';

/** Readiness: every configured store and the Management API token endpoint answer (no secrets in the body). */
export async function GET(): Promise<Response> {
  const report = await checkReadiness();
  return Response.json(report, { status: report.status === 'ready' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
