import 'server-only';
import { createManagementApi, type ManagementApi } from './auth0';
import { getConfig } from './config';
import { logger } from './log';
import { openStores, type Stores } from './store';

/**
 * Process-wide singletons, opened once at start-up (instrumentation.ts) and reused by every request.
 * Kept on globalThis so `next dev` reloads do not open a second database handle.
 */
interface Runtime {
  stores?: Promise<Stores>;
  managementApi?: ManagementApi;
}
const runtime = ((globalThis as { __detour?: Runtime }).__detour ??= {});

export function getStores(): Promise<Stores> {
  const config = getConfig();
  runtime.stores ??= openStores(config.databaseUrl, { redisUrl: config.redisUrl }).catch((error: unknown) => {
    runtime.stores = undefined;
    throw error;
  });
  return runtime.stores;
}

export function getManagementApi(): ManagementApi {
  if (!runtime.managementApi) {
    const config = getConfig();
    runtime.managementApi = createManagementApi({
      origin: config.tenant.origin,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      logger: logger.child({ component: 'management_api' }),
    });
  }
  return runtime.managementApi;
}
