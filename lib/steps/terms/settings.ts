import { existsSync } from 'node:fs';
import path from 'node:path';
import type { StepsFile } from '../../config/steps-file';
import type { StepSettings } from '../types';
import { termsConfigSchema, type TermsConfig } from './config-schema';

/** The `terms` section of a steps file the loader has checked (it is required, so always there). */
export function termsSection(steps: StepsFile): TermsConfig {
  return steps.terms as TermsConfig;
}

/**
 * The terms step's section of the steps file: required (every deployment has terms), and every document it names
 * must exist, with one in the default locale for each version (the page falls back to it).
 */
export const termsSettings: StepSettings = {
  schema: termsConfigSchema,
  required: true,
  check(section, { root, defaultLocale }) {
    const { versions } = section as TermsConfig;
    const problems: string[] = [];
    for (const version of versions) {
      for (const [locale, document] of Object.entries(version.documents)) {
        if (!existsSync(/*turbopackIgnore: true*/ path.resolve(root, document))) {
          problems.push(`terms.versions[${version.version}].documents.${locale}: ${document} does not exist`);
        }
      }
      if (!version.documents[defaultLocale]) problems.push(`terms.versions[${version.version}] has no document in the default locale`);
    }
    return problems;
  },
};
