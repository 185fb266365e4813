// The login side: POST /login runs the Action (or Rule); /continue resumes it once per state.
import { randomBytes } from 'node:crypto';
import { bodyRecord, clientIp, redirect, sendHtml, type Ctx, type ParsedBody, type Transaction } from './http';
import { completedPage, deniedPage, errorPage } from './pages';
import { RULE_PATH, runRule } from './rules';
import { ACTION_PATH, loadAction, runPostLogin, type EmulatedRequest } from './runtime';
import { connectionOf, publicUser, type StoredUser } from './users';

const DEFAULT_APP_CLIENT_ID = 'local-app';
const TRANSACTION_TTL_MS = 3 * 24 * 3600 * 1000; // "Redirect rule sessions are normally valid for 3 days"

interface Outcome {
  outcome: 'redirect' | 'completed' | 'denied';
  redirectUrl?: string;
  denyReason?: string;
  appMetadata?: Record<string, unknown>;
  userMetadata?: Record<string, unknown>;
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

function emulatedRequest(ctx: Ctx, body: Record<string, unknown>, language?: string): EmulatedRequest {
  const acceptLanguage = str(ctx.req.headers['accept-language'])?.split(',')[0]?.split(';')[0]?.trim();
  return {
    ip: clientIp(ctx.req),
    hostname: ctx.tenant.hostname,
    method: ctx.req.method ?? 'GET',
    language: language || acceptLanguage || undefined,
    user_agent: str(ctx.req.headers['user-agent']),
    query: Object.fromEntries(ctx.url.searchParams),
    body,
  };
}

async function execute(ctx: Ctx, user: StoredUser, tx: Transaction, phase: 'execute' | 'continue', body: Record<string, unknown>): Promise<Outcome> {
  const { options } = ctx.tenant;
  const request = emulatedRequest(ctx, body, tx.language);
  if (options.protocol === 'rules') {
    return runRule(
      {
        user: publicUser(user),
        configuration: {
          DETOUR_URL: options.detourUrl,
          SESSION_TOKEN_SECRET: options.sessionTokenSecret,
          SESSION_TOKEN_ISSUER: options.sessionTokenIssuer,
          TERMS_VERSION: options.termsVersion,
        },
        clientID: tx.clientId,
        connection: connectionOf(user),
        protocol: phase === 'continue' ? 'redirect-callback' : (tx.protocol ?? 'oidc-basic-profile'),
        request: {
          ip: request.ip,
          hostname: request.hostname,
          language: request.language,
          userAgent: request.user_agent,
          query: phase === 'execute' && tx.prompt ? { ...request.query, prompt: tx.prompt } : request.query,
          body,
        },
      },
      RULE_PATH,
    );
  }
  const secrets: Record<string, string> = {
    DETOUR_URL: options.detourUrl,
    SESSION_TOKEN_SECRET: options.sessionTokenSecret,
    TERMS_VERSION: options.termsVersion,
  };
  if (options.clientIds) secrets.CLIENT_IDS = options.clientIds;
  const prompt = tx.prompt ?? '';
  return runPostLogin(
    loadAction(ACTION_PATH), // read on every login, so edits to the Action apply without a restart
    {
      user: publicUser(user),
      secrets,
      client: { client_id: tx.clientId },
      connection: connectionOf(user),
      request,
      transaction: { protocol: tx.protocol ?? 'oidc-basic-profile', locale: 'en', prompt: prompt ? prompt.split(' ') : [] },
      continueState: phase === 'continue' ? tx.state : undefined,
    },
    phase,
  );
}

/** Applies the outcome: redirect (with Auth0's `state` appended), or the completed / denied page. */
function finish(ctx: Ctx, user: StoredUser, tx: Transaction, result: Outcome, log: 'logins' | 'continues'): void {
  const { tenant } = ctx;
  tenant.calls[log].push({
    at: new Date().toISOString(),
    user_id: user.user_id,
    protocol: tenant.options.protocol,
    outcome: result.outcome,
    ...(result.denyReason ? { reason: result.denyReason } : {}),
  });
  if (result.outcome === 'denied') {
    sendHtml(ctx.res, 403, deniedPage(publicUser(user), result.denyReason ?? 'access_denied'));
    return;
  }
  for (const [key, value] of Object.entries(result.appMetadata ?? {})) tenant.users.setMetadata(user.user_id, 'app_metadata', key, value);
  for (const [key, value] of Object.entries(result.userMetadata ?? {})) tenant.users.setMetadata(user.user_id, 'user_metadata', key, value);
  if (result.outcome === 'redirect' && result.redirectUrl) {
    const next: Transaction = { ...tx, state: randomBytes(24).toString('base64url'), createdAt: Date.now(), used: false };
    tenant.transactions.set(next.state, next);
    const url = result.redirectUrl;
    redirect(ctx.res, `${url}${url.includes('?') ? '&' : '?'}state=${encodeURIComponent(next.state)}`);
    return;
  }
  sendHtml(ctx.res, 200, completedPage(publicUser(tenant.users.get(user.user_id) ?? user)));
}

export async function handleLogin(ctx: Ctx, parsed: ParsedBody): Promise<void> {
  const body = bodyRecord(parsed);
  const user = ctx.tenant.users.get(str(body.user_id) ?? '');
  if (!user) return sendHtml(ctx.res, 400, errorPage('invalid_request', 'Unknown user: pick one of the seeded users.'));
  const tx: Transaction = {
    state: '',
    userId: user.user_id,
    clientId: str(body.client_id) || DEFAULT_APP_CLIENT_ID,
    language: str(body.language) || undefined,
    prompt: str(body.prompt) || undefined,
    protocol: str(body.protocol) || undefined,
    createdAt: Date.now(),
    used: false,
  };
  const result = await execute(ctx, user, tx, 'execute', body);
  finish(ctx, user, tx, result, 'logins');
}

export async function handleContinue(ctx: Ctx, parsed: ParsedBody): Promise<void> {
  const body = bodyRecord(parsed);
  const state = ctx.url.searchParams.get('state') ?? str(body.state);
  const tx = state ? ctx.tenant.transactions.get(state) : undefined;
  if (!state || !tx) return sendHtml(ctx.res, 400, errorPage('invalid_request', 'Missing or unknown state: the login transaction cannot be resumed.'));
  if (tx.used) return sendHtml(ctx.res, 400, errorPage('invalid_request', 'This login transaction was already resumed.'));
  if (Date.now() - tx.createdAt > TRANSACTION_TTL_MS) return sendHtml(ctx.res, 400, errorPage('invalid_request', 'The login transaction has expired.'));
  tx.used = true;
  // Re-read the user: Management API writes made during the detour are visible to the resumed login.
  const user = ctx.tenant.users.get(tx.userId);
  if (!user) return sendHtml(ctx.res, 400, errorPage('invalid_request', 'The user of this transaction no longer exists.'));
  const result = await execute(ctx, user, tx, 'continue', body);
  finish(ctx, user, tx, result, 'continues');
}
