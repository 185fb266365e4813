import { requestMeta } from '@/lib/http/respond';
import { termsPageResponse, termsSubmitResponse } from '@/lib/steps/terms/page-response';

export const dynamic = 'force-dynamic';

/** The terms step without React: the page (no JavaScript) and its plain form post (lib/steps/terms/page-response.ts). */
export function GET(request: Request): Promise<Response> {
  return termsPageResponse(request, requestMeta(request.headers));
}

export function POST(request: Request): Promise<Response> {
  return termsSubmitResponse(request, requestMeta(request.headers));
}
