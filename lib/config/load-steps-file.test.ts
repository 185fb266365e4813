import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from './env';
import { loadStepsFile } from './load-steps-file';
import { termsSection } from '../steps/terms/settings';
import { currentTermsVersion } from '../steps/terms/versions';
import type { StepsFile } from './steps-file';

const REPO_ROOT = path.resolve(__dirname, '../..');

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

type Json = Record<string, unknown>;
const goodFile = (): Json => ({
  branding: { product_name: 'Example', logo: '/logo.svg', primary_color: '#4f46e5' },
  locales: { default: 'en', supported: ['en', 'de'] },
  terms: {
    persist: 'management_api',
    versions: [{ version: '2026-11-01', effective: '2026-11-01', reaccept: true, documents: { en: 'terms/2026-11-01.en.md' } }],
  },
});

/** A project root in a temp dir holding the steps file (as text) and one terms document. */
function projectWith(stepsFileText: string): string {
  const root = mkdtempSync(path.join(tmpdir(), 'detour-steps-'));
  roots.push(root);
  mkdirSync(path.join(root, 'terms'));
  writeFileSync(path.join(root, 'terms/2026-11-01.en.md'), '# Terms\n');
  writeFileSync(path.join(root, 'detour.config.json'), stepsFileText);
  return root;
}

type EditableFile = Json & { branding: Json; locales: Json; terms: { versions: Json[] } };

function edited(edit: (file: EditableFile) => void): string {
  const file = goodFile() as EditableFile;
  edit(file);
  return JSON.stringify(file);
}

function problemsOf(root: string): string[] {
  try {
    loadStepsFile('detour.config.json', root);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('loadStepsFile accepted a steps file it should refuse');
}

describe('loadStepsFile', () => {
  it('loads the shipped detour.config.json', () => {
    const file = loadStepsFile('./detour.config.json', REPO_ROOT);
    expect(file.locales.default).toBe('en');
    expect(file.locales.supported).toContain(file.locales.default);
    expect(termsSection(file).persist).toBe('management_api');
    expect(termsSection(file).versions.length).toBeGreaterThan(0);
    expect(file.branding.primary_color).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('loads a good file from another root and applies defaults', () => {
    const file = edited((f) => {
      delete f.branding.primary_color;
      delete (f.terms as Json).persist;
      delete f.terms.versions[0]!.reaccept;
    });
    const loaded = loadStepsFile('detour.config.json', projectWith(file));
    expect(loaded.branding.primary_color).toBe('#4f46e5');
    expect(termsSection(loaded).persist).toBe('management_api');
    expect(termsSection(loaded).versions[0]!.reaccept).toBe(true);
  });

  it('refuses an unknown top-level section, so a misspelt step section is not silently ignored', () => {
    const problems = problemsOf(projectWith(edited((f) => (f.pasword = { min_length: 12 }))));
    expect(problems.join('\n')).toMatch(/pasword/);
  });

  it('refuses a file that is not JSON', () => {
    expect(problemsOf(projectWith('{ "branding": '))).toEqual(['DETOUR_CONFIG (detour.config.json) is not valid JSON']);
  });

  it('refuses a file that does not exist', () => {
    const root = projectWith('{}');
    expect(() => loadStepsFile('missing.json', root)).toThrow(/DETOUR_CONFIG \(missing\.json\) cannot be read/);
  });

  it.each([
    ['a bad colour', (f: EditableFile) => (f.branding.primary_color = 'indigo'), 'branding.primary_color'],
    ['an unknown key inside branding', (f: EditableFile) => (f.branding.font = 'Comic Sans'), 'branding'],
    ['a default locale not in supported', (f: EditableFile) => (f.locales.default = 'fr'), 'locales'],
    ['a malformed locale tag', (f: EditableFile) => (f.locales.supported = ['en', 'EN_us']), 'locales.supported.1'],
    ['a logo outside public/', (f: EditableFile) => (f.branding.logo = 'https://cdn.example.com/logo.svg'), 'branding.logo'],
    ['no terms versions', (f: EditableFile) => (f.terms.versions = []), 'terms.versions'],
    ['an effective date that is not YYYY-MM-DD', (f: EditableFile) => (f.terms.versions[0]!.effective = '1 Nov 2026'), 'terms.versions.0.effective'],
    ['a version with a slash', (f: EditableFile) => (f.terms.versions[0]!.version = '../x'), 'terms.versions.0.version'],
  ])('refuses %s, naming %s', (_, edit, where) => {
    const problems = problemsOf(projectWith(edited(edit)));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^DETOUR_CONFIG detour\\.config\\.json: ${where.replace(/\./g, '\\.')}: `));
  });

  it('names the unknown branding key', () => {
    expect(problemsOf(projectWith(edited((f) => (f.branding.font = 'Comic Sans'))))[0]).toContain('font');
  });

  it('refuses a terms document that does not exist, naming the version, locale and path', () => {
    const root = projectWith(edited((f) => (f.terms.versions[0]!.documents = { en: 'terms/2026-11-01.en.md', de: 'terms/2026-11-01.de.md' })));
    expect(problemsOf(root)).toEqual([
      'DETOUR_CONFIG detour.config.json: terms.versions[2026-11-01].documents.de: terms/2026-11-01.de.md does not exist',
    ]);
  });

  it('refuses a version without a document in the default locale', () => {
    const root = projectWith(edited((f) => (f.terms.versions[0]!.documents = { de: 'terms/2026-11-01.en.md' })));
    expect(problemsOf(root)).toEqual(['DETOUR_CONFIG detour.config.json: terms.versions[2026-11-01] has no document in the default locale']);
  });
});

describe('currentTermsVersion', () => {
  const version = (v: string, effective: string) => ({ version: v, effective, reaccept: true, documents: { en: `terms/${v}.en.md` } });
  const file = {
    ...goodFile(),
    branding: { product_name: 'Example', primary_color: '#4f46e5' },
    locales: { default: 'en', supported: ['en'] },
    terms: { persist: 'management_api', versions: [version('v2', '2026-11-01'), version('v1', '2026-01-01'), version('v3', '2027-03-01')] },
  } as StepsFile;

  it.each([
    ['before any version is effective, the earliest one', '2025-12-31T23:59:59Z', 'v1'],
    ['the first day of v1', '2026-01-01T00:00:00Z', 'v1'],
    ['between v1 and v2', '2026-10-31T23:59:59Z', 'v1'],
    ['the day v2 takes effect', '2026-11-01T00:00:00Z', 'v2'],
    ['after v2, with v3 still in the future', '2027-02-28T12:00:00Z', 'v2'],
    ['once v3 is effective', '2027-03-01T00:00:00Z', 'v3'],
  ])('%s (%s) → %s', (_, at, expected) => {
    expect(currentTermsVersion(file, new Date(at)).version).toBe(expected);
  });
});
