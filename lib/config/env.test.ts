import { describe, expect, it } from 'vitest';
import { ConfigError, deriveFlowCookieKey, parseEnv, type EnvConfig } from './env';

const SECRET = 'current-session-token-secret-0123456789';
const PREVIOUS = 'previous-session-token-secret-987654321';
const CLIENT_SECRET = 'm2m-client-secret-do-not-print-4711';

const validEnv: Record<string, string | undefined> = {
  APP_BASE_URL: 'https://detour.example.com',
  AUTH0_DOMAIN: 'tenant.eu.auth0.com',
  AUTH0_CLIENT_ID: 'client-id-123',
  AUTH0_CLIENT_SECRET: CLIENT_SECRET,
  SESSION_TOKEN_SECRET: SECRET,
};

const env = (overrides: Record<string, string | undefined> = {}) => ({ ...validEnv, ...overrides });
const utf8 = (value: string) => new TextEncoder().encode(value);

function configErrorOf(source: Record<string, string | undefined>): ConfigError {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('parseEnv accepted an environment it should refuse');
}

const problemFor = (error: ConfigError, variable: string) => error.problems.filter((p) => p.startsWith(`${variable}:`));

describe('parseEnv with a valid environment', () => {
  it('applies the documented defaults', () => {
    const config = parseEnv(env());
    expect(config).toMatchObject({
      appBaseUrl: 'https://detour.example.com',
      protocol: 'actions',
      tenant: { origin: 'https://tenant.eu.auth0.com', host: 'tenant.eu.auth0.com', loopbackHttp: false },
      customDomain: null,
      clientId: 'client-id-123',
      clientSecret: CLIENT_SECRET,
      sessionTokenAudience: 'https://detour.example.com',
      rulesIssuer: null,
      sessionTokenMaxAge: 900,
      returnTokenAudience: null,
      databaseUrl: 'file:./data/detour.sqlite',
      redisUrl: null,
      stepsFilePath: './detour.config.json',
      loginRestartUrl: null,
    });
    expect(config.issuerAllowList).toEqual([config.tenant]);
    expect(config.sessionTokenSecrets).toEqual([utf8(SECRET)]);
    expect(config.flowCookieKey).toEqual(deriveFlowCookieKey(SECRET));
  });

  it('reads every optional variable when set', () => {
    const config = parseEnv(
      env({
        AUTH0_DOMAIN: 'http://127.0.0.1:4010',
        REDIRECT_PROTOCOL: 'rules',
        SESSION_TOKEN_ISSUER: 'urn:detour:rule',
        SESSION_TOKEN_AUDIENCE: 'urn:detour',
        SESSION_TOKEN_MAX_AGE: '300',
        RETURN_TOKEN_AUDIENCE: 'urn:auth0:continue',
        DATABASE_URL: 'postgres://db.internal/detour',
        REDIS_URL: 'rediss://cache.internal:6380',
        DETOUR_CONFIG: './other.config.json',
        LOGIN_RESTART_URL: 'https://app.example.com/login',
      }),
    );
    expect(config).toMatchObject({
      protocol: 'rules',
      tenant: { origin: 'http://127.0.0.1:4010', host: '127.0.0.1:4010', loopbackHttp: true },
      rulesIssuer: 'urn:detour:rule',
      sessionTokenAudience: 'urn:detour',
      sessionTokenMaxAge: 300,
      returnTokenAudience: 'urn:auth0:continue',
      databaseUrl: 'postgres://db.internal/detour',
      redisUrl: 'rediss://cache.internal:6380',
      stepsFilePath: './other.config.json',
      loginRestartUrl: 'https://app.example.com/login',
    });
  });

  it('accepts http:// only for a loopback APP_BASE_URL and keeps the origin without a trailing slash', () => {
    expect(parseEnv(env({ APP_BASE_URL: 'http://127.0.0.1:3000/' })).appBaseUrl).toBe('http://127.0.0.1:3000');
    expect(parseEnv(env({ APP_BASE_URL: 'http://localhost:3000' })).appBaseUrl).toBe('http://localhost:3000');
  });

  it.each([
    ['AUTH0_CUSTOM_DOMAIN', (c: EnvConfig) => c.customDomain, null],
    ['SESSION_TOKEN_SECRET_PREVIOUS', (c: EnvConfig) => c.sessionTokenSecrets.length, 1],
    ['SESSION_TOKEN_AUDIENCE', (c: EnvConfig) => c.sessionTokenAudience, 'https://detour.example.com'],
    ['SESSION_TOKEN_MAX_AGE', (c: EnvConfig) => c.sessionTokenMaxAge, 900],
    ['REDIRECT_PROTOCOL', (c: EnvConfig) => c.protocol, 'actions'],
    ['FLOW_COOKIE_SECRET', (c: EnvConfig) => Buffer.from(c.flowCookieKey).toString('hex'), Buffer.from(deriveFlowCookieKey(SECRET)).toString('hex')],
    ['RETURN_TOKEN_AUDIENCE', (c: EnvConfig) => c.returnTokenAudience, null],
    ['DATABASE_URL', (c: EnvConfig) => c.databaseUrl, 'file:./data/detour.sqlite'],
    ['REDIS_URL', (c: EnvConfig) => c.redisUrl, null],
    ['DETOUR_CONFIG', (c: EnvConfig) => c.stepsFilePath, './detour.config.json'],
    ['LOGIN_RESTART_URL', (c: EnvConfig) => c.loginRestartUrl, null],
    ['METRICS_TOKEN', (c: EnvConfig) => c.metricsToken, null],
  ])('a blank %s counts as unset', (variable, read, expected) => {
    for (const blank of ['', '   ']) {
      expect(read(parseEnv(env({ [variable]: blank })))).toEqual(expected);
    }
  });

  it('adds SESSION_TOKEN_SECRET_PREVIOUS as a second verification secret after the current one', () => {
    const config = parseEnv(env({ SESSION_TOKEN_SECRET_PREVIOUS: PREVIOUS }));
    expect(config.sessionTokenSecrets).toEqual([utf8(SECRET), utf8(PREVIOUS)]);
    // The flow cookie key still comes from the current secret only.
    expect(config.flowCookieKey).toEqual(deriveFlowCookieKey(SECRET));
  });

  it('puts the custom domain on the issuer allow-list after the tenant domain', () => {
    const config = parseEnv(env({ AUTH0_CUSTOM_DOMAIN: 'https://login.example.com/' }));
    expect(config.customDomain).toEqual({ origin: 'https://login.example.com', host: 'login.example.com', loopbackHttp: false });
    expect(config.issuerAllowList.map((entry) => entry.host)).toEqual(['tenant.eu.auth0.com', 'login.example.com']);
  });

  it('derives the flow cookie key from FLOW_COOKIE_SECRET when it is set', () => {
    const withOwnSecret = parseEnv(env({ FLOW_COOKIE_SECRET: 'flow-cookie-secret-shared-by-instances-01' }));
    const withDerived = parseEnv(env());
    expect(withOwnSecret.flowCookieKey).toHaveLength(32);
    expect(withOwnSecret.flowCookieKey).not.toEqual(withDerived.flowCookieKey);
    // Instances sharing FLOW_COOKIE_SECRET but not SESSION_TOKEN_SECRET still agree on the key.
    const otherTokenSecret = parseEnv(env({ SESSION_TOKEN_SECRET: PREVIOUS, FLOW_COOKIE_SECRET: 'flow-cookie-secret-shared-by-instances-01' }));
    expect(otherTokenSecret.flowCookieKey).toEqual(withOwnSecret.flowCookieKey);
  });

  it('keeps /api/metrics off without METRICS_TOKEN and reads it when set', () => {
    expect(parseEnv(env()).metricsToken).toBeNull();
    const token = 'metrics-bearer-token-0123456789abcdef';
    expect(parseEnv(env({ METRICS_TOKEN: token })).metricsToken).toBe(token);
  });

  it.each([
    ['shorter than 32 bytes', 'short-metrics-token'],
    ['with a space', 'metrics bearer token 0123456789abcdef'],
  ])('refuses a METRICS_TOKEN %s without printing it', (_, token) => {
    const error = configErrorOf(env({ METRICS_TOKEN: token }));
    expect(problemFor(error, 'METRICS_TOKEN')).toHaveLength(1);
    expect(error.message).not.toContain(token);
  });

  it('counts bytes, not characters, for the 32-byte secret minimum', () => {
    // 16 two-byte characters are 32 bytes of UTF-8.
    expect(parseEnv(env({ SESSION_TOKEN_SECRET: 'é'.repeat(16) })).sessionTokenSecrets[0]).toHaveLength(32);
    expect(problemFor(configErrorOf(env({ SESSION_TOKEN_SECRET: 'x'.repeat(31) })), 'SESSION_TOKEN_SECRET')).toHaveLength(1);
  });
});

