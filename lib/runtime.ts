import 'server-only';
import { createManagementApi, type ManagementApi } from './auth0';
import { getConfig } from './config';
import { logger } from './log';
import { observedFetch, observedManagementLogger } from './metrics/management-api';
import { instrumentStores, storeBackends } from './metrics/stores';
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
  runtime.stores ??= openStores(config.databaseUrl, { redisUrl: config.redisUrl }).then(
    (stores) => instrumentStores(stores, storeBackends(config.databaseUrl, config.redisUrl)),
    (error: unknown) => {
      runtime.stores = undefined;
      throw error;
    },
  );
  return runtime.stores;
}

export function getManagementApi(): ManagementApi {
  if (!runtime.managementApi) {
    const config = getConfig();
    runtime.managementApi = createManagementApi({
      origin: config.tenant.origin,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      // Both are where the client's events happen: each HTTP attempt, and each call's outcome (lib/metrics).
      fetch: observedFetch(),
      logger: observedManagementLogger(logger.child({ component: 'management_api' })),
    });
  }
  return runtime.managementApi;
}
