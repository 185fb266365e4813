import 'server-only';
import { ManagementClient, ManagementError, type Management } from 'auth0';
import { DetourError } from '../errors';
import { Auth0ApiError } from './api-error';
import { createManagementTokenProvider, TokenEndpointError } from './management-token';
import { backoffDelayMs, rateLimitDelayMs, withRateLimitJitter, type BackoffOptions } from './retry-policy';

/**
 * The Management API as Detour uses it: read a user, patch a user, nothing else. The `auth0` SDK makes the
 * calls; retries and the time budget are ours (docs/design.md "Management API writes"), so the SDK's own retries
 * are off (`maxRetries: 0`) and every attempt carries our abort signal. Security rule 7 depends on this
 * module: `updateUser` resolves only when Auth0 confirmed the write, otherwise it throws.
 */

/** The subset of pino this module uses; a pino logger fits as is. */
export interface Auth0Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ManagementApiOptions {
  /** AUTH0_DOMAIN as an origin: `https://tenant.eu.auth0.com`, or `http://127.0.0.1:PORT` (loopback only). */
  origin: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Each HTTP attempt (token or API) is aborted after this long. Default 4000. */
  attemptTimeoutMs?: number;
  /** The whole call, retries and waits included, gives up within this. Default 10000. */
  totalBudgetMs?: number;
  /** Attempts per call, the first included. Default 6. */
  maxAttempts?: number;
  /** Backoff for 5xx, timeouts and network errors. Default 200 ms doubling up to 2000 ms. */
  backoff?: Partial<BackoffOptions>;
  logger?: Auth0Logger;
}

export interface ManagementApi {
  /** `PATCH /api/v2/users/{id}`; resolves only once Auth0 answered 2xx. */
  updateUser(userId: string, body: Record<string, unknown>): Promise<void>;
  /** `GET /api/v2/users/{id}`. */
  getUser(userId: string): Promise<Record<string, unknown>>;
  /** Readiness: a token can be had (the cached one counts; Auth0 meters token requests). One attempt. */
  checkTokenEndpoint(): Promise<void>;
  stats(): { tokenRequests: number; writes: number };
}

type Operation = 'updateUser' | 'getUser' | 'checkTokenEndpoint';

const SENTENCES: Record<Operation, string> = {
  updateUser: "We couldn't save your answer because the account service is busy. Your answer is kept — please try again.",
  getUser: "We couldn't load your account because the account service is busy. Please try again.",
  checkTokenEndpoint: 'The account service is not reachable.',
};

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

type Failure =
  | { retry: 'wait'; reason: string; status?: number; waitMs: number | null; cause: unknown }
  | { retry: 'refresh_token'; reason: string; status: number; cause: unknown }
  | { retry: 'never'; reason: string; status?: number; error: Error };

const silentLogger: Auth0Logger = { debug() {}, info() {}, warn() {}, error() {} };

