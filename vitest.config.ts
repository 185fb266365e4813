import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      // `server-only` throws outside React's server condition; unit tests run lib/ code directly.
      'server-only': fileURLToPath(new URL('./lib/testing/server-only-stub.ts', import.meta.url)),
      '@': fileURLToPath(new URL('./', import.meta.url)),
    },
  },
  test: {
    include: ['lib/**/*.test.ts', 'lib/**/*.test.tsx', 'components/**/*.test.tsx', 'integrations/**/*.test.ts', 'e2e/local-tenant/**/*.test.ts', 'e2e/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Log lines and console output only for the tests that fail (lib/testing/logs-through-console.ts).
    setupFiles: ['lib/testing/logs-through-console.ts'],
    silent: 'passed-only',
    // The shipped steps file offers the verify step, which needs mail settings; nothing is sent to this address
    // (tests that send start their own catcher).
    env: { SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'Example <no-reply@detour.localhost>' },
  },
});
