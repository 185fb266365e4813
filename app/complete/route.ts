import type { NextRequest } from 'next/server';
import { completeResponse, completeSubmitResponse } from '@/lib/flow/complete-response';
import { requestMeta } from '@/lib/http/respond';

export const dynamic = 'force-dynamic';

/** GET /complete (also answered by the fast lane of server.ts): the hand-back page, lib/flow/complete-response.ts. */
export function GET(request: NextRequest): Promise<Response> {
  return completeResponse(request, requestMeta(request.headers));
}

/** POST /complete: "Continue" pressed on the hand-back page; a fresh return token is minted now. */
export function POST(request: NextRequest): Promise<Response> {
  return completeSubmitResponse(request, requestMeta(request.headers));
}
