import { describe, expect, it } from 'vitest';
import { assertTokenFormat, MAX_TOKEN_BYTES } from './token-format';

// 'A' encodes zero bits, so a run of them is canonical base64url at any length but 4n + 1.
const segment = (length: number) => 'A'.repeat(length);

describe('assertTokenFormat', () => {
  it.each([
    ['three base64url segments', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnLV8'],
    ['exactly the size limit', `${segment(1000)}.${segment(1000)}.${segment(MAX_TOKEN_BYTES - 2002)}`],
  ])('accepts %s', (_, raw) => {
    expect(() => assertTokenFormat(raw)).not.toThrow();
  });

  it.each([
    ['empty string', '', 'format'],
    ['two dots only', '..', 'format'],
    ['two segments', 'abc.def', 'format'],
    ['four segments', 'abc.def.ghi.jkl', 'format'],
    ['empty signature', 'abc.def.', 'format'],
    ['padding in the signature', 'abc.def.ghi=', 'format'],
    ['a space in the signature', 'abc.def.g hi', 'format'],
    ['a newline at the end', 'abc.def.ghi\n', 'format'],
    ['standard base64 characters', 'abc.de+f.gh/i', 'format'],
    ['non-ASCII letters', 'abc.déf.ghi', 'format'],
    ['one byte over the limit', `${segment(1000)}.${segment(1000)}.${segment(MAX_TOKEN_BYTES - 2001)}`, 'too_long'],
    ['unused bits set in the last character', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnLV9', 'non_canonical'],
    ['a segment one character too long for base64', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnL', 'non_canonical'],
    ['5 KB', `${segment(2000)}.${segment(2000)}.${segment(1000)}`, 'too_long'],
  ])('refuses %s as token_malformed (%s)', (_, raw, reason) => {
    expect(() => assertTokenFormat(raw)).toThrowError(
      expect.objectContaining({ code: 'token_malformed', status: 400, details: { reason } }),
    );
  });
});
