import { describe, expect, it } from 'vitest';
import type { DetourConfig } from '../config';
import { DetourError } from '../errors';
import { parseAllowListEntry, type AllowListEntry } from '../tokens';
import { continueUrl } from './continue-target';

const STATE = 'hKFo2SBsb2dpbi1zdGF0ZQ';

/** continueUrl reads only the protocol, tenant, custom domain and allow-list of the configuration. */
function config(tenant: string, customDomain?: string, protocol: 'actions' | 'rules' = 'actions'): DetourConfig {
  const tenantEntry = parseAllowListEntry(tenant);
  const customEntry = customDomain ? parseAllowListEntry(customDomain) : null;
  const issuerAllowList: AllowListEntry[] = customEntry ? [tenantEntry, customEntry] : [tenantEntry];
  return { protocol, tenant: tenantEntry, customDomain: customEntry, issuerAllowList } as DetourConfig;
}

describe('continueUrl under actions', () => {
  it.each([
    ['a bare tenant host', config('tenant.eu.auth0.com', 'login.example.com'), 'tenant.eu.auth0.com', 'https://tenant.eu.auth0.com/continue'],
    ['the tenant as an origin iss', config('tenant.eu.auth0.com', 'login.example.com'), 'https://TENANT.eu.auth0.com/', 'https://tenant.eu.auth0.com/continue'],
    ['the custom domain iss', config('tenant.eu.auth0.com', 'login.example.com'), 'login.example.com', 'https://login.example.com/continue'],
    ['the custom domain iss as an origin', config('tenant.eu.auth0.com', 'https://login.example.com'), 'https://login.example.com/', 'https://login.example.com/continue'],
    ['an http loopback entry', config('http://127.0.0.1:4010'), '127.0.0.1:4010', 'http://127.0.0.1:4010/continue'],
    ['an http loopback entry and http iss', config('http://127.0.0.1:4010'), 'http://127.0.0.1:4010/', 'http://127.0.0.1:4010/continue'],
    ['a bare loopback host configured without a scheme', config('127.0.0.1:4010'), '127.0.0.1:4010', 'https://127.0.0.1:4010/continue'],
  ])('goes back to the origin matching %s', (_, cfg, iss, expected) => {
    expect(continueUrl({ protocol: 'actions', iss, state: STATE }, cfg)).toBe(`${expected}?state=${STATE}`);
  });

  it('URL-encodes the state so it cannot add parameters or change the path', () => {
    const state = 'a&b=c d/é?#x+';
    const url = new URL(continueUrl({ protocol: 'actions', iss: 'tenant.eu.auth0.com', state }, config('tenant.eu.auth0.com')));
    expect(url.origin).toBe('https://tenant.eu.auth0.com');
    expect(url.pathname).toBe('/continue');
    expect(url.hash).toBe('');
    expect([...url.searchParams.keys()]).toEqual(['state']);
    expect(url.searchParams.get('state')).toBe(state);
    expect(url.search).not.toContain('&b=');
  });

  it.each([
    ['an iss no longer on the allow-list', 'old-tenant.eu.auth0.com'],
    ['an http iss for an https entry', 'http://tenant.eu.auth0.com'],
    ['the same host on another port', 'tenant.eu.auth0.com:8443'],
  ])('refuses %s as misconfigured', (_, iss) => {
    let thrown: unknown;
    try {
      continueUrl({ protocol: 'actions', iss, state: STATE }, config('tenant.eu.auth0.com', 'login.example.com'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DetourError);
    expect(thrown).toMatchObject({ code: 'misconfigured', status: 500 });
  });
});

describe('continueUrl under rules', () => {
  it.each([
    ['the custom domain when set', config('tenant.eu.auth0.com', 'login.example.com', 'rules'), 'https://login.example.com/continue'],
    ['the tenant domain without a custom domain', config('tenant.eu.auth0.com', undefined, 'rules'), 'https://tenant.eu.auth0.com/continue'],
    ['an http loopback tenant', config('http://localhost:4010', undefined, 'rules'), 'http://localhost:4010/continue'],
  ])('goes back to %s, whatever the iss', (_, cfg, expected) => {
    for (const iss of ['urn:detour:rule', 'tenant.eu.auth0.com', 'evil.example.com']) {
      expect(continueUrl({ protocol: 'rules', iss, state: STATE }, cfg)).toBe(`${expected}?state=${STATE}`);
    }
  });
});
