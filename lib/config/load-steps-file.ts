import 'server-only';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describeIssues } from './issues';
import { ConfigError } from './env';
import { stepsFileSchema, type StepsFile } from './steps-file';

/** Reads and checks the steps file; every terms document it names must exist, relative to the project root. */
export function loadStepsFile(filePath: string, root: string = process.cwd()): StepsFile {
  const absolute = path.resolve(root, filePath);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(/*turbopackIgnore: true*/ absolute, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new ConfigError([`DETOUR_CONFIG (${filePath}) ${reason}`]);
  }
  const parsed = stepsFileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues, `DETOUR_CONFIG ${filePath}: `));
  const missing: string[] = [];
  for (const version of parsed.data.terms.versions) {
    for (const [locale, document] of Object.entries(version.documents)) {
      if (!existsSync(/*turbopackIgnore: true*/ path.resolve(root, document))) {
        missing.push(`DETOUR_CONFIG ${filePath}: terms.versions[${version.version}].documents.${locale}: ${document} does not exist`);
      }
    }
  }
  for (const version of parsed.data.terms.versions) {
    if (!version.documents[parsed.data.locales.default]) {
      missing.push(`DETOUR_CONFIG ${filePath}: terms.versions[${version.version}] has no document in the default locale`);
    }
  }
  if (missing.length > 0) throw new ConfigError(missing);
  return parsed.data;
}
