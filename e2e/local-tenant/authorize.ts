// What Auth0 shows a browser around the login: /authorize, the login page's transaction, /authorize/resume with the
// application's callback, and the authorization-code grant the application redeems.
import { randomBytes } from 'node:crypto';
import { DEV_APP_CLIENT_ID, DEV_APP_CLIENT_SECRET } from './config';
import { redirect, sendHtml, type AuthorizeRequest, type Ctx, type Tenant, type Transaction } from './http';
import { signHS256 } from './jwt';
import { authorizeAgainPage, errorPage } from './pages';
import type { StoredUser } from './users';

/** RFC 6749 §4.1.2: an authorization code is short-lived (10 minutes at most recommended) and single-use. */
const CODE_LIFETIME_MS = 60_000;
/** Auth0's default id token lifetime (10 hours). */
const ID_TOKEN_LIFETIME_SECONDS = 36_000;
/** The OIDC errors a login that cannot show a page ends with; every other denial is access_denied, as in Auth0. */
const OIDC_ERRORS = ['interaction_required', 'login_required', 'consent_required'];
export const DEFAULT_SCOPE = 'openid profile email';

/** A login /authorize opened, waiting on the login page (Auth0's /u/login?state=…). Used once. */
export interface PendingLogin extends AuthorizeRequest {
  state: string;
  used: boolean;
}

/** A login whose post-login flow is over, waiting for the browser at /authorize/resume. */
interface Resume {
  tx: Transaction;
  outcome: 'completed' | 'denied';
  denyReason?: string;
  used: boolean;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  /** The id token's claims but iss/aud/iat/exp, taken when the login completed. */
  claims: Record<string, unknown>;
  expiresAt: number;
  used: boolean;
}

export class Authorizations {
  readonly pending = new Map<string, PendingLogin>();
  readonly resumes = new Map<string, Resume>();
  readonly codes = new Map<string, IssuedCode>();

  open(request: AuthorizeRequest): PendingLogin {
    const login = { ...request, state: randomState(), used: false };
    this.pending.set(login.state, login);
    return login;
  }

  /** Whether an earlier login of this client carried this application state: only a replayed /authorize does. */
  sawAppState(clientId: string, appState: string): boolean {
    return [...this.pending.values()].some((login) => login.clientId === clientId && login.appState === appState);
  }

  clear(): void {
    this.pending.clear();
    this.resumes.clear();
    this.codes.clear();
  }
}

const randomState = () => randomBytes(24).toString('base64url');

/** Every client but Detour's machine-to-machine one is an application of the sample app: its secret, its callback. */
export const isApplicationClient = (tenant: Tenant, clientId: string) => clientId !== '' && clientId !== tenant.options.clientId;
export const callbackUrl = (tenant: Tenant) => `${tenant.appOrigin}/callback`;

function withQuery(url: string, query: Record<string, string | undefined>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(query)) if (value !== undefined) target.searchParams.set(name, value);
  return target.toString();
}

/** GET /authorize: checks the application and its callback, then opens a login on the login page. */
export function handleAuthorize(ctx: Ctx): void {
  const { tenant, res } = ctx;
  const query = ctx.url.searchParams;
  const clientId = query.get('client_id') ?? '';
  const redirectUri = query.get('redirect_uri') ?? '';
  // As Auth0: a bad client or callback is shown on the tenant's own error page, never sent to the callback.
  if (!clientId) return sendHtml(res, 400, errorPage('invalid_request', 'Missing required parameter: client_id'));
  if (!isApplicationClient(tenant, clientId)) {
    return sendHtml(res, 403, errorPage('unauthorized_client', "Grant type 'authorization_code' not allowed for the client."));
  }
  if (redirectUri !== callbackUrl(tenant)) {
    return sendHtml(res, 400, errorPage('invalid_request', `Callback URL mismatch. ${redirectUri} is not in the list of allowed callback URLs.`));
  }
  const appState = query.get('state') || undefined;
  if (query.get('response_type') !== 'code') {
    const error_description = `Unsupported response type: ${query.get('response_type') ?? '(none)'}`;
    return redirect(res, withQuery(redirectUri, { error: 'unsupported_response_type', error_description, state: appState }));
  }
  const again = appState !== undefined && tenant.authorizations.sawAppState(clientId, appState);
  const login = tenant.authorizations.open({
    clientId,
    redirectUri,
    appState,
    scope: query.get('scope') || 'openid',
    nonce: query.get('nonce') || undefined,
    prompt: query.get('prompt') || undefined,
  });
  // The legacy Rule's authorize_again replays the first /authorize. Auth0 would find the session and run the Rule
  // again; the local tenant has no sessions, so it says so and offers the login page of the new transaction.
  if (again) return sendHtml(res, 200, authorizeAgainPage(clientId, login.state));
  redirect(res, `${tenant.origin}/?state=${encodeURIComponent(login.state)}`);
}

