import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/env';
import { loadStepsFile } from '../../config/load-steps-file';
import type { StepsFile } from '../../config/steps-file';
import { verifyDeployment, verifyRequirements, verifySettings } from './settings';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const SHIPPED = loadStepsFile('./detour.config.json', REPO_ROOT);
const FROM = 'Example <no-reply@detour.localhost>';
// A relay that needs credentials: the password must never reach a start-up message.
const SMTP_WITH_PASSWORD = 'smtps://mailer:S3cret-Relay-Pass@smtp.example.com:465';
const CONTEXT = { root: REPO_ROOT, defaultLocale: 'en' };
const check = (env: Record<string, string | undefined>) => verifySettings.check!(SHIPPED.verify, { ...CONTEXT, env });

describe('verifySettings.check', () => {
  it.each([
    ['no SMTP_URL', { MAIL_FROM: FROM }, /SMTP_URL is not set/],
    ['an empty SMTP_URL', { SMTP_URL: '', MAIL_FROM: FROM }, /SMTP_URL is not set/],
    ['no MAIL_FROM', { SMTP_URL: SMTP_WITH_PASSWORD }, /MAIL_FROM is not set/],
    ['an http:// SMTP_URL', { SMTP_URL: 'http://mailer:S3cret-Relay-Pass@smtp.example.com', MAIL_FROM: FROM }, /SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/],
    ['an SMTP_URL that is not a URL', { SMTP_URL: 'smtp://S3cret-Relay-Pass@[bad', MAIL_FROM: FROM }, /SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/],
    ['a MAIL_FROM with a line break (a header injection)', { SMTP_URL: SMTP_WITH_PASSWORD, MAIL_FROM: 'Example <a@example.com>\nBcc: all@example.com' }, /MAIL_FROM must be an address/],
    ['a MAIL_FROM that is not an address', { SMTP_URL: SMTP_WITH_PASSWORD, MAIL_FROM: 'Example' }, /MAIL_FROM must be an address/],
  ])('%s is a problem, naming the variable and never its value', (_, env, problem) => {
    const problems = check(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^verify: the step sends its codes by email, but /);
    expect(problems[0]).toMatch(problem);
    expect(problems.join('\n')).not.toContain('S3cret-Relay-Pass');
  });

  it('names both when neither is set', () => {
    const problems = check({});
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/SMTP_URL is not set[\s\S]*MAIL_FROM is not set/);
  });

  it.each([
    ['smtp:// to a loopback relay, a bare address', { SMTP_URL: 'smtp://127.0.0.1:1025', MAIL_FROM: 'no-reply@detour.localhost' }],
    ['smtps:// with credentials, Name <address>', { SMTP_URL: SMTP_WITH_PASSWORD, MAIL_FROM: FROM }],
  ])('%s: no problem', (_, env) => {
    expect(check(env)).toEqual([]);
  });
});

describe('verifyDeployment', () => {
  it('gives the section and the mail settings when both are right', () => {
    expect(verifyDeployment(SHIPPED, { SMTP_URL: SMTP_WITH_PASSWORD, MAIL_FROM: ` ${FROM} ` })).toEqual({
      section: { match: 'country', max_age_days: null, known_locations_max: 10, code_ttl_seconds: 600 },
      mail: { smtpUrl: SMTP_WITH_PASSWORD, from: FROM },
    });
  });

  it.each([
    ['no SMTP_URL', SHIPPED, { MAIL_FROM: FROM }],
    ['no MAIL_FROM', SHIPPED, { SMTP_URL: SMTP_WITH_PASSWORD }],
    ['no verify section', { ...SHIPPED, verify: undefined } as StepsFile, { SMTP_URL: SMTP_WITH_PASSWORD, MAIL_FROM: FROM }],
  ])('%s → misconfigured (verify_not_offered)', (_, steps, env) => {
    expect(() => verifyDeployment(steps, env)).toThrow(expect.objectContaining({ code: 'misconfigured', status: 500, details: { reason: 'verify_not_offered' } }));
  });
});

describe('verifyRequirements', () => {
  it('tells the Action the shipped policy', () => {
    expect(verifyRequirements(SHIPPED)).toEqual({ match: 'country', max_age_days: null, known_locations_max: 10 });
  });

  it('says nothing without a verify section', () => {
    expect(verifyRequirements({ ...SHIPPED, verify: undefined } as StepsFile)).toBeUndefined();
  });
});

describe('loadStepsFile with a verify section', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  function projectWith(verify: unknown): string {
    const root = mkdtempSync(path.join(tmpdir(), 'detour-verify-steps-'));
    roots.push(root);
    mkdirSync(path.join(root, 'terms'));
    writeFileSync(path.join(root, 'terms/2026-11-01.en.md'), '# Terms\n');
    const file = {
      branding: { product_name: 'Example', logo: '/logo.svg', primary_color: '#4f46e5' },
      locales: { default: 'en', supported: ['en'] },
      terms: { persist: 'management_api', versions: [{ version: '2026-11-01', effective: '2026-11-01', reaccept: true, documents: { en: 'terms/2026-11-01.en.md' } }] },
      ...(verify === undefined ? {} : { verify }),
    };
    writeFileSync(path.join(root, 'detour.config.json'), JSON.stringify(file));
    return root;
  }

  const problemsOf = (root: string, env: Record<string, string | undefined>): string[] => {
    try {
      loadStepsFile('detour.config.json', root, env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
    return [];
  };

  it('refuses to start without SMTP_URL, naming it', () => {
    const problems = problemsOf(projectWith({ match: 'country' }), { MAIL_FROM: FROM });
    expect(problems).toEqual([expect.stringMatching(/^DETOUR_CONFIG detour\.config\.json: verify: .*SMTP_URL is not set/)]);
  });

  it('never echoes a bad SMTP_URL it refuses', () => {
    const problems = problemsOf(projectWith({}), { SMTP_URL: 'http://mailer:S3cret-Relay-Pass@smtp.example.com', MAIL_FROM: FROM });
    expect(problems).toEqual([expect.stringContaining('SMTP_URL')]);
    expect(problems.join('\n')).not.toContain('S3cret-Relay-Pass');
  });

  it('starts with both set, the section’s defaults applied', () => {
    const steps = loadStepsFile('detour.config.json', projectWith({}), { SMTP_URL: SMTP_WITH_PASSWORD, MAIL_FROM: FROM });
    expect(steps.verify).toEqual({ match: 'country', max_age_days: null, known_locations_max: 10, code_ttl_seconds: 600 });
  });

  it('needs no mail settings when the step is not offered', () => {
    const steps = loadStepsFile('detour.config.json', projectWith(undefined), {});
    expect(steps.verify).toBeUndefined();
    expect(verifyRequirements(steps)).toBeUndefined();
  });
});
