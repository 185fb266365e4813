// The local tenant's HTTP server: routing, the loopback-only /__* test API, startLocalTenant() (with its mail catcher).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { handleToken, handleUsers } from './api';
import { Authorizations, handleAuthorize, handleResume } from './authorize';
import { resolveOptions, TRIGGER_VERSIONS, type LocalTenantOptions } from './config';
import { CallLog, Faults, faultSchema } from './faults';
import { isLoopback, readBody, redirect, sendHtml, sendJson, setRateLimitHeaders, type Ctx, type ParsedBody, type Tenant } from './http';
import { effectiveSecrets, handleContinue, handleLogin, SETTABLE_SECRETS } from './login';
import { startMailCatcher, type MailCatcher } from './mail-catcher';
import { handleMailbox, handleMailFailure, MAILBOX_PATHS } from './mailbox';
import { errorPage, loginPage } from './pages';
import { startSampleApp } from './sample-app';
import { publicUser, UserStore } from './users';

export interface LocalTenant {
  /** `http://127.0.0.1:<port>` — the tenant origin (AUTH0_DOMAIN for Detour). */
  url: string;
  /** `127.0.0.1:<port>` — the tenant domain as Auth0 writes it (encodeToken's `iss`). */
  hostname: string;
  port: number;
  /** `http://127.0.0.1:<port>` — the sample application every login ends on (its callback is `<appUrl>/callback`). */
  appUrl: string;
  /** `smtp://127.0.0.1:<port>` — the mail catcher (Detour's SMTP_URL). */
  mailUrl: string;
  /** `<url>/mailbox` — what the catcher caught, newest first (`/mailbox.json` for tests). */
  mailboxUrl: string;
  /** The catcher itself: messages(), latestTo(address), clear(), failNext(count, 'refuse' | 'drop'). */
  mail: MailCatcher;
  close(): Promise<void>;
}

const secretsSchema = z.record(z.string(), z.string().max(4096).nullable());
/** POST /__reset's optional JSON body; strict, so a misspelt field is refused rather than ignored. */
const resetSchema = z.object({ trigger_version: z.enum(TRIGGER_VERSIONS).optional() }).strict();

/** What GET/POST /__secrets answer: the secrets the Action (or Rule) runs with now, the shared secret masked. */
function secretsView(tenant: Tenant) {
  const secrets = effectiveSecrets(tenant);
  if (secrets.SESSION_TOKEN_SECRET) secrets.SESSION_TOKEN_SECRET = `[${secrets.SESSION_TOKEN_SECRET.length} characters]`;
  return { protocol: tenant.options.protocol, secrets, overrides: Object.keys(tenant.secretOverrides) };
}

