import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { verifyFormSchema } from './schema';

describe('verifyFormSchema', () => {
  it.each([
    ['six digits', { code: '012345' }, { intent: 'verify', code: '012345' }],
    ['pasted with a space in the middle', { code: '012 345' }, { intent: 'verify', code: '012345' }],
    ['with a dash and surrounding spaces', { code: ' 012-345 ' }, { intent: 'verify', code: '012345' }],
    ['full-width digits', { code: '０１２３４５' }, { intent: 'verify', code: '012345' }],
    ['the code button named', { intent: 'verify', code: '999999' }, { intent: 'verify', code: '999999' }],
    ['a new code asked for (any code field ignored)', { intent: 'resend', code: 'x' }, { intent: 'resend' }],
    ['"this wasn\'t me"', { intent: 'not_me' }, { intent: 'not_me' }],
  ])('accepts %s', (_, posted, expected) => {
    expect(verifyFormSchema.parse(posted)).toEqual(expected);
  });

  it.each([
    ['letters', { code: '12a456' }],
    ['five digits', { code: '12345' }],
    ['seven digits', { code: '1234567' }],
    ['nothing', { code: '' }],
    ['no code field at all', {}],
    ['a code far too long to be a typo', { code: '1'.repeat(100) }],
    ['a number instead of text', { code: 123456 }],
  ])('refuses %s, on the code field, with the format message', (_, posted) => {
    const result = verifyFormSchema.safeParse(posted);
    expect(result.success).toBe(false);
    const fields = z.flattenError(result.error!).fieldErrors as Record<string, string[] | undefined>;
    expect(Object.keys(fields)).toEqual(['code']);
  });

  it('refuses an intent it does not know', () => {
    expect(verifyFormSchema.safeParse({ intent: 'skip' }).success).toBe(false);
  });
});
