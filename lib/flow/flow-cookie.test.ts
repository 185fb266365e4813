import { describe, expect, it } from 'vitest';
import { DetourError } from '../errors';
import { FLOW_COOKIE_NAME, FLOW_TTL_SECONDS, flowCookieAttributes, openFlowCookie, sealFlow } from './flow-cookie';
import type { FlowState } from './flow-state';

const NOW = new Date('2026-11-20T12:00:00Z');
const startedAt = NOW.getTime() / 1000;
const KEY = new Uint8Array(32).fill(7);
const OTHER_KEY = new Uint8Array(32).fill(9);

const flow = (overrides: Partial<FlowState> = {}): FlowState => ({
  v: 1,
  protocol: 'actions',
  sub: 'auth0|64f1c2',
  iss: 'tenant.eu.auth0.com',
  jti: 'jti-0001-abcdef',
  state: 'hKFo2SBsb2dpbi1zdGF0ZQ',
  steps: ['terms', 'profile'],
  completed: ['terms'],
  results: { terms: { version: '2026-11-01', accepted_at: '2026-11-20T12:00:00.000Z' } },
  locale: 'de',
  claims: {},
  email: 'alice@example.com',
  started_at: startedAt,
  expires_at: startedAt + FLOW_TTL_SECONDS,
  ...overrides,
});

const at = (secondsAfterStart: number) => new Date((startedAt + secondsAfterStart) * 1000);

async function refusal(promise: Promise<unknown>): Promise<DetourError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DetourError);
  return error as DetourError;
}

/** Replaces one character in the middle of the ciphertext segment with a different one. */
function tamper(sealed: string): string {
  const parts = sealed.split('.');
  const ciphertext = parts[3]!;
  const i = Math.floor(ciphertext.length / 2);
  parts[3] = ciphertext.slice(0, i) + (ciphertext[i] === 'A' ? 'B' : 'A') + ciphertext.slice(i + 1);
  return parts.join('.');
}

describe('sealFlow and openFlowCookie', () => {
  it('round-trips a flow', async () => {
    const original = flow({ claims: { profile: { given_name: 'Alice', age: 42, newsletter: true }, connection: 'db' } });
    const sealed = await sealFlow(original, KEY);
    expect(sealed.split('.')).toHaveLength(5); // compact JWE: encrypted, not merely signed
    expect(sealed).not.toContain('alice');
    expect(await openFlowCookie(sealed, KEY, at(60))).toEqual(original);
  });

  it('seals and opens with the key imported once as with its raw bytes', async () => {
    const imported = await crypto.subtle.importKey('raw', KEY, 'AES-GCM', false, ['encrypt', 'decrypt']);
    expect(await openFlowCookie(await sealFlow(flow(), imported), KEY, at(60))).toEqual(flow());
    expect(await openFlowCookie(await sealFlow(flow(), KEY), imported, at(60))).toEqual(flow());
  });

  it('opens until just before expires_at', async () => {
    const sealed = await sealFlow(flow(), KEY);
    expect((await openFlowCookie(sealed, KEY, at(FLOW_TTL_SECONDS - 1))).jti).toBe('jti-0001-abcdef');
  });

  it.each([
    ['undefined', async () => undefined],
    ['an empty string', async () => ''],
    ['garbage', async () => 'not-a-cookie'],
    ['a tampered ciphertext', async () => tamper(await sealFlow(flow(), KEY))],
    ['a tampered header', async () => `x${(await sealFlow(flow(), KEY)).slice(1)}`],
  ])('refuses %s with flow_missing', async (_, value) => {
    const error = await refusal(openFlowCookie(await value(), KEY, at(60)));
    expect(error).toMatchObject({ code: 'flow_missing', status: 401 });
  });

  it('refuses a cookie sealed with another key with flow_missing', async () => {
    const sealed = await sealFlow(flow(), OTHER_KEY);
    expect(await refusal(openFlowCookie(sealed, KEY, at(60)))).toMatchObject({ code: 'flow_missing' });
  });

  it('refuses a sealed payload that is not a flow with flow_missing', async () => {
    const notAFlow = { ...flow(), v: 2 } as unknown as FlowState;
    const sealed = await sealFlow(notAFlow, KEY);
    expect(await refusal(openFlowCookie(sealed, KEY, at(60)))).toMatchObject({ code: 'flow_missing' });
  });

  it.each([
    ['at expires_at', FLOW_TTL_SECONDS],
    ['a day later', FLOW_TTL_SECONDS + 86_400],
  ])('refuses the flow %s with flow_expired', async (_, seconds) => {
    const sealed = await sealFlow(flow(), KEY);
    expect(await refusal(openFlowCookie(sealed, KEY, at(seconds)))).toMatchObject({ code: 'flow_expired', status: 401 });
  });

  it('keeps a flow with a 2048-character state and a typical profile under 4000 bytes', async () => {
    const big = flow({
      state: 'S'.repeat(2048),
      name: 'Alexandra Maria Konstantinidou-Papadopoulou',
      iss: 'https://a-rather-long-tenant-name.eu.auth0.com/',
      jti: 'a'.repeat(64),
      sub: 'auth0|0123456789abcdef01234567',
      steps: ['terms', 'profile', 'password'],
      claims: {
        connection: 'Username-Password-Authentication',
        profile: { given_name: 'Alexandra', family_name: 'Konstantinidou', company: 'Example Industries GmbH', phone: '+49 30 1234567', newsletter: true },
      },
    });
    const sealed = await sealFlow(big, KEY);
    expect(FLOW_COOKIE_NAME.length + 1 + sealed.length).toBeLessThan(4000);
    expect(await openFlowCookie(sealed, KEY, at(1))).toEqual(big);
  });

  it('refuses to seal a flow too large for a cookie', async () => {
    const error = await refusal(sealFlow(flow({ claims: { profile: { notes: 'n'.repeat(4000) } } }), KEY));
    expect(error).toMatchObject({ code: 'claim_invalid', details: { reason: 'flow_too_large' } });
  });
});

describe('flowCookieAttributes', () => {
  it('is HttpOnly, Secure, SameSite=Lax, host-wide and expires with the flow', () => {
    expect(flowCookieAttributes(startedAt + FLOW_TTL_SECONDS)).toEqual({
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
      path: '/',
      expires: at(FLOW_TTL_SECONDS),
    });
    expect(FLOW_COOKIE_NAME.startsWith('__Host-')).toBe(true);
  });
});
