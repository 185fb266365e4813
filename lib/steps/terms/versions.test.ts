import { describe, expect, it } from 'vitest';
import type { StepsFile } from '../../config';
import { changesSince, reacceptFrom, versionsInForce } from './versions';

const file = {
  terms: {
    persist: 'management_api',
    versions: [
      { version: '2026-11-01', effective: '2026-11-01', reaccept: true, documents: { en: 'x' }, changes: { en: 'New data-retention section.' } },
      { version: '2025-01-01', effective: '2025-01-01', reaccept: true, documents: { en: 'x' } },
      { version: '2026-11-15', effective: '2026-11-15', reaccept: false, documents: { en: 'x' }, changes: { en: 'Typo fixes.' } },
      { version: '2027-01-01', effective: '2027-01-01', reaccept: true, documents: { en: 'x' }, changes: { en: 'Future.' } },
    ],
  },
} as unknown as StepsFile;
const NOW = new Date('2026-11-26T00:00:00Z');

describe('terms versions', () => {
  it('lists the versions in force oldest first and leaves future ones out', () => {
    expect(versionsInForce(file, NOW).map((v) => v.version)).toEqual(['2025-01-01', '2026-11-01', '2026-11-15']);
  });

  it('puts the re-accept line at the newest version in force that needs re-acceptance', () => {
    expect(reacceptFrom(file, NOW)).toBe('2026-11-01');
    expect(reacceptFrom(file, new Date('2026-06-01T00:00:00Z'))).toBe('2025-01-01');
  });

  it('lists what changed after the accepted version, up to today', () => {
    expect(changesSince(file, '2025-01-01', NOW).map((v) => v.version)).toEqual(['2026-11-01', '2026-11-15']);
    expect(changesSince(file, '2026-11-01', NOW).map((v) => v.version)).toEqual(['2026-11-15']);
    expect(changesSince(file, undefined, NOW)).toEqual([]);
    expect(changesSince(file, 'unknown', NOW)).toEqual([]);
  });
});
