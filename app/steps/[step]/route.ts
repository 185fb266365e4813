import { stepPageResponse, stepSubmitResponse } from '@/lib/web/step-route';
import { route } from '@/lib/web/route';

/** Every registered step's page and form post (lib/web/step-route.tsx); an id no step has is not found. */
export const { GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS } = route('/steps/[step]', {
  GET: (request, meta) => stepPageResponse(stepIdOf(request), request, meta),
  POST: (request, meta) => stepSubmitResponse(stepIdOf(request), request, meta),
});

function stepIdOf(request: Request): string {
  return decodeURIComponent(new URL(request.url).pathname.slice('/steps/'.length));
}
