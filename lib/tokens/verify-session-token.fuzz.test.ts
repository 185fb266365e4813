import fc from 'fast-check';
import { CompactSign, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { DetourError, ERROR_CODES } from '../errors';
import { parseAllowListEntry } from './issuer-allow-list';
import { verifySessionToken, type VerifySessionTokenOptions } from './verify-session-token';

// Property-based checks of the verifier (issue: "random and mutated tokens are never accepted unless they are
// the valid token; no input makes the verifier throw anything but its typed errors"). Frozen clock, fixed seed.
const NOW = new Date('2026-11-20T12:00:00Z');
const nowSeconds = NOW.getTime() / 1000;
const SECRET = new TextEncoder().encode('fuzz-session-token-secret-0123456789abcdef');
const STATE = 'fuzz-state-0123';
const options: VerifySessionTokenOptions = {
  secrets: [SECRET],
  protocol: 'actions',
  issuers: [parseAllowListEntry('tenant.eu.auth0.com')],
  audience: 'https://detour.example.com',
  maxAgeSeconds: 900,
  knownSteps: ['terms', 'profile', 'password'],
  expectedState: STATE,
  now: NOW,
};
const FC = { numRuns: 400, seed: 20261126 } as const;

let valid = '';
beforeAll(async () => {
  valid = await new SignJWT({ sub: 'auth0|fuzz', aud: options.audience, jti: 'jti-fuzz-000001', steps: ['terms'] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('tenant.eu.auth0.com')
    .setIssuedAt(nowSeconds - 5)
    .setExpirationTime(nowSeconds + 300)
    .sign(SECRET);
});

/** Resolves to 'accepted' or the refusal's code; anything but a DetourError fails the property. */
async function outcome(raw: string): Promise<string> {
  try {
    await verifySessionToken(raw, options);
    return 'accepted';
  } catch (error) {
    if (!(error instanceof DetourError)) throw new Error(`verifier threw a non-typed error: ${String(error)}`);
    expect(ERROR_CODES).toContain(error.code);
    return error.code;
  }
}

const base64urlChar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split(''));
const segment = fc.string({ unit: base64urlChar, minLength: 0, maxLength: 200 });

describe('verifySessionToken under random input', () => {
  it('the valid token itself is accepted (the properties below are not vacuous)', async () => {
    expect(await outcome(valid)).toBe('accepted');
  });

  it('refuses arbitrary strings with a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 600 }), async (raw) => {
        expect(await outcome(raw)).not.toBe('accepted');
      }),
      FC,
    );
  });

  it('refuses random three-segment, JWT-shaped strings', async () => {
    await fc.assert(
      fc.asyncProperty(segment, segment, segment, async (a, b, c) => {
        expect(await outcome(`${a}.${b}.${c}`)).not.toBe('accepted');
      }),
      FC,
    );
  });

  it('refuses every mutation of the valid token (flip, insert, delete, truncate, pad)', async () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), ch: fc.string({ minLength: 1, maxLength: 1 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), ch: fc.string({ minLength: 1, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), ch: fc.constant('') }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), ch: fc.constant('') }),
      fc.record({ kind: fc.constant('pad' as const), at: fc.nat(), ch: fc.constantFrom('=', '==', ' ', '\n', '%3D') }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async ({ kind, at, ch }) => {
        const i = at % valid.length;
        const mutated =
          kind === 'replace' ? valid.slice(0, i) + ch + valid.slice(i + 1)
          : kind === 'insert' ? valid.slice(0, i) + ch + valid.slice(i)
          : kind === 'delete' ? valid.slice(0, i) + valid.slice(i + 1)
          : kind === 'truncate' ? valid.slice(0, i)
          : valid + ch;
        const result = await outcome(mutated);
        if (mutated === valid) expect(result).toBe('accepted');
        else expect(result).not.toBe('accepted');
      }),
      FC,
    );
  });

  it('signed tokens with random claims are either accepted with sane claims or refused with a typed error', async () => {
    const claim = fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }));
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { iss: claim, sub: claim, aud: claim, iat: claim, exp: claim, jti: claim, steps: claim, state: claim, email: claim },
          { requiredKeys: [] },
        ),
        async (claims) => {
          // CompactSign signs any JSON, including claims SignJWT would refuse to write (a string iat, say).
          const raw = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: 'HS256' }).sign(SECRET);
          const result = await outcome(raw);
          if (result === 'accepted') {
            const verified = await verifySessionToken(raw, options);
            expect(typeof verified.sub).toBe('string');
            expect(verified.steps.every((step) => options.knownSteps.includes(step))).toBe(true);
          }
        },
      ),
      { ...FC, numRuns: 300 },
    );
  });
});
