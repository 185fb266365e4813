import { getConfig } from '@/lib/config';
import { metricsResponse } from '@/lib/metrics';
import { route } from '@/lib/web/route';

/** Prometheus text format; 404 unless METRICS_TOKEN is set, then Bearer-protected (lib/metrics/endpoint.ts). */
export const { GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS } = route('/api/metrics', { GET: (request) => metricsResponse(request.headers.get('authorization'), getConfig().metricsToken) });
