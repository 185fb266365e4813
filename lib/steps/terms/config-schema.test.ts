import { describe, expect, it } from 'vitest';
import { termsConfigSchema } from './config-schema';

const version = (name: string, effective: string) => ({ version: name, effective, documents: { en: 'content/terms/x.md' } });

describe('termsConfigSchema', () => {
  it('accepts versions whose names sort like their dates', () => {
    expect(termsConfigSchema.safeParse({ versions: [version('2026-11-01', '2026-11-01'), version('2025-01-01', '2025-01-01')] }).success).toBe(true);
  });

  it('refuses names that sort differently from the effective dates (the Action compares names)', () => {
    const parsed = termsConfigSchema.safeParse({ versions: [version('v10', '2026-11-01'), version('v9', '2025-01-01')] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/sort in the same order/);
  });

  it('refuses a version listed twice', () => {
    expect(termsConfigSchema.safeParse({ versions: [version('2026-11-01', '2026-11-01'), version('2026-11-01', '2026-12-01')] }).success).toBe(false);
  });
});