async function devRoute(ctx: Ctx, parsed: ParsedBody): Promise<void> {
  const { tenant, req, url, res } = ctx;
  const method = req.method ?? 'GET';
  if (!isLoopback(req)) return sendJson(res, 403, { error: 'forbidden', message: '/__* is only served to loopback callers' });
  if (url.pathname === '/__faults' && method === 'POST') {
    const fault = faultSchema.safeParse(parsed.value);
    if (!fault.success) return sendJson(res, 400, { error: 'invalid_fault', issues: fault.error.issues });
    tenant.faults.add(fault.data);
    return sendJson(res, 201, { queued: fault.data, pending: tenant.faults.pending() });
  }
  if (url.pathname === '/__faults' && method === 'GET') return sendJson(res, 200, { pending: tenant.faults.pending() });
  if (url.pathname === '/__faults' && method === 'DELETE') {
    tenant.faults.clear();
    return sendJson(res, 200, { pending: [] });
  }
  if (url.pathname === '/__calls' && method === 'GET') return sendJson(res, 200, tenant.calls.toJSON());
  if (url.pathname === '/__secrets' && method === 'GET') return sendJson(res, 200, secretsView(tenant));
  if (url.pathname === '/__secrets' && method === 'POST') {
    // JSON {NAME: "value" | null}: changes what the next login runs with (null removes the secret); /__reset undoes.
    const change = secretsSchema.safeParse(parsed.value);
    const unknown = change.success ? Object.keys(change.data).filter((k) => !(SETTABLE_SECRETS as readonly string[]).includes(k)) : [];
    if (!change.success || unknown.length) {
      return sendJson(res, 400, { error: 'invalid_secrets', settable: SETTABLE_SECRETS, ...(unknown.length ? { unknown } : {}) });
    }
    Object.assign(tenant.secretOverrides, change.data);
    return sendJson(res, 200, secretsView(tenant));
  }
  if (url.pathname === '/__mail/fail' && method === 'POST') return handleMailFailure(ctx, parsed);
  if (url.pathname === '/__settings' && method === 'GET') return sendJson(res, 200, { protocol: tenant.options.protocol, trigger_version: tenant.triggerVersion });
  if (url.pathname === '/__reset' && method === 'POST') {
    const reset = parsed.kind === 'invalid_json' ? undefined : resetSchema.safeParse(parsed.value ?? {});
    if (!reset?.success) return sendJson(res, 400, { error: 'invalid_reset', message: `JSON body {"trigger_version": ${TRIGGER_VERSIONS.map((v) => `"${v}"`).join(' | ')}} or none` });
    tenant.users.reset();
    tenant.faults.clear();
    tenant.calls.reset();
    tenant.transactions.clear();
    tenant.authorizations.clear();
    tenant.secretOverrides = {};
    tenant.actionCache.clear();
    tenant.mail.clear();
    tenant.mail.failNext(0, 'refuse');
    // Absent: back to the version the tenant started with (options / LOCAL_TENANT_TRIGGER_VERSION).
    tenant.triggerVersion = reset.data.trigger_version ?? tenant.options.triggerVersion;
    return sendJson(res, 200, { ok: true, trigger_version: tenant.triggerVersion });
  }
  const userMatch = /^\/__users\/([^/]+)$/.exec(url.pathname);
  if (userMatch?.[1] && method === 'GET') {
    const user = tenant.users.get(decodeURIComponent(userMatch[1]));
    return user ? sendJson(res, 200, publicUser(user)) : sendJson(res, 404, { error: 'not_found' });
  }
  sendJson(res, 404, { error: 'not_found' });
}

/**
 * GET /?state=: the login page of a login /authorize opened. Without one, as Auth0 does with an application's login
 * initiation URL, the browser goes to the sample app, which starts a login of its own (`?client_id=` picks the client).
 */
function loginRoute(ctx: Ctx): void {
  const { tenant, res, url } = ctx;
  const state = url.searchParams.get('state');
  if (!state) {
    const clientId = url.searchParams.get('client_id');
    return redirect(res, `${tenant.appOrigin}/login${clientId ? `?client_id=${encodeURIComponent(clientId)}` : ''}`);
  }
  const login = tenant.authorizations.pending.get(state);
  if (!login || login.used) return sendHtml(res, 400, errorPage('invalid_request', 'Unknown or used login transaction: start again from the application.'));
  const secrets = effectiveSecrets(tenant);
  const fields = (value = '') => value.split(',').map((f) => f.trim()).filter(Boolean);
  sendHtml(
    res,
    200,
    loginPage(tenant.users.list(), {
      protocol: tenant.options.protocol,
      detourUrl: secrets.DETOUR_URL ?? tenant.options.detourUrl,
      termsVersion: secrets.TERMS_VERSION ?? '(from REQUIREMENTS_URL)',
      requiredProfileFields: fields(secrets.REQUIRED_PROFILE_FIELDS),
      rootFields: fields(secrets.PROFILE_FIELDS).filter((f) => f.endsWith(':root')).map((f) => f.slice(0, -':root'.length)),
      login,
    }),
  );
}

