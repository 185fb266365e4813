import 'server-only';
import { z } from 'zod';

/**
 * Client-credentials token for the Management API (docs/design.md "Management API writes"): one `POST /oauth/token`
 * per token lifetime, shared by every caller. Auth0 meters machine-to-machine tokens per tenant, so the cache
 * and the single flight are not just an optimisation.
 */

const MAX_REFRESH_MARGIN_MS = 60_000;
const REFRESH_MARGIN_SHARE = 0.1;

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().optional(),
});

/** Why a token request failed. `statusCode` is absent when no HTTP answer came back (network, timeout). */
export class TokenEndpointError extends Error {
  override readonly name = 'TokenEndpointError';
  constructor(
    message: string,
    readonly details: {
      statusCode?: number;
      /** OAuth `error` from the body, e.g. `access_denied`. */
      oauthError?: string;
      kind: 'http' | 'network' | 'timeout' | 'invalid_response';
      /** Response headers, kept for `Retry-After` / `x-ratelimit-reset` on a 429. */
      headers?: Headers;
      cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  get statusCode(): number | undefined {
    return this.details.statusCode;
  }
}

export interface ManagementTokenProviderOptions {
  /** AUTH0_DOMAIN as an origin: `https://tenant.eu.auth0.com`, or `http://127.0.0.1:PORT` for the local tenant. */
  origin: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** Each token request is aborted after this long. */
  requestTimeoutMs?: number;
}

export interface ManagementTokenProvider {
  /** A valid access token, from the cache when it is not close to expiry. */
  getToken(): Promise<string>;
  /** Drop the cached token if it is `token` (e.g. the API answered 401 to it); a newer token is kept. */
  invalidate(token?: string): void;
  /** Token requests sent so far, failed ones included. */
  tokenRequests(): number;
}

interface CachedToken {
  value: string;
  refreshAtMs: number;
}

export function managementAudience(origin: string): string {
  return `${new URL(origin).origin}/api/v2/`;
}

/** Refresh `min(60 s, 10 % of the lifetime)` before expiry, so a short-lived token is not refreshed at once. */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs * REFRESH_MARGIN_SHARE);
}

export function createManagementTokenProvider(options: ManagementTokenProviderOptions): ManagementTokenProvider {
  const origin = new URL(options.origin).origin;
  const now = options.now ?? Date.now;
  const requestTimeoutMs = options.requestTimeoutMs ?? 4000;
  let cached: CachedToken | null = null;
  let inflight: Promise<CachedToken> | null = null;
  let requests = 0;

  async function requestToken(): Promise<CachedToken> {
    requests += 1;
    const startedAt = now();
    const doFetch = options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(`${origin}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: options.clientId,
          client_secret: options.clientSecret,
          audience: managementAudience(origin),
        }),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new TokenEndpointError(timedOut ? 'Token request timed out' : 'Token request failed', {
        kind: timedOut ? 'timeout' : 'network',
        cause: error,
      });
    }

    const text = await response.text().catch(() => '');
    const json = parseJson(text);
    if (!response.ok) {
      const oauthError = typeof json?.error === 'string' ? json.error : undefined;
      throw new TokenEndpointError(`Token endpoint answered ${response.status}${oauthError ? ` (${oauthError})` : ''}`, {
        kind: 'http',
        statusCode: response.status,
        oauthError,
        headers: response.headers,
      });
    }
    const parsed = tokenResponseSchema.safeParse(json);
    if (!parsed.success) {
      throw new TokenEndpointError('Token endpoint answered without a usable access_token', {
        kind: 'invalid_response',
        statusCode: response.status,
      });
    }
    const lifetimeMs = parsed.data.expires_in * 1000;
    // Measured from when we asked, not when the answer came: the token may have been minted at once.
    return { value: parsed.data.access_token, refreshAtMs: startedAt + lifetimeMs - refreshMarginMs(lifetimeMs) };
  }

  return {
    async getToken() {
      if (cached && now() < cached.refreshAtMs) return cached.value;
      inflight ??= requestToken()
        .then((token) => (cached = token))
        .finally(() => {
          inflight = null;
        });
      return (await inflight).value;
    },
    invalidate(token) {
      if (token === undefined || cached?.value === token) cached = null;
    },
    tokenRequests: () => requests,
  };
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
