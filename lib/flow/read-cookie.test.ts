import { describe, expect, it } from 'vitest';
import { readCookie } from './read-cookie';

const NAME = '__Host-detour-flow';

describe('readCookie', () => {
  it.each([
    ['no Cookie header', null, undefined],
    ['only the flow cookie', `${NAME}=eyJ.a.b.c.d`, 'eyJ.a.b.c.d'],
    ['among others, with spaces', `a=1;  ${NAME}=v1 ; b=2`, 'v1'],
    ['the first of two', `${NAME}=first; ${NAME}=second`, 'first'],
    ['a value holding =', `${NAME}=a=b`, 'a=b'],
    ['a cookie whose name merely ends the same', `x${NAME}=no`, undefined],
    ['an empty value', `${NAME}=`, ''],
    ['a pair without =', `${NAME}; other=1`, undefined],
  ])('%s', (_, header, expected) => {
    const headers = new Headers(header === null ? {} : { cookie: header });
    expect(readCookie(headers, NAME)).toBe(expected);
  });
});
