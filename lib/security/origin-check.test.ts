import { describe, expect, it } from 'vitest';
import { DetourError } from '../errors';
import { assertSameOriginPost } from './origin-check';

const APP = 'https://detour.example.com';

describe('assertSameOriginPost', () => {
  it.each([
    ['a missing Origin', {}, 'origin_missing'],
    ['a missing Origin even when same-origin by fetch metadata', { 'sec-fetch-site': 'same-origin' }, 'origin_missing'],
    ['Origin: null', { origin: 'null' }, 'origin_null'],
    ['a foreign Origin', { origin: 'https://evil.example.com' }, 'origin_foreign'],
    ['a sibling subdomain', { origin: 'https://evil.detour.example.com' }, 'origin_foreign'],
    ['the same host over http', { origin: 'http://detour.example.com' }, 'origin_foreign'],
    ['the same host on another port', { origin: 'https://detour.example.com:8443' }, 'origin_foreign'],
    ['the origin with a trailing slash', { origin: 'https://detour.example.com/' }, 'origin_foreign'],
    ['same origin but Sec-Fetch-Site: cross-site', { origin: APP, 'sec-fetch-site': 'cross-site' }, 'fetch_site_cross_site'],
  ])('refuses %s', (_, headers, reason) => {
    let thrown: unknown;
    try {
      assertSameOriginPost(new Headers(headers), APP);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DetourError);
    expect(thrown).toMatchObject({ code: 'origin_rejected', status: 403, details: { reason } });
  });

  it.each([
    ['same origin with Sec-Fetch-Site: same-origin', { origin: APP, 'sec-fetch-site': 'same-origin' }],
    ['same origin without Sec-Fetch-Site', { origin: APP }],
    ['same origin with Sec-Fetch-Site: none', { origin: APP, 'sec-fetch-site': 'none' }],
  ])('accepts %s', (_, headers) => {
    expect(assertSameOriginPost(new Headers(headers), APP)).toBeUndefined();
  });

  it('compares against the origin of APP_BASE_URL, loopback included', () => {
    expect(() => assertSameOriginPost(new Headers({ origin: 'http://127.0.0.1:3000' }), 'http://127.0.0.1:3000/')).not.toThrow();
    expect(() => assertSameOriginPost(new Headers({ origin: 'http://localhost:3000' }), 'http://127.0.0.1:3000')).toThrow(DetourError);
  });
});
