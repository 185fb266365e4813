import { beforeAll, describe, expect, it } from 'vitest';
import { stubDetourEnv, TEST_APP_BASE_URL } from '../testing/detour-env';

let startOverResponse: typeof import('./start-over-response').startOverResponse;
beforeAll(async () => {
  stubDetourEnv();
  ({ startOverResponse } = await import('./start-over-response'));
});

const meta = { requestId: 'r-1', nonce: 'bm9uY2U=', clientIp: null, userAgent: null };

describe('startOverResponse', () => {
  it('expires the flow cookie with the attributes it was set with, and says how to begin again in the asked language', async () => {
    const response = await startOverResponse(new Request(`${TEST_APP_BASE_URL}/start-over`, { method: 'POST', headers: { 'accept-language': 'de' } }), meta);
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBe('__Host-detour-flow=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toContain('<html lang="de"');
  });
});
