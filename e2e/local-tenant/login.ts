// The login side: POST /login runs the Action (or Rule); /continue resumes it once per state.
import { randomBytes } from 'node:crypto';
import { PASS_THROUGH_SECRETS } from './config';
import { resumeLogin, takeLogin } from './authorize';
import { bodyRecord, clientIp, redirect, sendHtml, type Ctx, type ParsedBody, type Tenant, type Transaction } from './http';
import { errorPage } from './pages';
import { RULE_PATH, runRule } from './rules';
import { ACTION_PATH, loadAction, runPostLogin, type EmulatedRequest } from './runtime';
import { connectionOf, geoipOf, publicUser, type StoredUser } from './users';

const TRANSACTION_TTL_MS = 3 * 24 * 3600 * 1000; // "Redirect rule sessions are normally valid for 3 days"
/** Names POST /__secrets may set: the connection secrets, TERMS_VERSION, CLIENT_IDS and the pass-through ones. */
export const SETTABLE_SECRETS = [
  'DETOUR_URL',
  'SESSION_TOKEN_SECRET',
  'SESSION_TOKEN_ISSUER',
  'TENANT_URL',
  'TERMS_VERSION',
  'CLIENT_IDS',
  ...PASS_THROUGH_SECRETS,
] as const;

interface Outcome {
  outcome: 'redirect' | 'completed' | 'denied';
  redirectUrl?: string;
  denyReason?: string;
  appMetadata?: Record<string, unknown>;
  userMetadata?: Record<string, unknown>;
  /** api.idToken.setCustomClaim (Actions only). */
  idTokenClaims?: Record<string, unknown>;
  /** api.authentication.recordMethod (Actions on trigger v3, onContinuePostLogin). */
  recordedMethods?: { name: string; timestamp: string }[];
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The Action's secrets (or the Rule's configuration) as the tenant runs it now: options, then /__secrets. */
export function effectiveSecrets(tenant: Tenant): Record<string, string> {
  const { options } = tenant;
  const merged: Record<string, string | null | undefined> = {
    DETOUR_URL: options.detourUrl,
    SESSION_TOKEN_SECRET: options.sessionTokenSecret,
    TERMS_VERSION: options.termsVersion,
    CLIENT_IDS: options.clientIds,
    ...options.secrets,
    ...(options.protocol === 'rules' ? { SESSION_TOKEN_ISSUER: options.sessionTokenIssuer, TENANT_URL: tenant.origin } : {}),
    ...tenant.secretOverrides,
  };
  return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The /authorize query the login started with (Rules read it for authorize_again; Actions see it as event.request.query). */
function authorizeQuery(tx: Transaction): Record<string, string> {
  return {
    client_id: tx.clientId,
    response_type: 'code',
    scope: tx.scope,
    redirect_uri: tx.redirectUri,
    ...(tx.appState ? { state: tx.appState } : {}),
    ...(tx.nonce ? { nonce: tx.nonce } : {}),
    ...(tx.prompt ? { prompt: tx.prompt } : {}),
  };
}

function emulatedRequest(ctx: Ctx, user: StoredUser, tx: Transaction, phase: 'execute' | 'continue', body: Record<string, unknown>): EmulatedRequest {
  const acceptLanguage = str(ctx.req.headers['accept-language'])?.split(',')[0]?.split(';')[0]?.trim();
  return {
    ip: clientIp(ctx.req),
    hostname: ctx.tenant.hostname,
    method: ctx.req.method ?? 'GET',
    language: tx.language || acceptLanguage || undefined,
    user_agent: str(ctx.req.headers['user-agent']),
    query: phase === 'execute' ? authorizeQuery(tx) : Object.fromEntries(ctx.url.searchParams),
    body,
    // Every sign-in comes from the user's seeded place (Berlin unless `signsInFrom` says otherwise), whatever the IP.
    geoip: geoipOf(user),
  };
}

async function execute(ctx: Ctx, user: StoredUser, tx: Transaction, phase: 'execute' | 'continue', body: Record<string, unknown>): Promise<Outcome> {
  const { tenant } = ctx;
  const request = emulatedRequest(ctx, user, tx, phase, body);
  if (tenant.options.protocol === 'rules') {
    return runRule(
      {
        user: publicUser(user),
        configuration: effectiveSecrets(tenant),
        clientID: tx.clientId,
        connection: connectionOf(user),
        protocol: phase === 'continue' ? 'redirect-callback' : (tx.protocol ?? 'oidc-basic-profile'),
        request: { ip: request.ip, hostname: request.hostname, language: request.language, userAgent: request.user_agent, query: request.query, body },
        // auth0.users.update*Metadata goes straight to the store, as the real calls go to the Management API.
        writeMetadata: async (kind, userId, metadata) => {
          if (!tenant.users.get(userId)) throw new Error('Not Found: The user does not exist.');
          tenant.users.mergeMetadata(userId, kind, metadata);
        },
      },
      RULE_PATH,
    );
  }
  const prompt = tx.prompt ?? '';
  return runPostLogin(
    loadAction(ACTION_PATH), // read on every login, so edits to the Action apply without a restart
    {
      user: publicUser(user),
      secrets: effectiveSecrets(tenant),
      client: { client_id: tx.clientId },
      connection: connectionOf(user),
      request,
      transaction: { protocol: tx.protocol ?? 'oidc-basic-profile', locale: 'en', prompt: prompt ? prompt.split(' ') : [] },
      continueState: phase === 'continue' ? tx.state : undefined,
      cache: tenant.actionCache,
      triggerVersion: tenant.triggerVersion,
    },
    phase,
  );
}

/** Applies the outcome: redirect (with Auth0's `state` appended), or on to /authorize/resume and the application. */
function finish(ctx: Ctx, user: StoredUser, tx: Transaction, result: Outcome, log: 'logins' | 'continues'): void {
  const { tenant } = ctx;
  tenant.calls[log].push({
    at: new Date().toISOString(),
    user_id: user.user_id,
    protocol: tenant.options.protocol,
    outcome: result.outcome,
    ...(result.denyReason ? { reason: result.denyReason } : {}),
    ...(result.recordedMethods?.length ? { recorded_methods: result.recordedMethods.map((method) => method.name) } : {}),
  });
  if (result.outcome === 'denied') return resumeLogin(ctx, tx, 'denied', result.denyReason ?? 'access_denied');
  // Auth0 saves the Action's metadata changes when it finishes, before any redirect: the resumed login sees them.
  for (const [key, value] of Object.entries(result.appMetadata ?? {})) tenant.users.setMetadata(user.user_id, 'app_metadata', key, value);
  for (const [key, value] of Object.entries(result.userMetadata ?? {})) tenant.users.setMetadata(user.user_id, 'user_metadata', key, value);
  const idTokenClaims = { ...tx.idTokenClaims, ...result.idTokenClaims };
  if (result.outcome === 'redirect' && result.redirectUrl) {
    const next: Transaction = { ...tx, idTokenClaims, state: randomBytes(24).toString('base64url'), createdAt: Date.now(), used: false };
    tenant.transactions.set(next.state, next);
    const url = result.redirectUrl;
    redirect(ctx.res, `${url}${url.includes('?') ? '&' : '?'}state=${encodeURIComponent(next.state)}`);
    return;
  }
  resumeLogin(ctx, { ...tx, idTokenClaims }, 'completed');
}

export async function handleLogin(ctx: Ctx, parsed: ParsedBody): Promise<void> {
  const body = bodyRecord(parsed);
  const user = ctx.tenant.users.get(str(body.user_id) ?? '');
  if (!user) return sendHtml(ctx.res, 400, errorPage('invalid_request', 'Unknown user: pick one of the seeded users.'));
  const login = takeLogin(ctx.tenant, body);
  if (!login) return sendHtml(ctx.res, 400, errorPage('invalid_request', 'Unknown or used login transaction: start again from the application.'));
  const { clientId, redirectUri, appState, scope, nonce } = login;
  const tx: Transaction = {
    clientId,
    redirectUri,
    appState,
    scope,
    nonce,
    state: '',
    userId: user.user_id,
    language: str(body.language) || undefined,
    // The login page's prompt select (preset to the application's) wins; an API caller may leave it out.
    prompt: body.prompt === undefined ? login.prompt : str(body.prompt) || undefined,
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