export function createManagementApi(options: ManagementApiOptions): ManagementApi {
  const origin = parseTenantOrigin(options.origin);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 4000;
  const totalBudgetMs = options.totalBudgetMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 6;
  const backoff: BackoffOptions = { baseMs: 200, maxMs: 2000, ...options.backoff };
  const logger = options.logger ?? silentLogger;
  const baseFetch = () => options.fetch ?? globalThis.fetch;
  let writes = 0;

  const tokens = createManagementTokenProvider({
    origin: origin.origin,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    fetch: (input, init) => baseFetch()(input, init),
    now,
    requestTimeoutMs: attemptTimeoutMs,
  });

  const client = new ManagementClient({
    // v7 takes a bare host and always builds `https://${domain}/api/v2`; a host with a port is accepted.
    domain: origin.host,
    token: () => tokens.getToken(),
    fetch: sdkFetchFor(origin, baseFetch),
    maxRetries: 0,
    // Our abort signal ends each attempt; the SDK's own timer only has to outlast it.
    timeoutInSeconds: (attemptTimeoutMs + 1000) / 1000,
  });

  async function withBudget<T>(op: Operation, call: (signal: AbortSignal) => Promise<T>, attemptsAllowed = maxAttempts) {
    const startedAt = now();
    const deadline = startedAt + totalBudgetMs;
    const minAttemptMs = Math.min(100, attemptTimeoutMs);
    let last: Failure | null = null;
    let retryAfterMs = 0;
    let tokenRefreshed = false;

    for (let attempt = 1; attempt <= attemptsAllowed; attempt++) {
      const timeoutMs = Math.min(attemptTimeoutMs, deadline - now());
      if (timeoutMs <= 0) break;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new Error(`attempt timed out after ${timeoutMs} ms`)), timeoutMs);
      let failure: Failure;
      try {
        const result = await untilAborted(call(controller.signal), controller.signal);
        logger.debug({ op, attempt, outcome: 'ok', elapsedMs: now() - startedAt }, 'auth0 management call succeeded');
        return result;
      } catch (error) {
        failure = classify(error, { op, attemptTimedOut: controller.signal.aborted, tokenRefreshed, nowMs: now() });
      } finally {
        clearTimeout(timer);
      }
      last = failure;
      const logged = { op, attempt, status: failure.status, reason: failure.reason, elapsedMs: now() - startedAt };

      if (failure.retry === 'never') {
        logger[failure.error instanceof Auth0ApiError ? 'info' : 'error'](
          { ...logged, outcome: 'refused' },
          'auth0 management call refused',
        );
        throw failure.error;
      }
      if (failure.retry === 'refresh_token') {
        // A revoked or rotated token: fetch a new one once, straight away.
        tokenRefreshed = true;
        tokens.invalidate();
        logger.warn({ ...logged, outcome: 'retry', delayMs: 0 }, 'auth0 management call retrying with a new token');
        continue;
      }
      const waitMs =
        failure.waitMs !== null
          ? withRateLimitJitter(failure.waitMs, random)
          : backoffDelayMs(attempt - 1, backoff, random);
      // What Auth0 asked for (unjittered) is what the person is told to wait.
      retryAfterMs = failure.waitMs ?? waitMs;
      if (attempt >= attemptsAllowed || now() + waitMs + minAttemptMs > deadline) {
        // A reset beyond the budget is not waited for: the person gets a retryable error now.
        logger.error({ ...logged, outcome: 'give_up', waitMs }, 'auth0 management call gave up');
        break;
      }
      logger.warn({ ...logged, outcome: 'retry', delayMs: waitMs }, 'auth0 management call retrying');
      await sleep(waitMs);
    }
    throw exhausted(op, last, retryAfterMs);
  }

  return {
    async updateUser(userId, body) {
      assertUserId(userId);
      await withBudget('updateUser', (signal) =>
        client.users.update(userId, body as Management.UpdateUserRequestContent, { abortSignal: signal, maxRetries: 0 }),
      );
      writes += 1;
    },
    async getUser(userId) {
      assertUserId(userId);
      const user = await withBudget('getUser', (signal) =>
        client.users.get(userId, {}, { abortSignal: signal, maxRetries: 0 }),
      );
      return user as Record<string, unknown>;
    },
    async checkTokenEndpoint() {
      await withBudget('checkTokenEndpoint', () => tokens.getToken(), 1);
    },
    stats: () => ({ tokenRequests: tokens.tokenRequests(), writes }),
  };
}

interface AttemptContext {
  op: Operation;
  attemptTimedOut: boolean;
  tokenRefreshed: boolean;
  nowMs: number;
}

