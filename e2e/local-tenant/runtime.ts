// Emulation of Auth0's post-login Actions runtime: the `event` and `api` objects, encodeToken/validateToken.
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TRIGGER_VERSION, type TriggerVersion } from './config';
import { decodeHS256, signHS256, type Claims } from './jwt';
import type { Geoip, PublicUser } from './users';

export const ACTION_PATH = fileURLToPath(new URL('../../integrations/auth0/post-login.js', import.meta.url));
export const INVALID = 'The session token is invalid: ';
/** Grants Auth0 runs without a browser: like prompt=none, a non-interactive flow that cannot be redirected. */
const NON_INTERACTIVE = ['oauth2-resource-owner', 'oauth2-resource-owner-jwt-bearer', 'oauth2-password', 'oauth2-refresh-token', 'oauth2-token-exchange'];

export interface EmulatedRequest {
  ip: string;
  /** The tenant host as Auth0 writes it: `host[:port]`, no scheme. It is also encodeToken's `iss`. */
  hostname: string;
  method: string;
  language?: string;
  user_agent?: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  /** event.request.geoip (Actions only). Default {}: no location known, as for a private address. */
  geoip?: Geoip;
}

export interface ExecutionInput {
  user: PublicUser;
  secrets: Record<string, string>;
  client: { client_id: string; name?: string };
  connection: { name: string; strategy: string };
  request: EmulatedRequest;
  /** `ui_locales` (the /authorize parameter) defaults to the request language. */
  transaction: { protocol: string; locale: string; prompt?: string[]; ui_locales?: string[] };
  /** The `state` of the /continue request (validateToken compares the token's `state` claim with it). */
  continueState?: string;
  /** api.cache, shared by the executions that get the same one (Auth0 keeps it per trigger, best effort). */
  cache?: ActionCache;
  /** Forces api.redirect.canRedirect() false on v2 (Auth0 may refuse a redirect for reasons of its own). */
  canRedirect?: boolean;
  /**
   * Post-login trigger version (default v3). v2: api.redirect.canRedirect() exists and sendUserTo in a non-interactive
   * flow is skipped silently. v3: no canRedirect, such a sendUserTo fails the login with interaction_required, and
   * api.authentication.recordMethod(url) records a custom method (onContinuePostLogin only).
   */
  triggerVersion?: TriggerVersion;
  /** Custom methods recorded earlier in this session (v3): added to event.authentication.methods. */
  sessionMethods?: AuthenticationMethod[];
  now?: () => number;
}

/** An entry of event.authentication.methods; a custom method is named by its URL. */
export interface AuthenticationMethod {
  name: string;
  timestamp: string;
}

/** Backing store of api.cache: key → value and expiry (ms since the epoch). */
export type ActionCache = Map<string, { value: string; expires_at: number }>;
/** Auth0's default cache lifetime when set() is given neither ttl nor expires_at. */
const CACHE_DEFAULT_TTL_MS = 15 * 60 * 1000;

export interface ExecutionResult {
  outcome: 'redirect' | 'denied' | 'completed';
  /** Redirect target with the Action's query parameters, before Auth0 appends `state`. */
  redirectUrl?: string;
  denyReason?: string;
  appMetadata: Record<string, unknown>;
  userMetadata: Record<string, unknown>;
  idTokenClaims: Record<string, unknown>;
  accessTokenClaims: Record<string, unknown>;
  /** Custom methods api.authentication.recordMethod() recorded in this execution (v3, onContinuePostLogin). */
  recordedMethods: AuthenticationMethod[];
}

export interface PostLoginAction {
  onExecutePostLogin?: (event: unknown, api: unknown) => unknown;
  onContinuePostLogin?: (event: unknown, api: unknown) => unknown;
}

/** Only Node built-ins, as in an Action without declared dependencies. */
export function sandboxRequire(file: string): NodeJS.Require {
  const real = createRequire(file);
  const limited = ((id: string) => {
    if (!builtinModules.includes(id.replace(/^node:/, ''))) throw new Error(`Cannot find module '${id}' (not a dependency of this Action)`);
    return real(id);
  }) as NodeJS.Require;
  return Object.assign(limited, { resolve: real.resolve, cache: real.cache, main: undefined, extensions: real.extensions });
}

