import { getConfig } from '@/lib/config';
import { metricsResponse } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

/** Prometheus text format; 404 unless METRICS_TOKEN is set, then Bearer-protected (lib/metrics/endpoint.ts). */
export function GET(request: Request): Promise<Response> {
  return metricsResponse(request.headers.get('authorization'), getConfig().metricsToken);
}
