// POST /oauth/token (client credentials) and the Management API users routes, with fault injection.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Fault, FaultTarget } from './faults';
import { redact } from './faults';
import { bodyRecord, delay, sendJson, type Ctx, type ParsedBody } from './http';
import { notFound, publicUser } from './users';

const TOKEN_LIFETIME_SECONDS = 86_400;
const SCOPE = 'read:users update:users update:users_app_metadata';

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Consumes one queued fault for `target`. Returns 'handled' when the fault answered (or dropped) the
 * request, otherwise the request goes on ('slow' has waited by then).
 */
export async function applyFault(ctx: Ctx, target: FaultTarget): Promise<{ handled: boolean; fault?: Fault }> {
  const fault = ctx.tenant.faults.take(target);
  if (!fault) return { handled: false };
  switch (fault.mode) {
    case 'slow':
      await delay(fault.delayMs);
      return { handled: false, fault };
    case 'refused':
      ctx.req.socket.destroy();
      return { handled: true, fault };
    case '429': {
      const reset = Math.floor(Date.now() / 1000) + fault.resetInSeconds;
      sendJson(
        ctx.res,
        429,
        { statusCode: 429, error: 'Too Many Requests', errorCode: 'too_many_requests', message: 'Global limit has been reached' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      );
      return { handled: true, fault };
    }
    case '500':
      sendJson(ctx.res, 500, { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' });
      return { handled: true, fault };
  }
}

export async function handleToken(ctx: Ctx, parsed: ParsedBody): Promise<void> {
  const { tenant } = ctx;
  tenant.calls.tokenRequests += 1;
  if ((await applyFault(ctx, 'oauth_token')).handled) return;
  const body = bodyRecord(parsed);
  let clientId = typeof body.client_id === 'string' ? body.client_id : '';
  let clientSecret = typeof body.client_secret === 'string' ? body.client_secret : '';
  const basic = /^Basic (.+)$/i.exec(ctx.req.headers.authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    clientId = decodeURIComponent(decoded.slice(0, colon));
    clientSecret = decodeURIComponent(decoded.slice(colon + 1));
  }
  if (body.grant_type !== 'client_credentials') {
    return sendJson(ctx.res, 400, { error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${String(body.grant_type)}` });
  }
  if (!sameSecret(clientId, tenant.options.clientId) || !sameSecret(clientSecret, tenant.options.clientSecret)) {
    return sendJson(ctx.res, 401, { error: 'access_denied', error_description: 'Unauthorized' });
  }
  const audience = `${tenant.origin}/api/v2/`;
  if (body.audience !== audience) {
    return sendJson(ctx.res, 403, { error: 'access_denied', error_description: `Service not enabled within domain: ${String(body.audience)}` });
  }
  const accessToken = randomBytes(32).toString('base64url');
  tenant.accessTokens.set(accessToken, Date.now() + TOKEN_LIFETIME_SECONDS * 1000);
  sendJson(ctx.res, 200, { access_token: accessToken, expires_in: TOKEN_LIFETIME_SECONDS, scope: SCOPE, token_type: 'Bearer' });
}

function authorized(ctx: Ctx): boolean {
  const header = ctx.req.headers.authorization;
  const match = /^Bearer (\S+)$/i.exec(header ?? '');
  const expires = match?.[1] ? ctx.tenant.accessTokens.get(match[1]) : undefined;
  if (expires !== undefined && expires > Date.now()) return true;
  const message = header ? 'Invalid token' : 'Missing authentication';
  sendJson(ctx.res, 401, { statusCode: 401, error: 'Unauthorized', message });
  return false;
}

export async function handleUsers(ctx: Ctx, parsed: ParsedBody, rawId: string): Promise<void> {
  const { tenant, req } = ctx;
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'PATCH') {
    return sendJson(ctx.res, 404, { statusCode: 404, error: 'Not Found', message: 'Not Found' });
  }
  const write = method === 'PATCH';
  const path = ctx.url.pathname;
  const record = (status: number, fault?: Fault) => {
    if (write) tenant.calls.writes.push({ at: new Date().toISOString(), method, path, body: redact(parsed.value), status, ...(fault ? { fault: fault.mode } : {}) });
  };
  const { handled, fault } = await applyFault(ctx, write ? 'users_patch' : 'users_get');
  if (handled) return record(fault?.mode === 'refused' ? 0 : Number(fault?.mode), fault);
  if (!authorized(ctx)) return record(401, fault);
  let id: string;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    return sendJson(ctx.res, 404, notFound().body);
  }
  if (!write) {
    const user = tenant.users.get(id);
    return user ? sendJson(ctx.res, 200, publicUser(user)) : sendJson(ctx.res, 404, notFound().body);
  }
  if (parsed.kind === 'invalid_json') {
    record(400, fault);
    return sendJson(ctx.res, 400, { statusCode: 400, error: 'Bad Request', message: 'Invalid request payload JSON format' });
  }
  const result = tenant.users.patch(id, parsed.value ?? {});
  record(result.status, fault);
  sendJson(ctx.res, result.status, result.body);
}
