import { createHmac } from 'node:crypto';
import { CompactSign, generateKeyPair, SignJWT, type JWTHeaderParameters } from 'jose';
import { describe, expect, it } from 'vitest';
import { DetourError } from '../errors';
import { parseAllowListEntry } from './issuer-allow-list';
import { verifySessionToken, type VerifySessionTokenOptions } from './verify-session-token';
import { stepTokenClaims } from '../steps/registry';

// A frozen clock: every token below is dated relative to NOW.
const NOW = new Date('2026-11-20T12:00:00Z');
const now = NOW.getTime() / 1000;

const encode = (text: string) => new TextEncoder().encode(text);
const CURRENT = encode('current-session-token-secret-0123456789');
const PREVIOUS = encode('previous-session-token-secret-987654321');
const UNKNOWN = encode('some-other-secret-nobody-configured-0000');
const AUDIENCE = 'https://detour.example.com';
const STATE = 'hKFo2SBsb2dpbi1zdGF0ZQ';
const RULES_ISSUER = 'urn:detour:rule';

const tenant = parseAllowListEntry('tenant.eu.auth0.com');
const custom = parseAllowListEntry('https://login.example.com');
const local = parseAllowListEntry('http://127.0.0.1:4010');

const options: VerifySessionTokenOptions = {
  secrets: [CURRENT, PREVIOUS],
  protocol: 'actions',
  issuers: [tenant, custom, local],
  audience: AUDIENCE,
  maxAgeSeconds: 900,
  clockToleranceSeconds: 30,
  knownSteps: ['terms', 'profile', 'password'],
  // The claims the shipped steps declare (lib/steps/<id>/claims.ts), assembled as /start assembles them.
  stepClaims: stepTokenClaims(),
  expectedState: STATE,
  now: NOW,
};
const rulesOptions: VerifySessionTokenOptions = { ...options, protocol: 'rules', rulesIssuer: RULES_ISSUER };

type Claims = Record<string, unknown>;
const baseClaims: Claims = {
  iss: 'tenant.eu.auth0.com',
  sub: 'auth0|64f1c2',
  aud: AUDIENCE,
  iat: now - 10,
  exp: now + 290,
  jti: 'jti-0001-abcdef',
  steps: ['terms', 'profile'],
};

/** A token with the base claims changed by `overrides`; an override of `undefined` removes the claim. */
function claims(overrides: Claims = {}): Claims {
  const merged: Claims = { ...baseClaims, ...overrides };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return merged;
}

function sign(
  overrides: Claims = {},
  { secret = CURRENT, header = { alg: 'HS256', typ: 'JWT' } }: { secret?: Uint8Array; header?: JWTHeaderParameters } = {},
): Promise<string> {
  return new SignJWT(claims(overrides)).setProtectedHeader(header).sign(secret);
}

