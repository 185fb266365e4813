import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { translatorFor } from '../i18n/catalogue';
import { sessionClaimsSchema } from '../tokens/session-claims-schema';
import { allSteps, knownStepIds, stepTokenClaims } from './registry';

/**
 * The step contract (lib/steps/types.ts, docs/design.md "Adding a step"): every registered step provides every part
 * the generic routes, the token, the steps file and the flow rely on, and keeps them inside its own folder. A step
 * added with a part missing fails here before any page is served.
 */
const ROOT = path.resolve(__dirname, '../..');
const LOCALES = readdirSync(path.join(ROOT, 'messages'));
const folderOf = (id: string) => path.join(ROOT, 'lib/steps', id);

describe.each(allSteps().map((step) => [step.id, step] as const))('step %s', (id, step) => {
  it('has an id usable in a URL and a folder of its own', () => {
    expect(id).toMatch(/^[a-z][a-z0-9_]{0,31}$/);
    expect(existsSync(folderOf(id))).toBe(true);
  });

  it('has a form schema, a writer and a view (the generic route renders it; the form posts to /steps/<id>)', () => {
    expect(typeof step.formSchema).toBe('function');
    expect(typeof step.persist).toBe('function');
    expect(typeof step.View).toBe('function');
  });

  it.each(LOCALES)('names itself and titles its page in %s, from its own catalogue', (locale) => {
    const t = translatorFor(locale, ROOT);
    expect(step.titleKey.startsWith(`${id}.`)).toBe(true);
    for (const key of [step.titleKey, `${id}.step_name`]) expect(t(key)).not.toBe(key);
  });

  it('ships only the browser files it declares, from its folder', () => {
    expect(existsSync(path.join(folderOf(id), 'enhance.ts'))).toBe(step.assets?.script ?? false);
    expect(existsSync(path.join(folderOf(id), 'styles.css'))).toBe(step.assets?.stylesheet ?? false);
  });

  it('declares its token claims as optional claims that no base claim shadows', () => {
    for (const [claim, schema] of Object.entries(step.tokenClaims ?? {})) {
      expect(Object.keys(sessionClaimsSchema.shape)).not.toContain(claim);
      expect((schema as z.ZodType).safeParse(undefined).success, `${claim} is optional`).toBe(true);
    }
  });

  it('declares a steps-file section schema when it reads one', () => {
    if (step.settings) expect(step.settings.schema).toBeInstanceOf(z.ZodType);
  });

  it('calls secret only fields of its own form', () => {
    for (const field of step.secretFields ?? []) expect(field).toMatch(/^[a-z_]+$/);
  });
});

describe('the registry', () => {
  it('lists each step once, in the order the flow shows them by default', () => {
    expect(new Set(knownStepIds()).size).toBe(knownStepIds().length);
  });

  it('lists every step folder (a folder without a registry line is a step nobody can reach)', () => {
    const folders = readdirSync(path.join(ROOT, 'lib/steps'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(path.join(ROOT, 'lib/steps', entry.name, 'step.ts')))
      .map((entry) => entry.name);
    expect(folders.sort()).toEqual([...knownStepIds()].sort());
  });

  it('two steps that read one claim read it with the same schema', () => {
    const seen = new Map<string, unknown>();
    for (const step of allSteps()) {
      for (const [claim, schema] of Object.entries(step.tokenClaims ?? {})) {
        if (seen.has(claim)) expect(schema, claim).toBe(seen.get(claim));
        seen.set(claim, schema);
      }
    }
    expect(Object.keys(stepTokenClaims()).sort()).toEqual([...seen.keys()].sort());
  });
});
