import { vi } from 'vitest';

export const TEST_APP_BASE_URL = 'https://detour.example.com';

/**
 * A valid environment for tests that load the real configuration (`getConfig`) with the repository's steps file.
 * Call it before the first `getConfig()`: the configuration is parsed once per process.
 */
export function stubDetourEnv(extra: Record<string, string> = {}): void {
  const env: Record<string, string> = {
    APP_BASE_URL: TEST_APP_BASE_URL,
    AUTH0_DOMAIN: 'tenant.eu.auth0.com',
    AUTH0_CLIENT_ID: 'client-id-123',
    AUTH0_CLIENT_SECRET: 'm2m-client-secret-0123456789',
    SESSION_TOKEN_SECRET: 'current-session-token-secret-0123456789',
    DETOUR_CONFIG: './detour.config.json',
    SMTP_URL: 'smtp://127.0.0.1:9',
    MAIL_FROM: 'Example <no-reply@detour.localhost>',
    ...extra,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}
