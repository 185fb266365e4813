// Options of the local tenant, from code or from the environment, with dev defaults.

/** Dev-only secret shared with Detour (48 characters). Never use it outside dev and tests. */
export const DEV_SESSION_TOKEN_SECRET = 'local-tenant-dev-session-token-secret-0123456789';
export const DEV_CLIENT_ID = 'detour-local';
export const DEV_CLIENT_SECRET = 'local-tenant-dev-client-secret-0123456789abcdef';
/** The sample application's client (a regular web app): the default application of every login. */
export const DEV_APP_CLIENT_ID = 'local-app';
/** Shared by every application client of the local tenant; signs their HS256 id tokens, as Auth0 does with HS256. */
export const DEV_APP_CLIENT_SECRET = 'local-tenant-dev-app-client-secret-0123456789abcdef';
export const DEFAULT_TERMS_VERSION = '2026-11-01';
/** Field ids as Detour's steps file names them; `:root` marks a root attribute of the Auth0 user. */
export const DEFAULT_PROFILE_FIELDS = 'given_name:root,family_name:root,phone,country,birth_date,job_title,marketing_emails';
export const DEFAULT_REQUIRED_PROFILE_FIELDS = 'given_name,family_name,phone,country';
/** Seeded users know Berlin and sign in from there, except pablo and quentin (Lisbon): only they are asked to verify. */
export const DEFAULT_VERIFY_NEW_LOCATIONS = 'country';

/**
 * Action secrets / Rule settings the local tenant passes through from its options (and from the environment
 * variable of the same name), besides the connection ones it always sets.
 */
export const PASS_THROUGH_SECRETS = [
  'TERMS_REACCEPT_FROM',
  'TERMS_MAX_AGE_DAYS',
  'REQUIREMENTS_URL',
  'PROFILE_FIELDS',
  'REQUIRED_PROFILE_FIELDS',
  'PASSWORD_MAX_AGE_DAYS',
  'OPTIONAL_STEPS',
  'DETOUR_AUDIENCE',
  'AUTHORIZE_AGAIN_AFTER_PASSWORD',
  'VERIFY_NEW_LOCATIONS',
  'VERIFY_MAX_AGE_DAYS',
  'KNOWN_LOCATIONS_MAX',
] as const;
export type PassThroughSecret = (typeof PASS_THROUGH_SECRETS)[number];

/** Auth0 post-login trigger versions the runtime emulates (runtime.ts says how they differ). */
export const TRIGGER_VERSIONS = ['v2', 'v3'] as const;
export type TriggerVersion = (typeof TRIGGER_VERSIONS)[number];
/** Auth0's current GA version, the one new Actions get. */
export const DEFAULT_TRIGGER_VERSION: TriggerVersion = 'v3';
export const isTriggerVersion = (value: unknown): value is TriggerVersion => (TRIGGER_VERSIONS as readonly unknown[]).includes(value);

export interface LocalTenantOptions {
  /** 0 picks a free port. Default 4010. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The sample application's port. Default `appPortFor(port)`; 0 picks a free port. */
  appPort?: number;
  /** The mail catcher's SMTP port (always on 127.0.0.1). Default `mailPortFor(port)`; 0 picks a free port. */
  mailPort?: number;
  /** Detour's public origin. Default http://127.0.0.1:3000. */
  detourUrl?: string;
  sessionTokenSecret?: string;
  clientId?: string;
  clientSecret?: string;
  termsVersion?: string;
  /** 'actions' runs integrations/auth0/post-login.js, 'rules' runs redirect-rule.js. */
  protocol?: 'actions' | 'rules';
  /** Post-login trigger version the Action runs on (actions only; POST /__reset may switch it). Default v3. */
  triggerVersion?: TriggerVersion;
  /** The Rule's SESSION_TOKEN_ISSUER (rules only). Default urn:detour:local-rule. */
  sessionTokenIssuer?: string;
  /** Action secret CLIENT_IDS (optional). */
  clientIds?: string;
  /**
   * Further Action secrets / Rule settings (see PASS_THROUGH_SECRETS). Defaults: TERMS_REACCEPT_FROM = termsVersion,
   * PROFILE_FIELDS and REQUIRED_PROFILE_FIELDS as DEFAULT_PROFILE_FIELDS / DEFAULT_REQUIRED_PROFILE_FIELDS,
   * VERIFY_NEW_LOCATIONS = DEFAULT_VERIFY_NEW_LOCATIONS; an
   * empty string removes a default.
   */
  secrets?: Partial<Record<PassThroughSecret, string>>;
  /** One line per request (method and path, never a query string or body). Default false. */
  log?: boolean;
}

/**
 * The sample application's default port: the tenant's + 1000 (dev: 4010 → 5010), so it stays clear of the ports the
 * e2e stacks give Detour and the tenants (E2E_PORT_BASE + 0…70 and + 1000…1070). A tenant on a free port (0) gets one too.
 */
export function appPortFor(tenantPort: number): number {
  return tenantPort === 0 ? 0 : tenantPort + 1000;
}

