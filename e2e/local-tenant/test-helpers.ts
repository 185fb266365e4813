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

/** A return token as Detour signs it (docs/design.md "Return token"). */
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

export interface Hop {
  url: string;
  status: number;
  location: string | null;
}

/** Where a browser ended up: the last answer, and every answer on the way. */
export interface Navigation {
  hops: Hop[];
  url: string;
  status: number;
  /** Set when the browser stopped at a redirect out of the tenant and the app (to Detour). */
  location: string | null;
  html: string;
}

/**
 * What a browser does between the tenant and the sample app: keeps their cookies (one host, so one jar) and follows
 * their redirects, GET after a 302/303. A redirect elsewhere (Detour, which tests play themselves) ends the navigation.
 */
export class TestBrowser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly origins: string[]) {}

  async open(url: string, form?: Record<string, string>): Promise<Navigation> {
    const hops: Hop[] = [];
    let next: { url: string; form?: Record<string, string> } = { url, form };
    for (;;) {
      const res = await fetch(next.url, {
        method: next.form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '), ...(next.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(next.form ? { body: new URLSearchParams(next.form) } : {}),
      });
      for (const cookie of res.headers.getSetCookie()) this.keep(cookie);
      const location = res.headers.get('location');
      hops.push({ url: next.url, status: res.status, location });
      const target = location ? new URL(location, next.url) : undefined;
      if (!target || hops.length > 10 || !this.origins.includes(target.origin)) {
        return { hops, url: next.url, status: res.status, location, html: await res.text() };
      }
      next = { url: target.toString() };
    }
  }

  private keep(setCookie: string): void {
    const [pair = '', ...attributes] = setCookie.split(/;\s*/);
    const name = pair.slice(0, pair.indexOf('='));
    if (attributes.some((a) => /^max-age=0$/i.test(a))) this.cookies.delete(name);
    else this.cookies.set(name, pair.slice(name.length + 1));
  }
}

export interface LoginResult extends Navigation {
  browser: TestBrowser;
  /** Query parameters of the redirect to Detour (session_token / token, state). */
  params: URLSearchParams;
  /** The state Auth0 gave the redirect to Detour ('' when there was none): the one /continue takes. */
  state: string;
}

/**
 * Starts a login at the sample app (its `/login?client_id=` when `fields.client_id` is given) and submits the tenant's
 * login page for `userId` with `fields`, as a browser does; it ends at Detour's door or on the app's page.
 */
export async function login(tenant: { url: string; appUrl: string }, userId: string, fields: Record<string, string> = {}): Promise<LoginResult> {
  const browser = new TestBrowser([tenant.url, tenant.appUrl]);
  const page = await browser.open(`${tenant.appUrl}/login${fields.client_id ? `?client_id=${encodeURIComponent(fields.client_id)}` : ''}`);
  const state = new URL(page.url).searchParams.get('state') ?? '';
  const result = await browser.open(`${tenant.url}/login`, { user_id: userId, state, ...fields });
  const params = new URL(result.location ?? 'http://x/').searchParams;
  return { ...result, browser, params, state: params.get('state') ?? '' };
}

/** POSTs to /continue as Detour's auto-submitting form does, in the browser that started the login. */
export function postContinue(browser: TestBrowser, tenantUrl: string, state: string, fields: Record<string, string>): Promise<Navigation> {
  return browser.open(`${tenantUrl}/continue?state=${encodeURIComponent(state)}`, { state, ...fields });
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
