// POST /oauth/token (client credentials, authorization code) and the Management API users routes, with fault injection.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isApplicationClient, redeemCode, type TokenAnswer } from './authorize';
import { DEV_APP_CLIENT_ID, DEV_APP_CLIENT_SECRET } from './config';
import type { Fault, FaultTarget } from './faults';
import { redact } from './faults';
import { bodyRecord, delay, sendJson, type AccessToken, type Ctx, type ParsedBody, type Tenant } from './http';
import { notFound, publicUser } from './users';

const TOKEN_LIFETIME_SECONDS = 86_400;
/** Detour's machine-to-machine client; the sample app's backend only reads users. */
const DETOUR_SCOPE = 'read:users update:users update:users_app_metadata';
const APP_SCOPE = 'read:users';
const UNAUTHORIZED: TokenAnswer = { status: 401, body: { error: 'access_denied', error_description: 'Unauthorized' } };

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

/** client_id and client_secret from the body or from HTTP Basic, as Auth0 accepts them. */
function clientCredentials(ctx: Ctx, body: Record<string, unknown>): { clientId: string; clientSecret: string } {
  const basic = /^Basic (.+)$/i.exec(ctx.req.headers.authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { clientId: typeof body.client_id === 'string' ? body.client_id : '', clientSecret: typeof body.client_secret === 'string' ? body.client_secret : '' };
}

function grantNotAllowed(grant: string): TokenAnswer {
  return { status: 403, body: { error: 'unauthorized_client', error_description: `Grant type '${grant}' not allowed for the client.` } };
}

function clientCredentialsGrant(tenant: Tenant, clientId: string, clientSecret: string, body: Record<string, unknown>): TokenAnswer {
  const detour = !isApplicationClient(tenant, clientId);
  if (!sameSecret(clientSecret, detour ? tenant.options.clientSecret : DEV_APP_CLIENT_SECRET) || (detour && !sameSecret(clientId, tenant.options.clientId))) return UNAUTHORIZED;
  // Of the applications, only the sample app's backend may call the Management API: it reads the user it signed in.
  if (!detour && clientId !== DEV_APP_CLIENT_ID) return grantNotAllowed('client_credentials');
  const audience = `${tenant.origin}/api/v2/`;
  if (body.audience !== audience) return { status: 403, body: { error: 'access_denied', error_description: `Service not enabled within domain: ${String(body.audience)}` } };
  const accessToken = randomBytes(32).toString('base64url');
  const scope = detour ? DETOUR_SCOPE : APP_SCOPE;
  tenant.accessTokens.set(accessToken, { expiresAt: Date.now() + TOKEN_LIFETIME_SECONDS * 1000, clientId, scope });
  return { status: 200, body: { access_token: accessToken, expires_in: TOKEN_LIFETIME_SECONDS, scope, token_type: 'Bearer' } };
}

function authorizationCodeGrant(tenant: Tenant, clientId: string, clientSecret: string, body: Record<string, unknown>): TokenAnswer {
  if (!isApplicationClient(tenant, clientId)) {
    return sameSecret(clientSecret, tenant.options.clientSecret) ? grantNotAllowed('authorization_code') : UNAUTHORIZED;
  }
  return sameSecret(clientSecret, DEV_APP_CLIENT_SECRET) ? redeemCode(tenant, clientId, body) : UNAUTHORIZED;
}

export async function handleToken(ctx: Ctx, parsed: ParsedBody): Promise<void> {
  const { tenant } = ctx;
  const body = bodyRecord(parsed);
  const { clientId, clientSecret } = clientCredentials(ctx, body);
  // Faults and the count are there to test Detour: the sample application's own token requests stay out of them.
  if (!isApplicationClient(tenant, clientId)) {
    tenant.calls.tokenRequests += 1;
    if ((await applyFault(ctx, 'oauth_token')).handled) return;
  }
  const answer =
    body.grant_type === 'client_credentials'
      ? clientCredentialsGrant(tenant, clientId, clientSecret, body)
      : body.grant_type === 'authorization_code'
        ? authorizationCodeGrant(tenant, clientId, clientSecret, body)
        : { status: 400, body: { error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${String(body.grant_type)}` } };
  sendJson(ctx.res, answer.status, answer.body);
}

function bearerToken(ctx: Ctx): AccessToken | undefined {
  const match = /^Bearer (\S+)$/i.exec(ctx.req.headers.authorization ?? '');
  const token = match?.[1] ? ctx.tenant.accessTokens.get(match[1]) : undefined;
  return token && token.expiresAt > Date.now() ? token : undefined;
}

/** Answers 401 (no valid token) or 403 (a token without `scope`), as the Management API does; true when allowed. */
function authorized(ctx: Ctx, token: AccessToken | undefined, scope: string): boolean {
  if (!token) {
    sendJson(ctx.res, 401, { statusCode: 401, error: 'Unauthorized', message: ctx.req.headers.authorization ? 'Invalid token' : 'Missing authentication' });
    return false;
  }
  if (token.scope.split(' ').includes(scope)) return true;
  sendJson(ctx.res, 403, { statusCode: 403, error: 'Forbidden', message: `Insufficient scope, expected any of: ${scope}`, errorCode: 'insufficient_scope' });
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
  const token = bearerToken(ctx);
  // Faults and the write log are there to test Detour: the sample application's own reads stay out of them.
  const fromApplication = token !== undefined && isApplicationClient(tenant, token.clientId);
  const record = (status: number, fault?: Fault) => {
    if (write && !fromApplication) tenant.calls.writes.push({ at: new Date().toISOString(), method, path, body: redact(parsed.value), status, ...(fault ? { fault: fault.mode } : {}) });
  };
  const { handled, fault } = fromApplication ? { handled: false, fault: undefined } : await applyFault(ctx, write ? 'users_patch' : 'users_get');
  if (handled) return record(fault?.mode === 'refused' ? 0 : Number(fault?.mode), fault);
  if (!authorized(ctx, token, write ? 'update:users' : 'read:users')) return record(token ? 403 : 401, fault);
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
