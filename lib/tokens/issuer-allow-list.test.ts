import { describe, expect, it } from 'vitest';
import { matchIssuer, parseAllowListEntry } from './issuer-allow-list';

describe('parseAllowListEntry', () => {
  it.each([
    ['tenant.eu.auth0.com', { origin: 'https://tenant.eu.auth0.com', host: 'tenant.eu.auth0.com', loopbackHttp: false }],
    ['Tenant.EU.Auth0.com', { origin: 'https://tenant.eu.auth0.com', host: 'tenant.eu.auth0.com', loopbackHttp: false }],
    ['  tenant.eu.auth0.com  ', { origin: 'https://tenant.eu.auth0.com', host: 'tenant.eu.auth0.com', loopbackHttp: false }],
    ['https://login.example.com', { origin: 'https://login.example.com', host: 'login.example.com', loopbackHttp: false }],
    ['https://login.example.com/', { origin: 'https://login.example.com', host: 'login.example.com', loopbackHttp: false }],
    ['HTTPS://login.example.com:443', { origin: 'https://login.example.com', host: 'login.example.com', loopbackHttp: false }],
    ['https://login.example.com:8443', { origin: 'https://login.example.com:8443', host: 'login.example.com:8443', loopbackHttp: false }],
    // A bare host always means https, loopback or not.
    ['127.0.0.1:4010', { origin: 'https://127.0.0.1:4010', host: '127.0.0.1:4010', loopbackHttp: false }],
    ['http://127.0.0.1:4010', { origin: 'http://127.0.0.1:4010', host: '127.0.0.1:4010', loopbackHttp: true }],
    ['http://127.10.0.2', { origin: 'http://127.10.0.2', host: '127.10.0.2', loopbackHttp: true }],
    ['http://localhost:4010/', { origin: 'http://localhost:4010', host: 'localhost:4010', loopbackHttp: true }],
    ['http://[::1]:4010', { origin: 'http://[::1]:4010', host: '[::1]:4010', loopbackHttp: true }],
    ['http://localhost:80', { origin: 'http://localhost', host: 'localhost', loopbackHttp: true }],
  ])('reads %j', (value, entry) => {
    expect(parseAllowListEntry(value)).toEqual(entry);
  });

  it.each([
    ['', /empty/],
    ['http://tenant.eu.auth0.com', /loopback/],
    ['http://127.0.0.256', /loopback/],
    ['http://localhost.example.com', /loopback/],
    ['ftp://tenant.eu.auth0.com', /https:\/\//],
    ['https://tenant.eu.auth0.com/path', /path/],
    ['https://tenant.eu.auth0.com//', /path/],
    ['https://tenant.eu.auth0.com?x=1', /query/],
    ['https://user@tenant.eu.auth0.com', /credentials/],
    ['https://tenant.eu.auth0.com:99999', /host\[:port\]/],
    ['https://tenant.eu.auth0.com:0443', /host\[:port\]/],
    ['tenant .eu.auth0.com', /host\[:port\]/],
    ['https://', /host\[:port\]/],
  ])('refuses %j with a message naming the problem', (value, message) => {
    expect(() => parseAllowListEntry(value)).toThrowError(message);
  });
});

describe('matchIssuer', () => {
  const tenant = parseAllowListEntry('tenant.eu.auth0.com');
  const custom = parseAllowListEntry('https://login.example.com:8443');
  const local = parseAllowListEntry('http://127.0.0.1:4010');
  const entries = [tenant, custom, local];

  it.each([
    ['tenant.eu.auth0.com', tenant],
    ['https://tenant.eu.auth0.com', tenant],
    ['https://tenant.eu.auth0.com/', tenant],
    ['TENANT.EU.AUTH0.COM', tenant],
    ['HTTPS://Tenant.EU.Auth0.com/', tenant],
    ['https://tenant.eu.auth0.com:443', tenant],
    ['login.example.com:8443', custom],
    ['https://login.example.com:8443/', custom],
    ['http://127.0.0.1:4010', local],
    ['http://127.0.0.1:4010/', local],
    // Only the host is compared for a bare or https iss; the scheme used later comes from the entry.
    ['127.0.0.1:4010', local],
    ['https://127.0.0.1:4010', local],
  ])('%j matches', (iss, entry) => {
    expect(matchIssuer(iss, entries)).toBe(entry);
  });

  it.each([
    ['another host', 'evil.example.com'],
    ['a suffix of an allowed host', 'eu.auth0.com'],
    ['an allowed host as a prefix', 'tenant.eu.auth0.com.evil.example.com'],
    ['a path', 'https://tenant.eu.auth0.com/path'],
    ['a path without a scheme', 'tenant.eu.auth0.com/x'],
    ['two trailing slashes', 'https://tenant.eu.auth0.com//'],
    ['a query', 'https://tenant.eu.auth0.com?x=1'],
    ['a fragment', 'https://tenant.eu.auth0.com#x'],
    ['userinfo', 'https://user@tenant.eu.auth0.com'],
    ['a leading space', ' tenant.eu.auth0.com'],
    ['a trailing space', 'tenant.eu.auth0.com '],
    ['a trailing newline', 'tenant.eu.auth0.com\n'],
    ['http for an https entry', 'http://tenant.eu.auth0.com'],
    ['http:// with the default port for an https entry', 'http://tenant.eu.auth0.com:80'],
    ['a different port', 'https://login.example.com:9443'],
    ['a missing port', 'login.example.com'],
    ['a bare host with :443 (taken literally)', 'tenant.eu.auth0.com:443'],
    ['another scheme', 'ftp://tenant.eu.auth0.com'],
    ['a scheme without slashes', 'https:tenant.eu.auth0.com'],
    ['a port over 65535', 'tenant.eu.auth0.com:70000'],
    ['the empty string', ''],
    ['a trailing dot', 'tenant.eu.auth0.com.'],
    ['a loopback http iss on another port', 'http://127.0.0.1:4011'],
  ])('%s does not match', (_, iss) => {
    expect(matchIssuer(iss, entries)).toBeUndefined();
  });

  it('matches nothing against an empty allow-list', () => {
    expect(matchIssuer('tenant.eu.auth0.com', [])).toBeUndefined();
  });
});
