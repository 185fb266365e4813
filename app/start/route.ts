import { startResponse } from '@/lib/flow/start-response';
import { route } from '@/lib/web/route';

/** GET /start (docs/design.md "The flow"): lib/flow/start-response.ts does the work. */
export const { GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS } = route('/start', { GET: startResponse });
