import type { NextRequest } from 'next/server';
import { completeResponse } from '@/lib/flow/complete-response';
import { requestMeta } from '@/lib/http/respond';

export const dynamic = 'force-dynamic';

/** GET /complete (also answered by the fast lane of server.ts): lib/flow/complete-response.ts. */
export function GET(request: NextRequest): Promise<Response> {
  return completeResponse(request, requestMeta(request.headers));
}
