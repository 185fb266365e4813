/**
 * `npm run dev`: the whole flow on this machine with embedded defaults — the local tenant (plays Auth0, and starts a
 * sample application on its own origin) and Detour (`next dev`), wired together. Open the printed URL (the sample
 * application), sign in, pick a user: the login goes through Detour and ends back on the application.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { detourEnv, mailboxUrl, sampleAppUrl, tenantEnv, type StackInstance } from '../e2e/stack';

const instance: StackInstance = {
  protocol: process.env.REDIRECT_PROTOCOL === 'rules' ? 'rules' : 'actions',
  tenantPort: Number(process.env.LOCAL_TENANT_PORT ?? 4010),
  detourPort: Number(process.env.PORT ?? 3000),
  appPort: process.env.LOCAL_APP_PORT ? Number(process.env.LOCAL_APP_PORT) : undefined,
  mailPort: process.env.LOCAL_TENANT_MAIL_PORT ? Number(process.env.LOCAL_TENANT_MAIL_PORT) : undefined,
};
// Detour mails the verify step's codes to the tenant's catcher, unless SMTP_URL / MAIL_FROM are set here.
const detour = detourEnv(instance, './data/dev.sqlite');
for (const name of ['SMTP_URL', 'MAIL_FROM']) if (process.env[name]) delete detour[name];

const children: ChildProcess[] = [];
function run(name: string, command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, { env: { NEXT_TELEMETRY_DISABLED: '1', ...process.env, ...env }, stdio: 'inherit' });
  child.on('exit', (code) => {
    console.error(`[dev] ${name} exited (${code ?? 'signal'}); stopping.`);
    shutdown(code ?? 1);
  });
  children.push(child);
}

function shutdown(code: number) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

run('step assets', process.execPath, ['--import', 'tsx', 'scripts/build-assets.mts', '--watch'], {});
run('local tenant', process.execPath, ['--import', 'tsx', 'e2e/local-tenant/main.ts'], tenantEnv(instance));
run('detour', process.execPath, ['node_modules/next/dist/bin/next', 'dev', '-H', '127.0.0.1', '-p', String(instance.detourPort)], detour);

setTimeout(() => {
  console.log(`\n  Detour is running. Open the sample application ${sampleAppUrl(instance)}/ and sign in: pick a user on the tenant's login page, walk the flow, and it ends back on the application.`);
  console.log(`  The codes Detour mails (verify it's you) land in the tenant's mailbox: ${mailboxUrl(instance)}\n`);
}, 3000);