const base64url = (value: string) => Buffer.from(value).toString('base64url');
/** Hand-built: jose will not sign with alg none, and these tokens must still pass the format check. */
function forge(header: object, payload: Claims = claims(), signature = 'Zm9yZ2Vk'): string {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${signature}`;
}

/** HMAC-signed by hand, for headers jose refuses to produce. */
function signRaw(header: object, payload: Claims = claims(), secret = CURRENT): string {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

const withSignature = async (edit: (signature: string) => string) => {
  const [header, payload, signature] = (await sign()).split('.');
  return `${header}.${payload}.${edit(signature!)}`;
};

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** An HS256 signature (32 bytes) takes 43 characters; the last one's two low bits are padding decoders ignore. */
const setUnusedTrailingBit = (signature: string) =>
  signature.slice(0, -1) + BASE64URL[BASE64URL.indexOf(signature.at(-1)!) | 1];

type Row = [name: string, token: () => Promise<string> | string, code: string, details?: Record<string, unknown>];

const refused: Row[] = [
  // Format (Security rule 1)
  ['empty string', () => '', 'token_malformed'],
  ['two dots only', () => '..', 'token_malformed'],
  ['extra segment', async () => `${await sign()}.c2ln`, 'token_malformed'],
  ['padded signature', () => withSignature((s) => `${s}=`), 'token_malformed', { reason: 'format' }],
  ['signature with unused trailing bits set', () => withSignature(setUnusedTrailingBit), 'token_malformed', { reason: 'non_canonical' }],
  ['whitespace in signature', () => withSignature((s) => `${s.slice(0, 5)} ${s.slice(5)}`), 'token_malformed'],
  ['a 5 KB token', () => sign({ name: 'x'.repeat(5 * 1024) }), 'token_malformed', { reason: 'too_long' }],
  ['alg none with an empty signature', () => forge({ alg: 'none' }, claims(), ''), 'token_malformed'],
  ['header that is not JSON', () => `${base64url('{alg')}.${base64url('{}')}.c2ln`, 'token_malformed'],
  [
    'signed payload that is not JSON',
    () => new CompactSign(encode('not json')).setProtectedHeader({ alg: 'HS256' }).sign(CURRENT),
    'token_malformed',
  ],
  // Header and signature
  ['alg none (hand-built)', () => forge({ alg: 'none', typ: 'JWT' }), 'token_signature', { reason: 'alg' }],
  ['alg missing', () => forge({ typ: 'JWT' }), 'token_signature', { reason: 'alg' }],
  ['HS512', () => sign({}, { header: { alg: 'HS512' } }), 'token_signature', { reason: 'alg' }],
  ['HS384', () => sign({}, { header: { alg: 'HS384' } }), 'token_signature', { reason: 'alg' }],
  [
    'RS256',
    async () => {
      const { privateKey } = await generateKeyPair('RS256');
      return new SignJWT(claims()).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    },
    'token_signature',
    { reason: 'alg' },
  ],
  ['wrong secret', () => sign({}, { secret: UNKNOWN }), 'token_signature', { reason: 'signature' }],
  ['forged signature', () => forge({ alg: 'HS256', typ: 'JWT' }), 'token_signature', { reason: 'signature' }],
  ['wrong secret and an iss off the allow-list', () => sign({ iss: 'evil.example.com' }, { secret: UNKNOWN }), 'token_signature'],
  ['typ at+jwt (a header, refused as a claim)', () => sign({}, { header: { alg: 'HS256', typ: 'at+jwt' } }), 'claim_invalid', { claim: 'typ' }],
  [
    'a critical header jose does not implement',
    () => signRaw({ alg: 'HS256', crit: ['x-unknown'], 'x-unknown': 1 }),
    'token_signature',
    { reason: 'unsupported' },
  ],
  ['b64 false (unencoded payload)', () => signRaw({ alg: 'HS256', b64: false, crit: ['b64'] }), 'token_malformed'],
  // Time
  ['expired beyond tolerance', () => sign({ iat: now - 300, exp: now - 31 }), 'token_expired', { claim: 'exp' }],
  ['nbf ahead beyond tolerance', () => sign({ nbf: now + 31 }), 'token_not_yet_valid', { claim: 'nbf' }],
  ['iat too old', () => sign({ iat: now - 931, exp: now + 60 }), 'token_too_old', { claim: 'iat', reason: 'age' }],
  ['exp − iat longer than the maximum age', () => sign({ iat: now, exp: now + 901 }), 'token_too_old', { reason: 'lifetime' }],
  ['iat in the future', () => sign({ iat: now + 31, exp: now + 300 }), 'token_not_yet_valid', { claim: 'iat' }],
  ['exp not after iat', () => sign({ iat: now, exp: now }), 'claim_invalid', { claim: 'exp' }],
  // Required claims
  ...(['sub', 'iat', 'exp', 'jti', 'steps', 'iss', 'aud'] as const).map(
    (claim): Row => [`${claim} missing`, () => sign({ [claim]: undefined }), 'claim_invalid', { claim }],
  ),
  // Types and formats
  ['sub a number', () => sign({ sub: 42 }), 'claim_invalid', { claim: 'sub' }],
  ['sub empty', () => sign({ sub: '' }), 'claim_invalid', { claim: 'sub' }],
  ['sub too long', () => sign({ sub: 'a'.repeat(256) }), 'claim_invalid', { claim: 'sub' }],
  ['steps a string', () => sign({ steps: 'terms' }), 'claim_invalid', { claim: 'steps' }],
  ['steps empty', () => sign({ steps: [] }), 'claim_invalid', { claim: 'steps' }],
  ['steps more than ten', () => sign({ steps: Array(11).fill('terms') }), 'claim_invalid', { claim: 'steps' }],
  ['jti too short', () => sign({ jti: 'abc1234' }), 'claim_invalid', { claim: 'jti' }],
  ['jti with a slash', () => sign({ jti: 'jti/0001-abcdef' }), 'claim_invalid', { claim: 'jti' }],
  ['exp a string', () => sign({ exp: String(now + 290) }), 'claim_invalid', { claim: 'exp' }],
  ['iat a string', () => sign({ iat: String(now - 10) }), 'claim_invalid', { claim: 'iat' }],
  ['nbf a string', () => sign({ nbf: 'now' }), 'claim_invalid', { claim: 'nbf' }],
  ['aud array holding a number', () => sign({ aud: [AUDIENCE, 7] }), 'claim_invalid', { claim: 'aud' }],
  ['control character in sub', () => sign({ sub: 'auth0|64f1c2\u0000' }), 'claim_invalid', { claim: 'sub', reason: 'control_or_bidi_character' }],
  ['C1 control in name', () => sign({ name: 'Ada\u0085Lovelace' }), 'claim_invalid', { claim: 'name' }],
  ['bidi override in name', () => sign({ name: 'Ada \u202eecalevoL' }), 'claim_invalid', { claim: 'name', reason: 'control_or_bidi_character' }],
  ['bidi isolate in a profile value', () => sign({ profile: { given_name: 'Ada\u2066' } }), 'claim_invalid', { claim: 'profile' }],
  ['email malformed', () => sign({ email: 'not-an-email' }), 'claim_invalid', { claim: 'email' }],
  ['email too long', () => sign({ email: `${'a'.repeat(64)}@${Array(6).fill('b'.repeat(50)).join('.')}.com` }), 'claim_invalid', { claim: 'email' }],
  ['name too long', () => sign({ name: 'n'.repeat(201) }), 'claim_invalid', { claim: 'name' }],
  ['ui_locales not language tags', () => sign({ ui_locales: 'en,de' }), 'claim_invalid', { claim: 'ui_locales' }],
  ['connection not a string', () => sign({ connection: true }), 'claim_invalid', { claim: 'connection' }],
  ['profile an array', () => sign({ profile: ['Ada'] }), 'claim_invalid', { claim: 'profile' }],
  ['profile with a nested object', () => sign({ profile: { address: { city: 'Paris' } } }), 'claim_invalid', { claim: 'profile' }],
  [
    'profile with 51 fields',
    () => sign({ profile: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, i])) }),
    'claim_invalid',
    { claim: 'profile' },
  ],
  ['profile value too long', () => sign({ profile: { bio: 'b'.repeat(1001) } }), 'claim_invalid', { claim: 'profile' }],
  ['authorize_again over http to a public host', () => sign({ authorize_again: 'http://tenant.eu.auth0.com/authorize' }), 'claim_invalid', { claim: 'authorize_again' }],
  ['authorize_again javascript:', () => sign({ authorize_again: 'javascript:alert(1)' }), 'claim_invalid', { claim: 'authorize_again' }],
  ['authorize_again with credentials', () => sign({ authorize_again: 'https://u:p@tenant.eu.auth0.com/' }), 'claim_invalid', { claim: 'authorize_again' }],
  ['state claim not a string', () => sign({ state: 1 }), 'claim_invalid', { claim: 'state' }],
  // Audience
  ['wrong aud', () => sign({ aud: 'https://elsewhere.example.com' }), 'audience_mismatch', { claim: 'aud' }],
  ['aud array without ours', () => sign({ aud: ['https://a.example.com', 'https://b.example.com'] }), 'audience_mismatch'],
  ['aud our origin with a trailing slash', () => sign({ aud: `${AUDIENCE}/` }), 'audience_mismatch'],
  // Issuer
  ['iss not on the allow-list', () => sign({ iss: 'evil.example.com' }), 'issuer_not_allowed', { claim: 'iss' }],
  ['iss with a path', () => sign({ iss: 'https://tenant.eu.auth0.com/path' }), 'issuer_not_allowed'],
  ['iss http for a non-loopback entry', () => sign({ iss: 'http://tenant.eu.auth0.com' }), 'issuer_not_allowed'],
  ['iss with two trailing slashes', () => sign({ iss: 'https://tenant.eu.auth0.com//' }), 'issuer_not_allowed'],
  ['iss with userinfo', () => sign({ iss: 'https://tenant.eu.auth0.com@evil.example.com' }), 'issuer_not_allowed'],
  ['iss with a trailing space', () => sign({ iss: 'tenant.eu.auth0.com ' }), 'issuer_not_allowed'],
  ['iss a number', () => sign({ iss: 443 }), 'issuer_not_allowed'],
  // Steps and state
  ['unknown step', () => sign({ steps: ['terms', 'survey'] }), 'unknown_step', { claim: 'steps' }],
  ['duplicated step', () => sign({ steps: ['terms', 'profile', 'terms'] }), 'claim_invalid', { claim: 'steps', reason: 'duplicate' }],
  ['state claim differing from the query', () => sign({ state: 'another-state' }), 'state_mismatch', { claim: 'state' }],
  ['state claim differing only in case', () => sign({ state: STATE.toLowerCase() }), 'state_mismatch'],
];

const STATUS: Record<string, number> = { token_malformed: 400, state_mismatch: 400 };

describe('verifySessionToken refuses', () => {
  it('has a row for every case the security rules list', () => {
    expect(refused.length).toBeGreaterThanOrEqual(35);
  });

  it.each(refused.map(([name, token, code, details]) => [name, code, token, details] as const))(
    '%s is refused with %s',
    async (_, code, token, details) => {
    const raw = await token();
    const refusal = await verifySessionToken(raw, options).then(
      () => expect.fail('the token was accepted'),
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(DetourError);
    expect(refusal).toMatchObject({ code, status: STATUS[code] ?? 401, details: details ?? {} });
    // The sentence is for a person and never echoes the token.
    const { message } = refusal as DetourError;
    expect(message).toMatch(/^[A-Z].*\.$/);
    if (raw.length > 0) expect(message).not.toContain(raw);
    expect(JSON.stringify((refusal as DetourError).details)).not.toContain(raw.split('.')[1] || '\u0000');
    },
  );
});

describe('verifySessionToken under the rules protocol refuses', () => {
  it.each([
    ['an allow-listed host as iss', 'issuer_not_allowed', () => sign({ iss: 'tenant.eu.auth0.com' })],
    ['a near miss of the rule issuer', 'issuer_not_allowed', () => sign({ iss: `${RULES_ISSUER}/` })],
  ])('%s is refused with %s', async (_, code, token) => {
    await expect(verifySessionToken(await token(), rulesOptions)).rejects.toMatchObject({ code });
  });
});

describe('verifySessionToken accepts', () => {
  it.each<[string, () => Promise<string>, Partial<VerifySessionTokenOptions>, Record<string, unknown>]>([
    ['a bare host iss', () => sign(), {}, { iss: 'tenant.eu.auth0.com', issuer: tenant }],
    ['an https://host/ iss', () => sign({ iss: 'https://tenant.eu.auth0.com/' }), {}, { iss: 'https://tenant.eu.auth0.com/', issuer: tenant }],
    ['an https://host:443 iss', () => sign({ iss: 'https://tenant.eu.auth0.com:443' }), {}, { issuer: tenant }],
    ['an uppercase host iss', () => sign({ iss: 'TENANT.EU.AUTH0.COM' }), {}, { iss: 'TENANT.EU.AUTH0.COM', issuer: tenant }],
    ['the custom domain', () => sign({ iss: 'https://login.example.com' }), {}, { issuer: custom }],
    ['an http loopback iss against an http loopback entry', () => sign({ iss: 'http://127.0.0.1:4010' }), {}, { issuer: local }],
    ['aud as an array containing ours', () => sign({ aud: ['https://other.example.com', AUDIENCE] }), {}, { aud: ['https://other.example.com', AUDIENCE] }],
    ['a token signed with the previous secret', () => sign({}, { secret: PREVIOUS }), {}, { sub: 'auth0|64f1c2' }],
    ['the rules protocol with its issuer', () => sign({ iss: RULES_ISSUER }), rulesOptions, { iss: RULES_ISSUER, issuer: null }],
    ['a state claim equal to the query', () => sign({ state: STATE }), {}, { state: STATE }],
    ['expired within the clock tolerance', () => sign({ iat: now - 300, exp: now - 29 }), {}, { exp: now - 29 }],
    ['nbf ahead within the clock tolerance', () => sign({ nbf: now + 29 }), {}, { nbf: now + 29 }],
    ['iat slightly ahead within the clock tolerance', () => sign({ iat: now + 29, exp: now + 300 }), {}, { iat: now + 29 }],
    ['exactly the maximum lifetime', () => sign({ iat: now, exp: now + 900 }), {}, { exp: now + 900 }],
    ['typ in lower case', () => sign({}, { header: { alg: 'HS256', typ: 'jwt' } }), {}, {}],
    ['no typ', () => sign({}, { header: { alg: 'HS256' } }), {}, {}],
    ['authorize_again on a loopback http origin', () => sign({ authorize_again: 'http://localhost:4010/authorize?x=1' }), {}, { stepClaims: { authorize_again: 'http://localhost:4010/authorize?x=1' } }],
  ])('%s', async (_, token, extraOptions, expected) => {
    const verified = await verifySessionToken(await token(), { ...options, ...extraOptions });
    expect(verified).toMatchObject(expected);
  });

  it('returns every claim it knows, typed, and drops the ones it does not', async () => {
    const profile = { given_name: 'Ada', age: 36, newsletter: false };
    const raw = await sign({
      state: STATE,
      nbf: now - 10,
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      ui_locales: 'fr-CA en',
      connection: 'Username-Password-Authentication',
      profile,
      authorize_again: 'https://tenant.eu.auth0.com/authorize?client_id=abc',
      continue_uri: 'https://evil.example.com/continue',
    });
    expect(await verifySessionToken(raw, options)).toEqual({
      sub: 'auth0|64f1c2',
      iss: 'tenant.eu.auth0.com',
      issuer: tenant,
      aud: [AUDIENCE],
      jti: 'jti-0001-abcdef',
      iat: now - 10,
      exp: now + 290,
      nbf: now - 10,
      steps: ['terms', 'profile'],
      state: STATE,
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      ui_locales: 'fr-CA en',
      stepClaims: {
        connection: 'Username-Password-Authentication',
        profile,
        authorize_again: 'https://tenant.eu.auth0.com/authorize?client_id=abc',
      },
    });
  });

  it('without the steps\' claims declared, a token\'s step claims are neither checked nor returned', async () => {
    const verified = await verifySessionToken(await sign({ connection: true, profile: ['not', 'a', 'record'] }), { ...options, stepClaims: undefined });
    expect(verified.stepClaims).toEqual({});
  });
});

const importHmac = (secret: Uint8Array<ArrayBuffer>) => crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
const SHORT_KEY = await importHmac(encode('short'));

describe('verifySessionToken with keys imported once', () => {
  it('accepts a token for either imported secret, as with raw ones', async () => {
    const secrets = [await importHmac(CURRENT), await importHmac(PREVIOUS)];
    await expect(verifySessionToken(await sign(), { ...options, secrets })).resolves.toMatchObject({ sub: 'auth0|64f1c2' });
    await expect(verifySessionToken(await sign({}, { secret: PREVIOUS }), { ...options, secrets })).resolves.toMatchObject({ sub: 'auth0|64f1c2' });
    await expect(verifySessionToken(await sign({}, { secret: UNKNOWN }), { ...options, secrets })).rejects.toMatchObject({ code: 'token_signature' });
  });
});

describe('verifySessionToken configuration', () => {
  it.each<[string, Partial<VerifySessionTokenOptions>]>([
    ['no secret', { secrets: [] }],
    ['a secret under 32 bytes', { secrets: [encode('short')] }],
    ['an imported key under 32 bytes', { secrets: [SHORT_KEY] }],
    ['a maximum age of zero', { maxAgeSeconds: 0 }],
    ['rules without an issuer', { protocol: 'rules', rulesIssuer: undefined }],
  ])('refuses to verify with %s', async (_, broken) => {
    await expect(verifySessionToken(await sign(), { ...options, ...broken })).rejects.toMatchObject({
      code: 'misconfigured',
      status: 500,
    });
  });

  it('does not fall back to the previous secret for anything but a bad signature', async () => {
    const expired = await sign({ iat: now - 300, exp: now - 31 });
    await expect(verifySessionToken(expired, options)).rejects.toMatchObject({ code: 'token_expired' });
  });
});

describe('verifySessionToken lets nothing but a DetourError escape', () => {
  // A small deterministic fuzz: flip, drop or insert characters of a good token.
  let seed = 20261120;
  const random = (below: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % below;
  };
  const alphabet = 'AZaz09-_.= \u0000é';

  it('for 300 mutated tokens and odd inputs', async () => {
    const good = await sign();
    const inputs: unknown[] = [undefined, null, 42, {}, ['a.b.c'], 'a.b.c', 'e30.e30.e30', `${base64url('null')}.e30.c2ln`];
    for (let i = 0; i < 300; i++) {
      const at = random(good.length);
      const char = alphabet[random(alphabet.length)]!;
      const mutation = random(3);
      inputs.push(
        mutation === 0
          ? good.slice(0, at) + char + good.slice(at + 1)
          : mutation === 1
            ? good.slice(0, at) + good.slice(at + 1)
            : good.slice(0, at) + char + good.slice(at),
      );
    }
    for (const input of inputs) {
      await verifySessionToken(input as string, options).then(
        (claims) => expect(claims.sub).toBe('auth0|64f1c2'),
        (error: unknown) => expect(error).toBeInstanceOf(DetourError),
      );
    }
  });
});