/** Loads the Action the way Auth0 does: as CommonJS source evaluated on its own. */
export function loadAction(file: string = ACTION_PATH): PostLoginAction {
  const source = readFileSync(file, 'utf8');
  const actionModule = { exports: {} as PostLoginAction };
  const factory = new Function('exports', 'require', 'module', '__filename', '__dirname', source);
  factory(actionModule.exports, sandboxRequire(file), actionModule, file, dirname(file));
  return actionModule.exports;
}

export function appendQuery(url: string, query: Record<string, string>): string {
  const qs = new URLSearchParams(query).toString();
  return qs ? `${url}${url.includes('?') ? '&' : '?'}${qs}` : url;
}

export function runPostLogin(action: PostLoginAction, input: ExecutionInput, phase: 'execute' | 'continue'): Promise<ExecutionResult> {
  const handler = phase === 'execute' ? action.onExecutePostLogin : action.onContinuePostLogin;
  const { event, api, result } = buildEventAndApi(input, phase);
  if (typeof handler !== 'function') {
    return Promise.resolve({ ...result, outcome: 'denied', denyReason: `The Action does not export ${phase === 'execute' ? 'onExecutePostLogin' : 'onContinuePostLogin'}` });
  }
  return Promise.resolve()
    .then(() => handler(event, api))
    .then(
      () => result,
      (error: unknown) => ({ ...result, outcome: 'denied' as const, denyReason: error instanceof Error ? error.message : String(error) }),
    );
}

/** Why Auth0 treats this flow as non-interactive (no page can be shown), or null. */
function nonInteractiveReason(input: ExecutionInput): string | null {
  if (NON_INTERACTIVE.includes(input.transaction.protocol)) return `the ${input.transaction.protocol} grant`;
  const prompts = [...(input.transaction.prompt ?? []), ...String(input.request.query.prompt ?? '').split(' ')];
  return prompts.includes('none') ? 'prompt=none' : null;
}

