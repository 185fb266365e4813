import 'server-only';
import { getManagementApi, getStores } from './runtime';

type Check = 'ok' | 'failing';

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: { database: Check; management_api_token: Check };
}

async function probe(run: () => Promise<unknown>): Promise<Check> {
  try {
    await run();
    return 'ok';
  } catch {
    return 'failing';
  }
}

export async function checkReadiness(): Promise<ReadinessReport> {
  const [database, managementApiToken] = await Promise.all([
    probe(async () => (await getStores()).ping()),
    probe(() => getManagementApi().checkTokenEndpoint()),
  ]);
  return {
    status: database === 'ok' && managementApiToken === 'ok' ? 'ready' : 'not_ready',
    checks: { database, management_api_token: managementApiToken },
  };
}
