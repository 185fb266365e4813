import { describe, expect, it } from 'vitest';
import { DetourError } from '../errors';
import { MAX_STATE_LENGTH, readStartParameters, tokenParameterName } from './start-parameters';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const STATE = 'hKFo2SBsb2dpbi1zdGF0ZQ';

type Protocol = 'actions' | 'rules';
const PROTOCOLS: [Protocol, string, string][] = [
  ['actions', 'session_token', 'token'],
  ['rules', 'token', 'session_token'],
];

const query = (pairs: [string, string][]) => new URLSearchParams(pairs);

describe('tokenParameterName', () => {
  it.each(PROTOCOLS)('%s reads %s', (protocol, name) => {
    expect(tokenParameterName(protocol)).toBe(name);
  });
});

describe.each(PROTOCOLS)('readStartParameters under %s (token parameter %s)', (protocol, name, otherName) => {
  it.each([
    ['no state', [[name, TOKEN]], 'invalid_request', 'state_count'],
    ['two states', [['state', STATE], ['state', STATE], [name, TOKEN]], 'invalid_request', 'state_count'],
    ['two different states', [['state', STATE], ['state', 'other'], [name, TOKEN]], 'invalid_request', 'state_count'],
    ['no token', [['state', STATE]], 'invalid_request', 'token_count'],
    ['only the other protocol’s token parameter', [['state', STATE], [otherName, TOKEN]], 'invalid_request', 'token_count'],
    ['two tokens', [['state', STATE], [name, TOKEN], [name, TOKEN]], 'invalid_request', 'token_count'],
    ['an empty state', [['state', ''], [name, TOKEN]], 'invalid_request', 'state_length'],
    [`a state of ${MAX_STATE_LENGTH + 1} characters`, [['state', 's'.repeat(MAX_STATE_LENGTH + 1)], [name, TOKEN]], 'invalid_request', 'state_length'],
    ['a token of 4097 bytes', [['state', STATE], [name, 't'.repeat(4097)]], 'token_malformed', 'token_size'],
    ['a token of 4095 ASCII + one 2-byte character', [['state', STATE], [name, `${'t'.repeat(4095)}é`]], 'token_malformed', 'token_size'],
  ] as [string, [string, string][], string, string][])('refuses %s with %s', (_, pairs, code, reason) => {
    let thrown: unknown;
    try {
      readStartParameters(query(pairs), protocol);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DetourError);
    expect(thrown).toMatchObject({ code, status: 400, details: { reason } });
  });

  it.each([
    ['a plain state', STATE],
    ['a state of exactly the maximum length', 's'.repeat(MAX_STATE_LENGTH)],
    ['unicode and special characters', 'état/日本語 +&=?#%20"<>\'🚀'],
    ['surrounding spaces', '  padded  '],
  ])('returns %s and the token byte for byte', (_, state) => {
    const params = query([['state', state], [name, TOKEN], ['ui_locales', 'de']]);
    const result = readStartParameters(params, protocol);
    expect(result).toEqual({ state, token: TOKEN });
    expect(Buffer.from(result.state).equals(Buffer.from(state))).toBe(true);
  });

  it('keeps percent-decoded bytes from a raw query string exactly', () => {
    const raw = `state=a%2Bb+c%26d%3De%C3%A9&${name}=${TOKEN}`;
    expect(readStartParameters(new URLSearchParams(raw), protocol).state).toBe('a+b c&d=eé');
  });

  it('accepts a token of exactly 4096 bytes (its format is checked later)', () => {
    const token = 't'.repeat(4096);
    expect(readStartParameters(query([['state', STATE], [name, token]]), protocol).token).toBe(token);
  });
});
