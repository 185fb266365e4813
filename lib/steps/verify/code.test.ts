import { describe, expect, it } from 'vitest';
import { CODE_DIGITS, codeDigest, digestsMatch, newCode } from './code';

const KEY = new Uint8Array(32).fill(7);
const OTHER_KEY = new Uint8Array(32).fill(8);

describe('newCode', () => {
  it('is always six digits, leading zeros kept, and spreads over the whole range', () => {
    const codes = Array.from({ length: 5000 }, newCode);
    for (const code of codes) expect(code).toMatch(/^[0-9]{6}$/);
    expect(CODE_DIGITS).toBe(6);
    // 5,000 draws from a million: collisions are possible, a tiny range would show as many.
    expect(new Set(codes).size).toBeGreaterThan(4950);
    const firstDigits = new Set(codes.map((code) => code[0]));
    expect(firstDigits.size).toBe(10);
  });
});

describe('codeDigest and digestsMatch', () => {
  const digest = codeDigest(KEY, 'flow-a', '012345');

  it.each([
    ['the same code for the same flow, under the same key', codeDigest(KEY, 'flow-a', '012345'), true],
    ['another code', codeDigest(KEY, 'flow-a', '012346'), false],
    ['the same code sent for another flow (or person)', codeDigest(KEY, 'flow-b', '012345'), false],
    ['the same code under another key (another deployment)', codeDigest(OTHER_KEY, 'flow-a', '012345'), false],
    ['the code itself instead of its digest', '012345', false],
    ['an empty string', '', false],
  ])('%s → %s', (_, received, expected) => {
    expect(digestsMatch(digest, received)).toBe(expected);
  });

  it('never holds the code in what the store keeps', () => {
    expect(digest).not.toContain('012345');
    expect(digest).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('cannot be confused by a flow id that contains the separator', () => {
    expect(codeDigest(KEY, 'a\u0000b', 'c')).not.toBe(codeDigest(KEY, 'a', 'b\u0000c'));
  });
});
