import { startResponse } from '@/lib/flow/start-response';
import { requestMeta } from '@/lib/http/respond';

export const dynamic = 'force-dynamic';

/** GET /start (DESIGN "The flow"): lib/flow/start-response.ts does the work. */
export function GET(request: Request): Promise<Response> {
  return startResponse(request, requestMeta(request.headers));
}
