// The sample application: a regular web app on its own origin that signs in at the local tenant as a real one signs
// in at Auth0 (authorization code flow; state and nonce in an HttpOnly cookie; the code redeemed with its secret).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_SCOPE } from './authorize';
import { DEV_APP_CLIENT_ID, DEV_APP_CLIENT_SECRET } from './config';
import { redirect, sendHtml } from './http';
import { decodeHS256, isObject, type Claims } from './jwt';
import { appErrorPage, deniedPage, homePage, signedInPage } from './sample-app-pages';
import type { PublicUser } from './users';

export interface SampleApp {
  /** `http://127.0.0.1:<port>`: the application's origin; its callback is `<url>/callback`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface SampleAppOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Where it signs in (the Auth0 domain). */
  tenantOrigin: string;
}

/** What the app keeps between /login and /callback, as a real one keeps it in a cookie or its session. */
interface LoginCookie {
  state: string;
  nonce: string;
  clientId: string;
  startedAt: number;
}

const random = () => randomBytes(18).toString('base64url');
const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });

function readLoginCookie(req: IncomingMessage, name: string): LoginCookie | undefined {
  const raw = (req.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1);
  try {
    const value: unknown = raw ? JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) : undefined;
    return isObject(value) && typeof value.state === 'string' && typeof value.nonce === 'string' && typeof value.clientId === 'string' && typeof value.startedAt === 'number'
      ? (value as unknown as LoginCookie)
      : undefined;
  } catch {
    return undefined;
  }
}

export async function startSampleApp(options: SampleAppOptions): Promise<SampleApp> {
  const { tenantOrigin } = options;
  let origin = '';
  // Cookies ignore ports: each tenant's app on 127.0.0.1 keeps its login under a name of its own.
  let cookieName = '';
  let managementToken: { value: string; expiresAt: number } | undefined;

  function startLogin(url: URL, res: ServerResponse): void {
    const login: LoginCookie = { state: random(), nonce: random(), clientId: url.searchParams.get('client_id') || DEV_APP_CLIENT_ID, startedAt: Date.now() };
    const prompt = url.searchParams.get('prompt');
    const query = { client_id: login.clientId, response_type: 'code', scope: DEFAULT_SCOPE, redirect_uri: `${origin}/callback`, state: login.state, nonce: login.nonce, ...(prompt ? { prompt } : {}) };
    res.setHeader('set-cookie', `${cookieName}=${Buffer.from(JSON.stringify(login)).toString('base64url')}; Path=/; HttpOnly; SameSite=Lax`);
    redirect(res, `${tenantOrigin}/authorize?${Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`);
  }

  async function redeem(login: LoginCookie, code: string): Promise<{ idToken: string } | { error: string; description: string }> {
    const fields = { grant_type: 'authorization_code', client_id: login.clientId, client_secret: DEV_APP_CLIENT_SECRET, code, redirect_uri: `${origin}/callback` };
    const res = await fetch(`${tenantOrigin}/oauth/token`, form(fields));
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.ok && typeof body.id_token === 'string') return { idToken: body.id_token };
    return { error: String(body.error ?? res.status), description: String(body.error_description ?? '') };
  }

  /** The id token's claims when it is signed with the client secret, from this tenant, for this client and login. */
  function verifyIdToken(idToken: string, login: LoginCookie): Claims | string {
    const decoded = decodeHS256(idToken, DEV_APP_CLIENT_SECRET);
    if (!decoded?.signatureValid) return 'the id token signature does not verify';
    const { claims } = decoded;
    if (claims.iss !== `${tenantOrigin}/` || claims.aud !== login.clientId) return 'the id token is for another issuer or audience';
    if (typeof claims.exp !== 'number' || claims.exp <= Date.now() / 1000) return 'the id token has expired';
    if (claims.nonce !== login.nonce) return 'the id token nonce does not match this sign-in';
    return typeof claims.sub === 'string' ? claims : 'the id token names no user';
  }

  /** The user as the Management API has it now, read with the app's own client credentials (read:users). */
  async function readUser(userId: string): Promise<PublicUser> {
    if (!managementToken || managementToken.expiresAt <= Date.now()) {
      const fields = { grant_type: 'client_credentials', client_id: DEV_APP_CLIENT_ID, client_secret: DEV_APP_CLIENT_SECRET, audience: `${tenantOrigin}/api/v2/` };
      const body = (await (await fetch(`${tenantOrigin}/oauth/token`, form(fields))).json()) as { access_token?: string; expires_in?: number };
      if (!body.access_token) throw new Error('no Management API token');
      managementToken = { value: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 60) * 1000 - 60_000 };
    }
    const res = await fetch(`${tenantOrigin}/api/v2/users/${encodeURIComponent(userId)}`, { headers: { authorization: `Bearer ${managementToken.value}` } });
    if (!res.ok) throw new Error(`the Management API answered ${res.status}`);
    return (await res.json()) as PublicUser;
  }

  async function callback(url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const login = readLoginCookie(req, cookieName);
    // A login transaction is good for one callback, whatever its outcome.
    res.setHeader('set-cookie', `${cookieName}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
    const query = url.searchParams;
    if (!login || query.get('state') !== login.state) {
      return sendHtml(res, 400, appErrorPage('invalid_state', 'The state does not match a sign-in this browser started here (or that sign-in already came back).'));
    }
    const error = query.get('error');
    if (error) return sendHtml(res, 403, deniedPage(error, query.get('error_description')));
    const redeemed = await redeem(login, query.get('code') ?? '');
    if ('error' in redeemed) return sendHtml(res, 400, appErrorPage(redeemed.error, redeemed.description));
    const claims = verifyIdToken(redeemed.idToken, login);
    if (typeof claims === 'string') return sendHtml(res, 400, appErrorPage('invalid_id_token', claims));
    const user = await readUser(claims.sub as string);
    const changedAt = user.last_password_reset;
    const passwordChangedAt = changedAt && Date.parse(changedAt) >= login.startedAt ? changedAt : undefined;
    sendHtml(res, 200, signedInPage({ claims, user, passwordChangedAt }));
  }

  const server = createServer((req, res) => {
    res.on('error', () => {});
    const url = new URL(req.url ?? '/', origin);
    const route = async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendHtml(res, 405, appErrorPage('method_not_allowed', `${req.method} is not served here`));
      if (url.pathname === '/') return sendHtml(res, 200, homePage(tenantOrigin, DEV_APP_CLIENT_ID));
      if (url.pathname === '/login') return startLogin(url, res);
      if (url.pathname === '/callback') return callback(url, req, res);
      sendHtml(res, 404, appErrorPage('not_found', `No route for ${url.pathname}`));
    };
    route().catch((error: unknown) => {
      // Never echo the request: its query holds a code.
      console.error(`sample app: ${url.pathname} failed: ${error instanceof Error ? error.message : 'error'}`);
      if (!res.headersSent) sendHtml(res, 502, appErrorPage('tenant_unavailable', 'The sign-in could not be finished with the tenant.'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  cookieName = `sample_app_login_${port}`;
  return {
    url: origin,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
