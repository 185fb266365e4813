import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StepsFile } from './config';
import { loadStepsFile } from './config/load-steps-file';
import { buildRequirements } from './requirements';
import type { ProfileConfig } from './steps/profile/config-schema';
import { termsSection } from './steps/terms/settings';

const SHIPPED = loadStepsFile('./detour.config.json', path.resolve(__dirname, '..'));
const NOW = new Date('2026-11-26T00:00:00Z');
const terms = termsSection(SHIPPED);
const profile = SHIPPED.profile as ProfileConfig;

describe('buildRequirements', () => {
  it('describes the shipped steps file: current terms, the re-accept line, the unconditional required fields', () => {
    expect(buildRequirements(SHIPPED, NOW)).toEqual({
      terms: { current: '2026-11-01', reaccept_from: '2026-11-01' },
      profile: { required: ['given_name', 'family_name', 'phone', 'country'] },
      verify: { match: 'country', max_age_days: null, known_locations_max: 10 },
    });
  });

  it('says nothing of the verify step when the steps file does not offer it', () => {
    const withoutVerify = Object.fromEntries(Object.entries(SHIPPED).filter(([section]) => section !== 'verify')) as StepsFile;
    expect(Object.keys(buildRequirements(withoutVerify, NOW))).toEqual(['terms', 'profile']);
  });

  it('keeps the re-accept line when a newer version is only a typo fix', () => {
    const typoFix = { ...terms.versions[0]!, version: '2026-11-20', effective: '2026-11-20', reaccept: false };
    const steps = { ...SHIPPED, terms: { ...terms, versions: [...terms.versions, typoFix] } } as StepsFile;
    expect(buildRequirements(steps, NOW).terms).toEqual({ current: '2026-11-20', reaccept_from: '2026-11-01' });
  });

  it('holds no user data and lists no conditional field', () => {
    const steps = {
      ...SHIPPED,
      profile: { ...profile, fields: [...profile.fields, { ...profile.fields[0]!, id: 'company', required: true, show_when: { field: 'given_name', equals: 'x' } }] },
    } as StepsFile;
    const json = JSON.stringify(buildRequirements(steps, NOW));
    expect(json).not.toContain('company');
    expect(Object.keys(buildRequirements(steps, NOW))).toEqual(['terms', 'profile', 'verify']);
  });
});