function classify(error: unknown, { op, attemptTimedOut, tokenRefreshed, nowMs }: AttemptContext): Failure {
  if (attemptTimedOut) return { retry: 'wait', reason: 'timeout', waitMs: null, cause: error };

  if (error instanceof TokenEndpointError) {
    const status = error.statusCode;
    if (status === 429) {
      return { retry: 'wait', reason: 'token_rate_limited', status, waitMs: rateLimitDelayMs(error.details.headers, nowMs), cause: error };
    }
    if (status === undefined || status >= 500 || error.details.kind === 'invalid_response') {
      return { retry: 'wait', reason: `token_${error.details.kind}`, status, waitMs: null, cause: error };
    }
    // Wrong client id/secret or a missing grant: an operator's problem, not worth retrying.
    return { retry: 'never', reason: 'token_endpoint_rejected', status, error: unavailable(op, 'token_endpoint_rejected', error) };
  }

  if (error instanceof ManagementError) {
    const status = error.statusCode;
    if (status === undefined) {
      return { retry: 'wait', reason: error.name === 'ManagementTimeoutError' ? 'timeout' : 'network', waitMs: null, cause: error };
    }
    if (status === 429) {
      return { retry: 'wait', reason: 'rate_limited', status, waitMs: rateLimitDelayMs(error.rawResponse?.headers, nowMs), cause: error };
    }
    if (status >= 500 || status === 408) return { retry: 'wait', reason: 'server_error', status, waitMs: null, cause: error };
    const apiError = Auth0ApiError.fromResponse(status, error.body, error);
    if (status === 401 && !tokenRefreshed) return { retry: 'refresh_token', reason: 'api_unauthorized', status, cause: error };
    if (status === 401 || status === 403) {
      // Our token or its scopes are wrong (e.g. no `update:users`): nothing the person can fix.
      return { retry: 'never', reason: `api_${status}`, status, error: unavailable(op, `api_${status}`, apiError) };
    }
    return { retry: 'never', reason: 'api_client_error', status, error: apiError };
  }

  // Not an upstream failure: a bug here should surface as itself.
  return { retry: 'never', reason: 'unexpected', error: error instanceof Error ? error : new Error(String(error)) };
}

function exhausted(op: Operation, last: Failure | null, retryAfterMs: number): DetourError {
  const cause = last && 'cause' in last ? last.cause : undefined;
  const reason = last?.reason ?? 'budget_exhausted';
  if (last?.status === 429) {
    return new DetourError('upstream_rate_limited', 429, SENTENCES[op], {
      reason,
      retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
      cause,
    });
  }
  return new DetourError('upstream_unavailable', 503, SENTENCES[op], { reason, cause });
}

function unavailable(op: Operation, reason: string, cause: unknown): DetourError {
  return new DetourError('upstream_unavailable', 503, SENTENCES[op], { reason, cause });
}

function assertUserId(userId: string): void {
  // An empty id would turn `users/{id}` into the user *list* endpoint.
  if (typeof userId !== 'string' || userId.length === 0) throw new TypeError('userId must be a non-empty string');
}

/** Settles with `work`, or rejects as soon as `signal` aborts (the token fetch does not see our signal). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function parseTenantOrigin(value: string): URL {
  const url = new URL(value);
  const loopback = LOOPBACK_HOST.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    // The client secret goes in this request body: plain http only where it cannot leave the machine.
    throw new Error(`Auth0 origin must be https:// (http:// only for loopback hosts), got ${url.protocol}//${url.host}`);
  }
  return url;
}

/**
 * The SDK always calls `https://<host>`; for an `http://` loopback tenant (local tenant, tests) rewrite that
 * prefix to the configured origin. Anything else passes through untouched.
 */
function sdkFetchFor(origin: URL, baseFetch: () => typeof fetch): typeof fetch {
  const sdkOrigin = `https://${origin.host}`;
  return (input, init) => {
    if (origin.protocol === 'http:' && !(input instanceof Request)) {
      const url = String(input);
      if (url.startsWith(`${sdkOrigin}/`)) return baseFetch()(origin.origin + url.slice(sdkOrigin.length), init);
    }
    return baseFetch()(input, init);
  };
}