/**
 * The login a POST /login resumes: the /authorize one its `state` names (used once), or, for API callers, one of the
 * default application (or `client_id`) back to the sample app's callback with a fresh application state.
 */
export function takeLogin(tenant: Tenant, body: Record<string, unknown>): PendingLogin | undefined {
  if (typeof body.state === 'string' && body.state) {
    const login = tenant.authorizations.pending.get(body.state);
    if (!login || login.used) return undefined;
    login.used = true;
    return login;
  }
  const clientId = typeof body.client_id === 'string' && body.client_id ? body.client_id : DEV_APP_CLIENT_ID;
  const login = tenant.authorizations.open({ clientId, redirectUri: callbackUrl(tenant), appState: randomState(), scope: DEFAULT_SCOPE });
  login.used = true;
  return login;
}

/** The post-login flow is over: on to /authorize/resume, where Auth0 hands the result to the application. */
export function resumeLogin(ctx: Ctx, tx: Transaction, outcome: 'completed' | 'denied', denyReason?: string): void {
  const state = randomState();
  ctx.tenant.authorizations.resumes.set(state, { tx, outcome, denyReason, used: false });
  redirect(ctx.res, `${ctx.tenant.origin}/authorize/resume?state=${encodeURIComponent(state)}`);
}

/** GET /authorize/resume?state=: once per state, 302 to the application's callback with a code or an error. */
export function handleResume(ctx: Ctx): void {
  const { tenant, res } = ctx;
  const state = ctx.url.searchParams.get('state');
  const resume = state ? tenant.authorizations.resumes.get(state) : undefined;
  if (!resume || resume.used) return sendHtml(res, 400, errorPage('invalid_request', 'Missing, unknown or used state: the login cannot be resumed.'));
  resume.used = true;
  const { tx } = resume;
  const user = tenant.users.get(tx.userId);
  if (resume.outcome === 'denied' || !user) {
    const reason = resume.denyReason ?? 'The user no longer exists.';
    const reasonCode = reason.split(':')[0]!.trim();
    const error = OIDC_ERRORS.includes(reasonCode) ? reasonCode : 'access_denied';
    return redirect(res, withQuery(tx.redirectUri, { error, error_description: reason, state: tx.appState }));
  }
  const code = randomBytes(24).toString('base64url');
  tenant.authorizations.codes.set(code, {
    clientId: tx.clientId,
    redirectUri: tx.redirectUri,
    scope: tx.scope,
    claims: idTokenClaims(user, tx),
    expiresAt: Date.now() + CODE_LIFETIME_MS,
    used: false,
  });
  redirect(res, withQuery(tx.redirectUri, { code, state: tx.appState }));
}

/** The user as the scopes let the id token show it, with the Action's custom claims (which cannot replace these). */
function idTokenClaims(user: StoredUser, tx: Transaction): Record<string, unknown> {
  const scopes = tx.scope.split(' ');
  const profile = { name: user.name, nickname: user.nickname, given_name: user.given_name, family_name: user.family_name, picture: user.picture, updated_at: user.updated_at };
  return {
    ...tx.idTokenClaims,
    sub: user.user_id,
    ...(scopes.includes('profile') ? Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined)) : {}),
    ...(scopes.includes('email') ? { email: user.email, email_verified: user.email_verified } : {}),
    ...(tx.nonce ? { nonce: tx.nonce } : {}),
  };
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** grant_type=authorization_code for an authenticated application client: one code, once, for its client and callback. */
export function redeemCode(tenant: Tenant, clientId: string, body: Record<string, unknown>): TokenAnswer {
  const code = typeof body.code === 'string' ? tenant.authorizations.codes.get(body.code) : undefined;
  const valid = code && !code.used && code.expiresAt > Date.now() && code.clientId === clientId && code.redirectUri === body.redirect_uri;
  // As Auth0: one answer for a code that is unknown, used, expired, another client's or for another redirect_uri.
  if (!code || !valid) return { status: 403, body: { error: 'invalid_grant', error_description: 'Invalid authorization code' } };
  code.used = true;
  const iat = Math.floor(Date.now() / 1000);
  const idToken = signHS256({ ...code.claims, iss: `${tenant.origin}/`, aud: clientId, iat, exp: iat + ID_TOKEN_LIFETIME_SECONDS }, DEV_APP_CLIENT_SECRET);
  // The access token (for /userinfo at Auth0) opens nothing here: the sample app reads the id token.
  const accessToken = randomBytes(32).toString('base64url');
  return { status: 200, body: { access_token: accessToken, id_token: idToken, scope: code.scope, expires_in: 86_400, token_type: 'Bearer' } };
}
