import { completeResponse, completeSubmitResponse } from '@/lib/flow/complete-response';
import { route } from '@/lib/web/route';

/** The hand-back page (GET), and "Continue" pressed on it (POST: a fresh return token is minted now). */
export const { GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS } = route('/complete', { GET: completeResponse, POST: completeSubmitResponse });
