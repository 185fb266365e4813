import { appPortFor, DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_SESSION_TOKEN_SECRET, mailPortFor } from './local-tenant/config';

/**
 * The local stack the quick start and the end-to-end tests run: one local tenant (with its sample application, where
 * every login starts and ends, and its mail catcher, where Detour's mail goes) and one Detour per protocol, all on
 * loopback, with embedded defaults (SQLite, no Redis). Secrets here are for dev and tests only.
 */
export interface StackInstance {
  protocol: 'actions' | 'rules';
  tenantPort: number;
  detourPort: number;
  /** The sample application's port. Default: the tenant's + 1000 (appPortFor). */
  appPort?: number;
  /** The tenant's mail catcher (SMTP) port. Default: the tenant's + 15 (mailPortFor). */
  mailPort?: number;
}

export const RULES_ISSUER = 'urn:detour:local-rule';
/** Detour's MAIL_FROM in dev and tests. */
export const DEV_MAIL_FROM = 'Example <no-reply@detour.localhost>';

export function tenantUrl(instance: StackInstance): string {
  return `http://127.0.0.1:${instance.tenantPort}`;
}

/** The origin of the sample application the local tenant starts: a login ends on its callback. */
export function sampleAppUrl(instance: StackInstance): string {
  return `http://127.0.0.1:${instance.appPort ?? appPortFor(instance.tenantPort)}`;
}

/** `smtp://127.0.0.1:<port>`: the tenant's mail catcher, Detour's SMTP_URL. */
export function mailUrl(instance: StackInstance): string {
  return `smtp://127.0.0.1:${instance.mailPort ?? mailPortFor(instance.tenantPort)}`;
}

/** The page listing what the catcher caught, newest first; `${mailboxUrl}.json` is the same as JSON. */
export function mailboxUrl(instance: StackInstance): string {
  return `${tenantUrl(instance)}/mailbox`;
}

export function detourUrl(instance: StackInstance): string {
  return `http://127.0.0.1:${instance.detourPort}`;
}

/**
 * How `npm start` runs the production build: `next start`, which answers every route through app/ (the one serving
 * path), from this checkout's NEXT_DIST_DIR. It listens on PORT (detourEnv sets it).
 */
export function detourServerArgs(): string[] {
  return ['node_modules/next/dist/bin/next', 'start'];
}

export function detourEnv(instance: StackInstance, databaseFile: string): Record<string, string> {
  return {
    APP_BASE_URL: detourUrl(instance),
    AUTH0_DOMAIN: tenantUrl(instance),
    AUTH0_CLIENT_ID: DEV_CLIENT_ID,
    AUTH0_CLIENT_SECRET: DEV_CLIENT_SECRET,
    SESSION_TOKEN_SECRET: DEV_SESSION_TOKEN_SECRET,
    REDIRECT_PROTOCOL: instance.protocol,
    ...(instance.protocol === 'rules' ? { SESSION_TOKEN_ISSUER: RULES_ISSUER } : {}),
    DATABASE_URL: `file:${databaseFile}`,
    // The verify step's codes go to the tenant's catcher: no mail leaves the machine.
    SMTP_URL: mailUrl(instance),
    MAIL_FROM: DEV_MAIL_FROM,
    PORT: String(instance.detourPort),
    HOSTNAME: '127.0.0.1',
  };
}

export function tenantEnv(instance: StackInstance): Record<string, string> {
  return {
    LOCAL_TENANT_PORT: String(instance.tenantPort),
    LOCAL_APP_PORT: String(instance.appPort ?? appPortFor(instance.tenantPort)),
    LOCAL_TENANT_MAIL_PORT: String(instance.mailPort ?? mailPortFor(instance.tenantPort)),
    DETOUR_URL: detourUrl(instance),
    SESSION_TOKEN_SECRET: DEV_SESSION_TOKEN_SECRET,
    AUTH0_CLIENT_ID: DEV_CLIENT_ID,
    AUTH0_CLIENT_SECRET: DEV_CLIENT_SECRET,
    PROTOCOL: instance.protocol,
    SESSION_TOKEN_ISSUER: RULES_ISSUER,
  };
}
