import { DetourError } from '@/lib/errors';
import { route } from '@/lib/web/route';

/** Any address no other route answers: the refusal page says it does not exist (404), in every method. */
const notFound = (): never => {
  throw new DetourError('not_found', 404, 'There is no such page.', { reason: 'no_route' });
};
export const { GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS } = route('/[...path]', { GET: notFound, POST: notFound });
