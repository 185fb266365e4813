import 'server-only';
import { ConfigError, parseEnv, type EnvConfig } from './env';
import { loadStepsFile } from './load-steps-file';
import type { StepsFile } from './steps-file';

export interface DetourConfig extends EnvConfig {
  steps: StepsFile;
}

let cached: DetourConfig | undefined;

/** Parses the environment and the steps file once per process; throws one ConfigError naming every problem. */
export function getConfig(): DetourConfig {
  if (cached) return cached;
  const problems: string[] = [];
  let env: EnvConfig | undefined;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  let steps: StepsFile | undefined;
  try {
    steps = loadStepsFile(env?.stepsFilePath ?? process.env.DETOUR_CONFIG ?? './detour.config.json');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || !env || !steps) throw new ConfigError(problems);
  cached = { ...env, steps };
  return cached;
}

export { ConfigError } from './env';
export type { StepsFile } from './steps-file';
