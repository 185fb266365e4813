import 'server-only';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describeIssues } from './issues';
import { ConfigError } from './env';
import { stepSettings } from '../steps/registry';
import { stepsFileSchemaFor, type StepsFile } from './steps-file';

/**
 * Reads and checks the steps file: its shape, then each step's own checks (files it names, relative to the root;
 * settings it needs from the environment).
 */
export function loadStepsFile(filePath: string, root: string = process.cwd(), env: Record<string, string | undefined> = process.env): StepsFile {
  const absolute = path.resolve(root, filePath);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(/*turbopackIgnore: true*/ absolute, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new ConfigError([`DETOUR_CONFIG (${filePath}) ${reason}`]);
  }
  const sections = stepSettings();
  const parsed = stepsFileSchemaFor(sections).safeParse(json);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues, `DETOUR_CONFIG ${filePath}: `));
  const steps = parsed.data as StepsFile;
  // What a schema cannot say (a document that must exist), each step for its own section.
  const problems = Object.entries(sections).flatMap(([id, settings]) =>
    steps[id] === undefined || !settings.check ? [] : settings.check(steps[id], { root, defaultLocale: steps.locales.default, env }),
  );
  if (problems.length > 0) throw new ConfigError(problems.map((problem) => `DETOUR_CONFIG ${filePath}: ${problem}`));
  return steps;
}
