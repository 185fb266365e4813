import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { termsSchema } from './schema';

describe('termsSchema under random input', () => {
  it('never throws, and accepts only a ticked box with a version', () => {
    const value = fc.oneof(fc.string({ maxLength: 3000 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object());
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('accept', 'version', 'other', '__proto__', 'constructor'), value), (input) => {
        const parsed = termsSchema.safeParse(input);
        if (parsed.success) {
          expect([true, 'on', 'true']).toContain(input.accept);
          expect(typeof input.version).toBe('string');
          expect((input.version as string).length).toBeLessThanOrEqual(64);
        }
      }),
      { numRuns: 1000, seed: 20261126 },
    );
  });
});
