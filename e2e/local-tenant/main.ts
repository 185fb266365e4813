// Entry point: `node --import tsx e2e/local-tenant/main.ts` (configuration from the environment; see README.md).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { optionsFromEnv, resolveOptions } from './config';
import { startLocalTenant } from './server';

export { startLocalTenant, type LocalTenant } from './server';
export {
  DEFAULT_TERMS_VERSION,
  DEV_APP_CLIENT_ID,
  DEV_APP_CLIENT_SECRET,
  DEV_CLIENT_ID,
  DEV_CLIENT_SECRET,
  DEV_SESSION_TOKEN_SECRET,
  type LocalTenantOptions,
} from './config';
export { DATABASE_CONNECTION, SEED_PASSWORD } from './users';

async function main(): Promise<void> {
  const options = resolveOptions(optionsFromEnv());
  const tenant = await startLocalTenant(options);
  console.log(
    `Local tenant on ${tenant.url} (AUTH0_DOMAIN=${tenant.url}), protocol ${options.protocol}${options.protocol === 'actions' ? ` (trigger ${options.triggerVersion})` : ''}, Detour at ${options.detourUrl}, terms ${options.termsVersion}`,
  );
  console.log(`Sample application on ${tenant.appUrl}: start a login there (it ends there too).`);
  console.log(`Mail catcher on ${tenant.mailUrl} (Detour's SMTP_URL): what it catches is at ${tenant.mailboxUrl}`);
  const stop = () => void tenant.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`local tenant: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
