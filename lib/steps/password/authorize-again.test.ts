import { describe, expect, it } from 'vitest';
import { parseAllowListEntry } from '../../tokens/issuer-allow-list';
import { authorizeAgainTarget } from './authorize-again';

const production = { tenant: parseAllowListEntry('tenant.eu.auth0.com'), customDomain: parseAllowListEntry('https://login.example.com') };
const local = { tenant: parseAllowListEntry('http://127.0.0.1:4010'), customDomain: null };
const done = (authorize_again?: string) => ({ authorize_again, completed: ['password'] });

describe('authorizeAgainTarget', () => {
  it.each([
    ['the tenant domain', 'https://tenant.eu.auth0.com/authorize?client_id=abc&response_type=code&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb'],
    ['the custom domain', 'https://login.example.com/authorize?client_id=abc'],
    ['an explicit default port', 'https://TENANT.eu.auth0.com:443/authorize?x=1'],
  ])('follows a URL on %s', (_, url) => {
    expect(authorizeAgainTarget(done(url), production)).toBe(new URL(url).href);
  });

  it('follows the configured http loopback origin (local tenant)', () => {
    expect(authorizeAgainTarget(done('http://127.0.0.1:4010/authorize?client_id=abc'), local)).toBe('http://127.0.0.1:4010/authorize?client_id=abc');
  });

  it.each([
    ['another host', 'https://evil.example.com/authorize'],
    ['a look-alike suffix', 'https://tenant.eu.auth0.com.evil.example.com/authorize'],
    ['a subdomain of the tenant', 'https://x.tenant.eu.auth0.com/authorize'],
    ['http on a production tenant', 'http://tenant.eu.auth0.com/authorize'],
    ['another port', 'https://tenant.eu.auth0.com:8443/authorize'],
    ['credentials in the URL', 'https://user:pass@tenant.eu.auth0.com/authorize'],
    ['a javascript: URL', 'javascript:alert(document.domain)'],
    ['a relative URL', '/authorize?client_id=abc'],
    ['a protocol-relative URL', '//evil.example.com/authorize'],
    ['not a URL', 'not a url'],
  ])('refuses %s', (_, url) => {
    expect(authorizeAgainTarget(done(url), production)).toBeNull();
  });

  it('refuses https on a loopback tenant configured as http, and another loopback port', () => {
    expect(authorizeAgainTarget(done('https://127.0.0.1:4010/authorize'), local)).toBeNull();
    expect(authorizeAgainTarget(done('http://127.0.0.1:4011/authorize'), local)).toBeNull();
  });

  it('is null without the claim, or before the password step is done', () => {
    expect(authorizeAgainTarget(done(undefined), production)).toBeNull();
    expect(authorizeAgainTarget({ authorize_again: 'https://tenant.eu.auth0.com/authorize', completed: ['terms'] }, production)).toBeNull();
  });
});
