import { refusalResponse } from '@/lib/http/respond';
import { route } from '@/lib/web/route';

/** Detour has no home page: people only arrive through a sign-in, so "/" says where to start one. */
export const { GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS } = route('/', { GET: (_request, meta) => refusalResponse({ code: 'flow_missing' }, meta, { status: 200 }) });
