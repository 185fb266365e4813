import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { signReturnToken, type SignReturnTokenInput } from './sign-return-token';

const NOW = new Date('2026-11-20T12:00:00.750Z');
const iat = Math.floor(NOW.getTime() / 1000);
const SECRET = new TextEncoder().encode('current-session-token-secret-0123456789');

const input: SignReturnTokenInput = {
  secret: SECRET,
  sub: 'auth0|64f1c2',
  appBaseUrl: 'https://detour.example.com',
  audience: 'https://tenant.eu.auth0.com/',
  jti: 'jti-0001-abcdef',
  state: 'hKFo2SBsb2dpbi1zdGF0ZQ',
  completed: ['terms', 'profile'],
  results: {
    terms: { version: '2026-11-01', accepted_at: '2026-11-20T12:00:00.000Z' },
    profile: { given_name: 'Ada', newsletter: false },
  },
  now: NOW,
};

describe('signReturnToken', () => {
  it('signs every claim the Action checks, valid for 60 seconds', async () => {
    const token = await signReturnToken(input);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, SECRET, {
      algorithms: ['HS256'],
      issuer: 'https://detour.example.com',
      audience: 'https://tenant.eu.auth0.com/',
      currentDate: NOW,
    });
    expect(payload).toEqual({
      sub: 'auth0|64f1c2',
      iss: 'https://detour.example.com',
      aud: 'https://tenant.eu.auth0.com/',
      jti: 'jti-0001-abcdef',
      state: 'hKFo2SBsb2dpbi1zdGF0ZQ',
      iat,
      exp: iat + 60,
      completed: ['terms', 'profile'],
      terms: { version: '2026-11-01', accepted_at: '2026-11-20T12:00:00.000Z' },
      profile: { given_name: 'Ada', newsletter: false },
    });
  });

  it('expires 60 seconds after it was signed', async () => {
    const token = await signReturnToken(input);
    const later = new Date((iat + 61) * 1000);
    await expect(jwtVerify(token, SECRET, { currentDate: later })).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it('signs with no step results', async () => {
    const token = await signReturnToken({ ...input, completed: [], results: {} });
    const { payload } = await jwtVerify(token, SECRET, { currentDate: NOW });
    expect(payload.completed).toEqual([]);
    expect(Object.keys(payload).sort()).toEqual(['aud', 'completed', 'exp', 'iat', 'iss', 'jti', 'state', 'sub']);
  });

  it.each(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'state', 'completed'])(
    'refuses a step result named %s',
    async (claim) => {
      await expect(signReturnToken({ ...input, results: { [claim]: 'x' } })).rejects.toThrowError(claim);
    },
  );

  it('refuses a secret under 32 bytes', async () => {
    await expect(signReturnToken({ ...input, secret: new TextEncoder().encode('short') })).rejects.toThrowError(/32 bytes/);
  });

  it('signs the same token with the secret imported once as with its raw bytes', async () => {
    const key = await crypto.subtle.importKey('raw', SECRET, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    expect(await signReturnToken({ ...input, secret: key })).toBe(await signReturnToken(input));
    const short = await crypto.subtle.importKey('raw', new TextEncoder().encode('short'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    await expect(signReturnToken({ ...input, secret: short })).rejects.toThrowError(/32 bytes/);
  });
});
