import 'server-only';
import { ConfigError, getConfig } from './config';
import { registerKnownSteps } from './metrics/flow-events';
import { getStores } from './runtime';
import { knownStepIds } from './steps/registry';

/**
 * A bad environment or steps file stops the process with one message naming every problem; the embedded
 * database is created or migrated before the first request.
 */
export async function startDetour(): Promise<void> {
  try {
    getConfig();
    registerKnownSteps(knownStepIds());
    await getStores();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `Detour cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
