import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { detourEnv, detourServerArgs, type StackInstance } from './stack';

const portBase = Number(process.env.E2E_PORT_BASE ?? 3110);
const instance: StackInstance = { protocol: 'rules', tenantPort: portBase + 1089, detourPort: portBase + 89 };

/** Starts the production build with the given environment and collects what it prints until it exits. */
function startDetour(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, detourServerArgs(), { env: childEnv });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Detour did not stop on a bad configuration; it printed:\n${output}`));
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test('a bad configuration stops the server with one message naming every problem and no secret', async () => {
  const shortSecret = 'too-short-secret-value';
  const clientSecret = 'client-secret-that-must-never-be-printed';
  const env = {
    ...detourEnv(instance, './data/e2e-startup-never-created.sqlite'),
    SESSION_TOKEN_SECRET: shortSecret,
    AUTH0_CLIENT_SECRET: clientSecret,
    AUTH0_CLIENT_ID: undefined,
    SESSION_TOKEN_ISSUER: undefined,
    APP_BASE_URL: 'http://detour.example.com',
  };
  const { code, output } = await startDetour(env);
  expect(code).toBe(1);
  expect(output).toContain('Detour cannot start');
  for (const name of ['SESSION_TOKEN_SECRET', 'AUTH0_CLIENT_ID', 'SESSION_TOKEN_ISSUER', 'APP_BASE_URL']) expect(output).toContain(name);
  expect(output).not.toContain(shortSecret);
  expect(output).not.toContain(clientSecret);
});

test('a steps file that offers the verify step stops the server without SMTP, naming what is missing and no password', async () => {
  const { code, output } = await startDetour({
    ...detourEnv(instance, './data/e2e-startup-never-created.sqlite'),
    SMTP_URL: undefined,
    MAIL_FROM: undefined,
  });
  expect(code).toBe(1);
  expect(output).toContain('Detour cannot start');
  expect(output).toContain('verify: the step sends its codes by email, but SMTP_URL is not set');
  expect(output).toContain('MAIL_FROM is not set');

  const withPassword = await startDetour({
    ...detourEnv(instance, './data/e2e-startup-never-created.sqlite'),
    SMTP_URL: 'http://mailer:hunter2-smtp-password@mail.example.com',
  });
  expect(withPassword.code).toBe(1);
  expect(withPassword.output).toContain('SMTP_URL must be an smtp:// or smtps:// URL');
  expect(withPassword.output).not.toContain('hunter2-smtp-password');
});
