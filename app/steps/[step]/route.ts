import { getStep } from '@/lib/steps/registry';
import { route } from '@/lib/web/route';
import { stepPageResponse, stepSubmitResponse } from '@/lib/web/step-route';

// Logs and metrics name the step when the registry knows it (lib/metrics/labels.ts), else the pattern.
const label = (pathname: string) => (getStep(stepIdOf(pathname)) ? pathname : '/steps/[step]');

/** Every registered step's page and form post (lib/web/step-route.tsx); an id no step has is not found. */
export const { GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS } = route(label, {
  GET: (request, meta) => stepPageResponse(stepIdOf(new URL(request.url).pathname), request, meta),
  POST: (request, meta) => stepSubmitResponse(stepIdOf(new URL(request.url).pathname), request, meta),
});

/** The step id in the path; a malformed escape names no step (404), it is not a server error. */
function stepIdOf(pathname: string): string {
  try {
    return decodeURIComponent(pathname.slice('/steps/'.length));
  } catch {
    return '';
  }
}
