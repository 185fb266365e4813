import 'server-only';
import { hkdfSync } from 'node:crypto';
import { z } from 'zod';
import { parseAllowListEntry, type AllowListEntry } from '../tokens/issuer-allow-list';
import { describeIssues } from './issues';

const MIN_SECRET_BYTES = 32;
const byteLength = (value: string) => Buffer.byteLength(value, 'utf8');
const secret = (name: string) =>
  z.string().refine((v) => byteLength(v) >= MIN_SECRET_BYTES, `${name} must be at least ${MIN_SECRET_BYTES} bytes`);
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

const origin = z.url({ protocol: /^https?$/ }).transform((value, ctx) => {
  const url = new URL(value);
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    ctx.addIssue({ code: 'custom', message: 'must be an origin only (scheme, host and port; no path or query)' });
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    ctx.addIssue({ code: 'custom', message: 'http:// is only allowed for loopback hosts; use https://' });
  }
  return url.origin;
});

const tenantDomain = z.string().transform((value, ctx): AllowListEntry => {
  try {
    return parseAllowListEntry(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'is not a valid domain' });
    return z.NEVER;
  }
});

export const envSchema = z
  .object({
    APP_BASE_URL: origin,
    AUTH0_DOMAIN: tenantDomain,
    AUTH0_CUSTOM_DOMAIN: optional(tenantDomain),
    AUTH0_CLIENT_ID: z.string().min(1, 'AUTH0_CLIENT_ID is required'),
    AUTH0_CLIENT_SECRET: z.string().min(1, 'AUTH0_CLIENT_SECRET is required'),
    SESSION_TOKEN_SECRET: secret('SESSION_TOKEN_SECRET'),
    SESSION_TOKEN_SECRET_PREVIOUS: optional(secret('SESSION_TOKEN_SECRET_PREVIOUS')),
    SESSION_TOKEN_AUDIENCE: optional(z.string().min(1).max(2048)),
    SESSION_TOKEN_ISSUER: optional(z.string().min(1).max(2048)),
    SESSION_TOKEN_MAX_AGE: z.preprocess(blankToUndefined, z.coerce.number().int().min(30).max(86_400).default(900)),
    REDIRECT_PROTOCOL: z.preprocess(blankToUndefined, z.enum(['actions', 'rules']).default('actions')),
    FLOW_COOKIE_SECRET: optional(secret('FLOW_COOKIE_SECRET')),
    RETURN_TOKEN_AUDIENCE: optional(z.string().min(1).max(2048)),
    DATABASE_URL: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, 'must be file:<path> (SQLite) or postgres://…')
        .default('file:./data/detour.sqlite'),
    ),
    REDIS_URL: optional(z.url({ protocol: /^rediss?$/ })),
    DETOUR_CONFIG: z.preprocess(blankToUndefined, z.string().default('./detour.config.json')),
    LOGIN_RESTART_URL: optional(z.url({ protocol: /^https?$/ })),
    // Unset, /api/metrics answers 404; set, it answers only `Authorization: Bearer <METRICS_TOKEN>`.
    METRICS_TOKEN: optional(secret('METRICS_TOKEN').refine((v) => /^[\x21-\x7e]+$/.test(v), 'METRICS_TOKEN must be printable ASCII without spaces')),
  })
  .superRefine(
    (env, ctx) => {
      if (env.REDIRECT_PROTOCOL === 'rules' && !env.SESSION_TOKEN_ISSUER) {
        ctx.addIssue({ code: 'custom', path: ['SESSION_TOKEN_ISSUER'], message: 'is required when REDIRECT_PROTOCOL=rules' });
      }
    },
    // zod skips an object's refinements once any field has failed; run this one anyway so the one
    // ConfigError names every problem (DESIGN "Configuration"). Only plain equality checks on the values.
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );

export interface EnvConfig {
  appBaseUrl: string;
  protocol: 'actions' | 'rules';
  tenant: AllowListEntry;
  customDomain: AllowListEntry | null;
  /** Entries an `iss` may match (actions): the canonical domain, then the custom domain. */
  issuerAllowList: AllowListEntry[];
  clientId: string;
  clientSecret: string;
  /** Current secret first; the previous one verifies only. */
  sessionTokenSecrets: Uint8Array[];
  sessionTokenAudience: string;
  rulesIssuer: string | null;
  sessionTokenMaxAge: number;
  flowCookieKey: Uint8Array;
  returnTokenAudience: string | null;
  databaseUrl: string;
  redisUrl: string | null;
  stepsFilePath: string;
  loginRestartUrl: string | null;
  /** Bearer token for /api/metrics; null keeps the endpoint off. */
  metricsToken: string | null;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Detour cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const encoder = new TextEncoder();

/** A key of its own for the flow cookie, so the token secret is never used for two purposes. */
export function deriveFlowCookieKey(sessionTokenSecret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', sessionTokenSecret, 'detour', 'detour flow cookie v1', 32));
}

export function parseEnv(source: Record<string, string | undefined>): EnvConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues));
  const env = parsed.data;
  const customDomain = env.AUTH0_CUSTOM_DOMAIN ?? null;
  return {
    appBaseUrl: env.APP_BASE_URL,
    protocol: env.REDIRECT_PROTOCOL,
    tenant: env.AUTH0_DOMAIN,
    customDomain,
    issuerAllowList: customDomain ? [env.AUTH0_DOMAIN, customDomain] : [env.AUTH0_DOMAIN],
    clientId: env.AUTH0_CLIENT_ID,
    clientSecret: env.AUTH0_CLIENT_SECRET,
    sessionTokenSecrets: [env.SESSION_TOKEN_SECRET, env.SESSION_TOKEN_SECRET_PREVIOUS]
      .filter((s): s is string => typeof s === 'string')
      .map((s) => encoder.encode(s)),
    sessionTokenAudience: env.SESSION_TOKEN_AUDIENCE ?? env.APP_BASE_URL,
    rulesIssuer: env.SESSION_TOKEN_ISSUER ?? null,
    sessionTokenMaxAge: env.SESSION_TOKEN_MAX_AGE,
    flowCookieKey: env.FLOW_COOKIE_SECRET
      ? new Uint8Array(hkdfSync('sha256', env.FLOW_COOKIE_SECRET, 'detour', 'detour flow cookie v1', 32))
      : deriveFlowCookieKey(env.SESSION_TOKEN_SECRET),
    returnTokenAudience: env.RETURN_TOKEN_AUDIENCE ?? null,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL ?? null,
    stepsFilePath: env.DETOUR_CONFIG,
    loginRestartUrl: env.LOGIN_RESTART_URL ?? null,
    metricsToken: env.METRICS_TOKEN ?? null,
  };
}
