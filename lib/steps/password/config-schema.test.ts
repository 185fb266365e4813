import { describe, expect, it } from 'vitest';
import { passwordConfigOf, passwordConfigSchema } from './config-schema';

const DEFAULTS = {
  min_length: 12,
  level: 'good',
  max_repeated: 3,
  min_score: 3,
  breach_check: { enabled: false, base_url: 'https://api.pwnedpasswords.com/range/', timeout_ms: 2000 },
  rate_limit: { per_flow: 5, per_user: 5, window_seconds: 60 },
};

describe('passwordConfigSchema', () => {
  it('fills every default, nested ones included', () => {
    expect(passwordConfigSchema.parse({})).toEqual(DEFAULTS);
    expect(passwordConfigSchema.parse({ breach_check: { enabled: true } }).breach_check).toEqual({ ...DEFAULTS.breach_check, enabled: true });
    expect(passwordConfigOf({})).toEqual(DEFAULTS);
  });

  it('accepts a loopback http range server (tests) and turns the repeat rule off with null', () => {
    const parsed = passwordConfigSchema.parse({ max_repeated: null, breach_check: { enabled: true, base_url: 'http://127.0.0.1:8080/range/' } });
    expect(parsed.max_repeated).toBeNull();
    expect(parsed.breach_check.base_url).toBe('http://127.0.0.1:8080/range/');
  });

  it.each([
    ['an unknown level', { level: 'strong' }, 'level'],
    ['a minimum bcrypt cannot honour', { min_length: 73 }, 'min_length'],
    ['a score above 4', { min_score: 5 }, 'min_score'],
    ['plain http to a public host', { breach_check: { base_url: 'http://api.pwnedpasswords.com/range/' } }, 'breach_check.base_url'],
    ['a base URL without the trailing slash', { breach_check: { base_url: 'https://api.pwnedpasswords.com/range' } }, 'breach_check.base_url'],
    ['a base URL with a query', { breach_check: { base_url: 'https://example.com/range/?key=1' } }, 'breach_check.base_url'],
    ['a timeout of a minute', { breach_check: { timeout_ms: 60_000 } }, 'breach_check.timeout_ms'],
    ['a zero rate limit', { rate_limit: { per_flow: 0 } }, 'rate_limit.per_flow'],
    ['an unknown key', { min_lenght: 10 }, ''],
  ])('refuses %s', (_, section, where) => {
    const parsed = passwordConfigSchema.safeParse(section);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path.join('.'))).toContain(where);
  });
});
