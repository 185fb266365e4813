// Shared by the local tenant's tests and the integration tests: play Detour's side of the protocol.
import { SignJWT } from 'jose';
import { DEFAULT_TERMS_VERSION, DEV_SESSION_TOKEN_SECRET } from './config';

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

export const outcomeOf = (html: string) => /data-outcome="(\w+)"/.exec(html)?.[1];
export const denyReasonOf = (html: string) =>
  /data-testid="deny-reason">([^<]*)</.exec(html)?.[1]?.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
export const appMetadataOf = (html: string) =>
  JSON.parse(/data-testid="app-metadata">([^<]*)</.exec(html)?.[1]?.replace(/&quot;/g, '"').replace(/&amp;/g, '&') ?? 'null') as Record<string, unknown>;