/**
 * The mail catcher's default SMTP port: the tenant's + 15 (dev: 4010 → 4025). The e2e stacks' tenants sit on
 * E2E_PORT_BASE + 1000, 1001, 1040 and 1060, so their catchers (+ 1015, 1016, 1055, 1075) land on no other server.
 * A tenant on a free port (0) gets one too.
 */
export function mailPortFor(tenantPort: number): number {
  return tenantPort === 0 ? 0 : tenantPort + 15;
}

export type ResolvedOptions = Required<Omit<LocalTenantOptions, 'clientIds' | 'secrets'>> & {
  clientIds?: string;
  /** Pass-through secrets with the defaults applied (empty ones removed). */
  secrets: Partial<Record<PassThroughSecret, string>>;
};

function withDefaults(termsVersion: string, given: LocalTenantOptions['secrets'] = {}): Partial<Record<PassThroughSecret, string>> {
  const merged: Partial<Record<PassThroughSecret, string>> = {
    TERMS_REACCEPT_FROM: termsVersion,
    PROFILE_FIELDS: DEFAULT_PROFILE_FIELDS,
    REQUIRED_PROFILE_FIELDS: DEFAULT_REQUIRED_PROFILE_FIELDS,
    VERIFY_NEW_LOCATIONS: DEFAULT_VERIFY_NEW_LOCATIONS,
  };
  for (const name of PASS_THROUGH_SECRETS) {
    const value = given[name];
    if (value === undefined) continue;
    if (value === '') delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

export function resolveOptions(options: LocalTenantOptions = {}): ResolvedOptions {
  const protocol = options.protocol ?? 'actions';
  if (protocol !== 'actions' && protocol !== 'rules') throw new Error(`PROTOCOL must be 'actions' or 'rules', got '${String(protocol)}'`);
  const port = options.port ?? 4010;
  const termsVersion = options.termsVersion ?? DEFAULT_TERMS_VERSION;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`LOCAL_TENANT_PORT is not a port number`);
  const appPort = options.appPort ?? appPortFor(port);
  if (!Number.isInteger(appPort) || appPort < 0 || appPort > 65535) throw new Error(`LOCAL_APP_PORT is not a port number`);
  const mailPort = options.mailPort ?? mailPortFor(port);
  if (!Number.isInteger(mailPort) || mailPort < 0 || mailPort > 65535) throw new Error(`LOCAL_TENANT_MAIL_PORT is not a port number`);
  const triggerVersion = options.triggerVersion ?? DEFAULT_TRIGGER_VERSION;
  if (!isTriggerVersion(triggerVersion)) {
    throw new Error(`LOCAL_TENANT_TRIGGER_VERSION must be ${TRIGGER_VERSIONS.map((v) => `'${v}'`).join(' or ')}, got '${String(triggerVersion)}'`);
  }
  return {
    port,
    host: options.host ?? '127.0.0.1',
    appPort,
    mailPort,
    detourUrl: (options.detourUrl ?? 'http://127.0.0.1:3000').replace(/\/+$/, ''),
    sessionTokenSecret: options.sessionTokenSecret ?? DEV_SESSION_TOKEN_SECRET,
    clientId: options.clientId ?? DEV_CLIENT_ID,
    clientSecret: options.clientSecret ?? DEV_CLIENT_SECRET,
    termsVersion,
    protocol,
    triggerVersion,
    sessionTokenIssuer: options.sessionTokenIssuer ?? 'urn:detour:local-rule',
    clientIds: options.clientIds,
    secrets: withDefaults(termsVersion, options.secrets),
    log: options.log ?? false,
  };
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): LocalTenantOptions {
  const value = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const port = value('LOCAL_TENANT_PORT');
  const appPort = value('LOCAL_APP_PORT');
  const mailPort = value('LOCAL_TENANT_MAIL_PORT');
  return {
    port: port === undefined ? undefined : Number(port),
    host: value('LOCAL_TENANT_HOST'),
    appPort: appPort === undefined ? undefined : Number(appPort),
    mailPort: mailPort === undefined ? undefined : Number(mailPort),
    detourUrl: value('DETOUR_URL'),
    sessionTokenSecret: value('SESSION_TOKEN_SECRET'),
    clientId: value('AUTH0_CLIENT_ID'),
    clientSecret: value('AUTH0_CLIENT_SECRET'),
    termsVersion: value('TERMS_VERSION'),
    protocol: value('PROTOCOL') as LocalTenantOptions['protocol'],
    // Unchecked here: resolveOptions refuses a bad value with the variable's name.
    triggerVersion: value('LOCAL_TENANT_TRIGGER_VERSION') as TriggerVersion | undefined,
    sessionTokenIssuer: value('SESSION_TOKEN_ISSUER'),
    clientIds: value('CLIENT_IDS'),
    // Here an empty variable keeps the default: the environment cannot tell "unset" from "empty" reliably.
    secrets: Object.fromEntries(PASS_THROUGH_SECRETS.flatMap((name) => (value(name) === undefined ? [] : [[name, value(name)!]]))),
    log: value('LOCAL_TENANT_LOG') !== '0',
  };
}