function buildEventAndApi(input: ExecutionInput, phase: 'execute' | 'continue') {
  const now = input.now ?? Date.now;
  const version = input.triggerVersion ?? DEFAULT_TRIGGER_VERSION;
  const user = structuredClone(input.user);
  const request = structuredClone(input.request);
  const result: ExecutionResult = { outcome: 'completed', appMetadata: {}, userMetadata: {}, idTokenClaims: {}, accessTokenClaims: {}, recordedMethods: [] };
  const prompt = input.transaction.prompt ?? [];
  const nonInteractive = nonInteractiveReason(input);
  const firstFactor = { name: input.connection.strategy === 'auth0' ? 'pwd' : 'federated', timestamp: new Date(now()).toISOString() };
  const event = {
    user,
    secrets: { ...input.secrets },
    client: { name: input.client.client_id, metadata: {}, ...input.client },
    connection: { id: `con_${input.connection.name}`, metadata: {}, ...input.connection },
    request: { ...request, geoip: request.geoip ?? {} },
    transaction: { ...input.transaction, prompt, requested_scopes: ['openid', 'profile', 'email'], ui_locales: input.transaction.ui_locales ?? (request.language ? [request.language] : []) },
    tenant: { id: 'local' },
    stats: { logins_count: 1 },
    authentication: { methods: [firstFactor, ...(version === 'v3' ? structuredClone(input.sessionMethods ?? []) : [])] },
  };
  const cache: ActionCache = input.cache ?? new Map();
  const api = {
    access: {
      deny(reason: string) {
        result.outcome = 'denied';
        result.denyReason = String(reason);
        return api;
      },
    },
    redirect: {
      // Deprecated in v3, where it is gone from the object: an Action must test for it before calling it.
      ...(version === 'v2' ? { canRedirect: () => input.canRedirect !== false && result.outcome === 'completed' && !nonInteractive } : {}),
      sendUserTo(url: string, options: { query?: Record<string, string> } = {}) {
        if (result.outcome === 'denied' || (nonInteractive && version === 'v2')) return api; // v2 skips it silently
        if (nonInteractive) {
          result.outcome = 'denied';
          result.denyReason = `interaction_required: api.redirect.sendUserTo() was called in a non-interactive flow (${nonInteractive})`;
          return api;
        }
        result.outcome = 'redirect';
        result.redirectUrl = appendQuery(String(url), options.query ?? {});
        return api;
      },
      encodeToken({ secret, expiresInSeconds = 900, payload = {} }: { secret: string; expiresInSeconds?: number; payload?: Claims }) {
        if (typeof secret !== 'string' || !secret) throw new Error('encodeToken: a secret is required');
        const iat = Math.floor(now() / 1000);
        return signHS256({ iat, iss: request.hostname, sub: user.user_id, exp: iat + expiresInSeconds, ip: request.ip, ...payload }, secret);
      },
      validateToken({ secret, tokenParameterName = 'session_token' }: { secret: string; tokenParameterName?: string }) {
        if (phase !== 'continue') throw new Error('validateToken is only available in onContinuePostLogin');
        return validateToken({ secret, tokenParameterName, request, userId: user.user_id, state: input.continueState, now: now() });
      },
    },
    user: {
      setAppMetadata(key: string, value: unknown) {
        result.appMetadata[key] = value ?? null;
        return api;
      },
      setUserMetadata(key: string, value: unknown) {
        result.userMetadata[key] = value ?? null;
        return api;
      },
    },
    authentication: version === 'v3' ? { recordMethod: (url: string) => (recordMethod(url), api) } : {},
    idToken: { setCustomClaim: (k: string, v: unknown) => ((result.idTokenClaims[k] = v), api) },
    accessToken: { setCustomClaim: (k: string, v: unknown) => ((result.accessTokenClaims[k] = v), api) },
    cache: {
      get(key: string) {
        const record = cache.get(key);
        if (record && record.expires_at <= now()) cache.delete(key);
        return record && record.expires_at > now() ? { ...record } : undefined;
      },
      set(key: string, value: string, options: { ttl?: number; expires_at?: number } = {}) {
        if (typeof value !== 'string') return { type: 'error', code: 'INVALID_VALUE' };
        const expires = options.expires_at ?? now() + (options.ttl ?? CACHE_DEFAULT_TTL_MS);
        cache.set(key, { value, expires_at: expires });
        return { type: 'success' };
      },
      delete: (key: string) => (cache.delete(key), { type: 'success' }),
    },
  };
  function recordMethod(url: string): void {
    if (phase !== 'continue') throw new Error('api.authentication.recordMethod is only available in onContinuePostLogin');
    if (typeof url !== 'string' || !URL.canParse(url)) throw new Error('api.authentication.recordMethod: the method must be named by a URL');
    result.recordedMethods.push({ name: url, timestamp: new Date(now()).toISOString() });
  }
  return { event, api, result };
}

interface ValidateInput {
  secret: string;
  tokenParameterName: string;
  request: EmulatedRequest;
  userId: string;
  state: string | undefined;
  now: number;
}

/** Auth0's documented checks, with the error messages seen from Auth0 (see reference notes §2.4). */
export function validateToken(input: ValidateInput): Claims {
  const { body, query } = input.request;
  const raw = body[input.tokenParameterName] ?? query[input.tokenParameterName];
  if (typeof raw !== 'string') {
    throw new Error(`There is no parameter called '${input.tokenParameterName}' available in either the POST body or query string.`);
  }
  const fail = (message: string): never => {
    throw new Error(INVALID + message);
  };
  const decoded = decodeHS256(raw, input.secret);
  if (!decoded || !decoded.signatureValid) return fail('Failed signature validation');
  const { header, claims } = decoded;
  if (typeof header.typ !== 'string' || header.typ.toUpperCase() !== 'JWT') fail('Unexpected token payload type');
  const standard = typeof claims.sub === 'string' && typeof claims.iss === 'string' && typeof claims.exp === 'number' && typeof claims.iat === 'number';
  if (!standard) fail('Missing or invalid standard claims');
  if (input.state === undefined || claims.state !== input.state) fail('State in the token does not match the /continue state.');
  if (claims.sub !== input.userId) fail('The sub claim does not match the user_id.');
  if ((claims.exp as number) <= Math.floor(input.now / 1000)) fail('Token has expired.');
  return claims;
}