describe('parseEnv with a bad environment', () => {
  it('names every missing or bad variable in one ConfigError', () => {
    const error = configErrorOf({
      AUTH0_DOMAIN: 'http://tenant.example.com',
      AUTH0_CLIENT_ID: 'client-id-123',
      AUTH0_CLIENT_SECRET: CLIENT_SECRET,
      SESSION_TOKEN_SECRET: 'short-secret-of-31-bytes-000000',
      REDIRECT_PROTOCOL: 'saml',
      DATABASE_URL: 'mysql://detour:db-password-hunter2@db.internal/detour',
    });
    const variables = error.problems.map((p) => p.slice(0, p.indexOf(':')));
    expect(new Set(variables)).toEqual(new Set(['APP_BASE_URL', 'AUTH0_DOMAIN', 'SESSION_TOKEN_SECRET', 'REDIRECT_PROTOCOL', 'DATABASE_URL']));
    expect(problemFor(error, 'AUTH0_DOMAIN')[0]).toMatch(/http:\/\/ only for a loopback host/);
    expect(problemFor(error, 'SESSION_TOKEN_SECRET')[0]).toMatch(/at least 32 bytes/);
    for (const problem of error.problems) expect(error.message).toContain(problem);
  });

  it('reports a rules protocol without SESSION_TOKEN_ISSUER alongside the other problems', () => {
    const error = configErrorOf(
      env({
        APP_BASE_URL: 'https://detour.example.com/detour',
        SESSION_TOKEN_SECRET: 'short-secret-of-31-bytes-000000',
        REDIRECT_PROTOCOL: 'rules',
      }),
    );
    expect(problemFor(error, 'APP_BASE_URL')[0]).toMatch(/origin only/);
    expect(problemFor(error, 'SESSION_TOKEN_SECRET')).toHaveLength(1);
    expect(problemFor(error, 'SESSION_TOKEN_ISSUER')[0]).toMatch(/REDIRECT_PROTOCOL=rules/);
  });

  it.each([
    ['missing APP_BASE_URL', { APP_BASE_URL: undefined }, 'APP_BASE_URL'],
    ['APP_BASE_URL with a path', { APP_BASE_URL: 'https://detour.example.com/app' }, 'APP_BASE_URL'],
    ['APP_BASE_URL with a query', { APP_BASE_URL: 'https://detour.example.com/?x=1' }, 'APP_BASE_URL'],
    ['APP_BASE_URL over http outside loopback', { APP_BASE_URL: 'http://detour.example.com' }, 'APP_BASE_URL'],
    ['missing AUTH0_DOMAIN', { AUTH0_DOMAIN: undefined }, 'AUTH0_DOMAIN'],
    ['AUTH0_DOMAIN over http outside loopback', { AUTH0_DOMAIN: 'http://tenant.example.com' }, 'AUTH0_DOMAIN'],
    ['AUTH0_DOMAIN with a path', { AUTH0_DOMAIN: 'https://tenant.example.com/x' }, 'AUTH0_DOMAIN'],
    ['AUTH0_CUSTOM_DOMAIN over ftp', { AUTH0_CUSTOM_DOMAIN: 'ftp://login.example.com' }, 'AUTH0_CUSTOM_DOMAIN'],
    ['empty AUTH0_CLIENT_ID', { AUTH0_CLIENT_ID: '' }, 'AUTH0_CLIENT_ID'],
    ['missing AUTH0_CLIENT_SECRET', { AUTH0_CLIENT_SECRET: undefined }, 'AUTH0_CLIENT_SECRET'],
    ['missing SESSION_TOKEN_SECRET', { SESSION_TOKEN_SECRET: undefined }, 'SESSION_TOKEN_SECRET'],
    ['SESSION_TOKEN_SECRET of 31 bytes', { SESSION_TOKEN_SECRET: 'x'.repeat(31) }, 'SESSION_TOKEN_SECRET'],
    ['short SESSION_TOKEN_SECRET_PREVIOUS', { SESSION_TOKEN_SECRET_PREVIOUS: 'too-short' }, 'SESSION_TOKEN_SECRET_PREVIOUS'],
    ['short FLOW_COOKIE_SECRET', { FLOW_COOKIE_SECRET: 'too-short' }, 'FLOW_COOKIE_SECRET'],
    ['REDIRECT_PROTOCOL=saml', { REDIRECT_PROTOCOL: 'saml' }, 'REDIRECT_PROTOCOL'],
    ['rules without SESSION_TOKEN_ISSUER', { REDIRECT_PROTOCOL: 'rules' }, 'SESSION_TOKEN_ISSUER'],
    ['rules with a blank SESSION_TOKEN_ISSUER', { REDIRECT_PROTOCOL: 'rules', SESSION_TOKEN_ISSUER: ' ' }, 'SESSION_TOKEN_ISSUER'],
    ['rules with an over-long SESSION_TOKEN_ISSUER', { REDIRECT_PROTOCOL: 'rules', SESSION_TOKEN_ISSUER: 'u'.repeat(2049) }, 'SESSION_TOKEN_ISSUER'],
    ['SESSION_TOKEN_MAX_AGE not a number', { SESSION_TOKEN_MAX_AGE: 'soon' }, 'SESSION_TOKEN_MAX_AGE'],
    ['SESSION_TOKEN_MAX_AGE over a day', { SESSION_TOKEN_MAX_AGE: '86401' }, 'SESSION_TOKEN_MAX_AGE'],
    ['DATABASE_URL for mysql', { DATABASE_URL: 'mysql://u:p@db/detour' }, 'DATABASE_URL'],
    ['REDIS_URL over http', { REDIS_URL: 'http://cache.internal' }, 'REDIS_URL'],
  ])('%s is named as %s', (_, overrides, variable) => {
    const error = configErrorOf(env(overrides));
    expect(error.problems).toHaveLength(1);
    expect(problemFor(error, variable)).toHaveLength(1);
    expect(error.message).toContain(variable);
  });

  it('never prints a secret value it was given', () => {
    const secrets = {
      AUTH0_CLIENT_SECRET: CLIENT_SECRET,
      SESSION_TOKEN_SECRET: 'leaky-current-secret-31-bytes!!',
      SESSION_TOKEN_SECRET_PREVIOUS: 'leaky-previous',
      FLOW_COOKIE_SECRET: 'leaky-flow-cookie',
      DATABASE_URL: 'mysql://detour:db-password-hunter2@db.internal/detour',
      REDIS_URL: 'http://:redis-password-swordfish@cache.internal',
    };
    const error = configErrorOf({ ...secrets, APP_BASE_URL: 'https://detour.example.com/with/path', AUTH0_DOMAIN: 'http://tenant.example.com' });
    expect(error.problems.length).toBeGreaterThanOrEqual(7);
    for (const value of [...Object.values(secrets), 'db-password-hunter2', 'redis-password-swordfish']) {
      expect(error.message).not.toContain(value);
      for (const problem of error.problems) expect(problem).not.toContain(value);
    }
  });
});

describe('deriveFlowCookieKey', () => {
  it('gives 32 bytes, the same for the same secret, unlike the raw secret and other secrets', () => {
    const key = deriveFlowCookieKey(SECRET);
    expect(key).toBeInstanceOf(Uint8Array);
    expect(key).toHaveLength(32);
    expect(deriveFlowCookieKey(SECRET)).toEqual(key);
    expect(Buffer.from(key).equals(Buffer.from(SECRET).subarray(0, 32))).toBe(false);
    expect(Buffer.from(key).includes(Buffer.from(SECRET.slice(0, 8)))).toBe(false);
    expect(deriveFlowCookieKey(PREVIOUS)).not.toEqual(key);
  });
});
