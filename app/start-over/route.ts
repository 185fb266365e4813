import { startOverResponse } from '@/lib/flow/start-over-response';
import { route } from '@/lib/web/route';

/** "Not you? Start over": forget the flow in this browser (the origin was checked by lib/web/route.ts). */
export const { GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS } = route('/start-over', { POST: startOverResponse });
