// Shared by the local tenant's tests and the integration tests: play Detour's side of the protocol.
import { SignJWT } from 'jose';
import { DEFAULT_TERMS_VERSION, DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_SESSION_TOKEN_SECRET } from './config';

export const DETOUR_URL = 'http://127.0.0.1:3000';
export const key = (secret = DEV_SESSION_TOKEN_SECRET) => new TextEncoder().encode(secret);

export interface ReturnTokenInput {
  sub: string;
  state?: string;
  aud: string;
  iss?: string;
  jti?: string;
  /** Seconds relative to now. */
  iatOffset?: number;
  lifetime?: number;
  completed?: string[];
  terms?: { version: string; accepted_at: string } | null;
  secret?: string;
  typ?: string;
  /** Further claims: step results (`profile`, `password`), `persist_in_action`, or overrides. */
  extra?: Record<string, unknown>;
}

/** A return token as Detour signs it (DESIGN.md "Return token"). */
export function signReturnToken(input: ReturnTokenInput): Promise<string> {
  const iat = Math.floor(Date.now() / 1000) + (input.iatOffset ?? 0);
  const terms = input.terms === undefined ? { version: DEFAULT_TERMS_VERSION, accepted_at: new Date().toISOString() } : input.terms;
  return new SignJWT({
    ...(input.state !== undefined ? { state: input.state } : {}),
    jti: input.jti ?? 'jti-test',
    completed: input.completed ?? ['terms'],
    ...(terms ? { terms } : {}),
    ...input.extra,
  })
    .setProtectedHeader({ alg: 'HS256', typ: input.typ ?? 'JWT' })
    .setSubject(input.sub)
    .setIssuer(input.iss ?? DETOUR_URL)
    .setAudience(input.aud)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (input.lifetime ?? 60))
    .sign(key(input.secret));
}

export interface LoginResult {
  status: number;
  location: string | null;
  html: string;
  /** Query parameters of the redirect (session_token / token, state). */
  params: URLSearchParams;
}

export async function login(tenantUrl: string, userId: string, extra: Record<string, string> = {}): Promise<LoginResult> {
  const res = await fetch(`${tenantUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user_id: userId, ...extra }),
  });
  const location = res.headers.get('location');
  return { status: res.status, location, html: await res.text(), params: new URL(location ?? 'http://x/').searchParams };
}

/** POSTs to /continue as Detour's auto-submitting form does. */
export async function postContinue(tenantUrl: string, state: string, fields: Record<string, string>): Promise<{ status: number; html: string }> {
  const res = await fetch(`${tenantUrl}/continue?state=${encodeURIComponent(state)}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ state, ...fields }),
  });
  return { status: res.status, html: await res.text() };
}

/** Signs in at the tenant's Management API (client credentials) and PATCHes a user, as Detour does during a detour. */
export async function managementPatch(tenantUrl: string, userId: string, body: Record<string, unknown>): Promise<Response> {
  const tokenRes = await fetch(`${tenantUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEV_CLIENT_ID, client_secret: DEV_CLIENT_SECRET, audience: `${tenantUrl}/api/v2/` }),
  });
  const { access_token } = (await tokenRes.json()) as { access_token: string };
  return fetch(`${tenantUrl}/api/v2/users/${encodeURIComponent(userId)}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** The token with its claims changed and its signature kept, as someone editing it in transit would. */
export function tamper(token: string, change: (claims: Record<string, unknown>) => void): string {
  const [head, body, sig] = token.split('.');
  const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  change(claims);
  return `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
}

/** The claims of a session token, without verifying it (tests verify where it matters). */
export const claimsOf = (token: string | null | undefined): Record<string, unknown> =>
  token ? (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>) : {};

export const outcomeOf = (html: string) => /data-outcome="(\w+)"/.exec(html)?.[1];
export const denyReasonOf = (html: string) =>
  /data-testid="deny-reason">([^<]*)</.exec(html)?.[1]?.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const jsonOf = (testId: string) => (html: string) =>
  JSON.parse(new RegExp(`data-testid="${testId}">([^<]*)<`).exec(html)?.[1]?.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&') ?? 'null') as Record<string, unknown>;
export const appMetadataOf = jsonOf('app-metadata');
export const userMetadataOf = jsonOf('user-metadata');
export const rootAttributesOf = jsonOf('root-attributes');