async function route(ctx: Ctx): Promise<void> {
  const { req, res, url } = ctx;
  const method = req.method ?? 'GET';
  const path = url.pathname;
  setRateLimitHeaders(res);
  const parsed = method === 'GET' || method === 'HEAD' ? ({ kind: 'none', value: undefined } as const) : await readBody(req);
  if (path.startsWith('/__')) return devRoute(ctx, parsed);
  const users = /^\/api\/v2\/users\/([^/]+)$/.exec(path);
  if (users?.[1]) return handleUsers(ctx, parsed, users[1]);
  if (path === '/oauth/token' && method === 'POST') return handleToken(ctx, parsed);
  if (path === '/continue' && (method === 'GET' || method === 'POST')) return handleContinue(ctx, parsed);
  if (path === '/login' && method === 'POST') return handleLogin(ctx, parsed);
  if (path === '/authorize' && method === 'GET') return handleAuthorize(ctx);
  if (path === '/authorize/resume' && method === 'GET') return handleResume(ctx);
  if (path === '/' && method === 'GET') return loginRoute(ctx);
  if ((MAILBOX_PATHS as readonly string[]).includes(path)) return handleMailbox(ctx);
  if (path.startsWith('/api/')) return sendJson(res, 404, { statusCode: 404, error: 'Not Found', message: 'Not Found' });
  sendHtml(res, 404, errorPage('not_found', `No route for ${method} ${path}`));
}

export async function startLocalTenant(options: LocalTenantOptions = {}): Promise<LocalTenant> {
  const resolved = resolveOptions(options);
  // On loopback whatever the tenant's host: Detour's mail (and its codes) never leaves the machine.
  const mail = await startMailCatcher({ port: resolved.mailPort, host: '127.0.0.1' });
  const tenant: Tenant = {
    options: resolved,
    hostname: '',
    origin: '',
    users: new UserStore(resolved.termsVersion),
    faults: new Faults(),
    calls: new CallLog(),
    transactions: new Map(),
    accessTokens: new Map(),
    secretOverrides: {},
    actionCache: new Map(),
    triggerVersion: resolved.triggerVersion,
    appOrigin: '',
    authorizations: new Authorizations(),
    mail,
    mailUrl: `smtp://127.0.0.1:${mail.port}`,
  };
  let ready = () => {};
  const started = new Promise<void>((resolve) => (ready = resolve));
  const server = createServer((req, res) => {
    res.on('error', () => {});
    // Requests wait until the sample app listens too: the login page and every login's end point at its origin.
    void started.then(() => {
      const url = new URL(req.url ?? '/', tenant.origin);
      if (resolved.log) res.on('finish', () => console.log(`${req.method} ${url.pathname} → ${res.statusCode}`));
      route({ tenant, req, res, url }).catch((error: unknown) => {
        // Never echo the request (it may hold a password or a token); the path and the error are enough.
        console.error(`local tenant: ${req.method} ${url.pathname} failed: ${error instanceof Error ? error.message : 'error'}`);
        if (!res.headersSent) sendJson(res, 500, { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' });
        else res.destroy();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => resolve());
  }).catch(async (error: unknown) => {
    await mail.close();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  tenant.hostname = `${host}:${port}`;
  tenant.origin = `http://${tenant.hostname}`;
  const closeTenant = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  const app = await startSampleApp({ host: resolved.host, port: resolved.appPort, tenantOrigin: tenant.origin }).catch(async (error: unknown) => {
    await Promise.all([closeTenant(), mail.close()]);
    throw error;
  });
  tenant.appOrigin = app.url;
  ready();
  return {
    url: tenant.origin,
    hostname: tenant.hostname,
    port,
    appUrl: app.url,
    mailUrl: tenant.mailUrl,
    mailboxUrl: `${tenant.origin}/mailbox`,
    mail,
    close: async () => {
      await Promise.all([closeTenant(), app.close(), mail.close()]);
    },
  };
}
