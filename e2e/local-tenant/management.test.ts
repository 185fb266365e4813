import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, SEED_PASSWORD, startLocalTenant, type LocalTenant } from './main';
import { KNOWN_IN_BERLIN } from './users';

let tenant: LocalTenant;
beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0 });
});
afterAll(() => tenant.close());
beforeEach(() => fetch(`${tenant.url}/__reset`, { method: 'POST' }));

const tokenRequest = (fields: Record<string, string>) =>
  fetch(`${tenant.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', audience: `${tenant.url}/api/v2/`, ...fields }),
  });

async function accessToken(): Promise<string> {
  const res = await tokenRequest({ client_id: DEV_CLIENT_ID, client_secret: DEV_CLIENT_SECRET });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function patch(id: string, body: unknown, token?: string) {
  const res = await fetch(`${tenant.url}/api/v2/users/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token ?? (await accessToken())}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

const fault = (body: Record<string, unknown>) =>
  fetch(`${tenant.url}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('/oauth/token', () => {
  it('issues a client-credentials token for the configured client', async () => {
    const res = await tokenRequest({ client_id: DEV_CLIENT_ID, client_secret: DEV_CLIENT_SECRET });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ expires_in: 86400, token_type: 'Bearer' });
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(body.scope).toContain('update:users');
  });

  it('accepts a JSON body too', async () => {
    const res = await fetch(`${tenant.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: DEV_CLIENT_ID, client_secret: DEV_CLIENT_SECRET, audience: `${tenant.url}/api/v2/` }),
    });
    expect(res.status).toBe(200);
  });

  it('refuses bad credentials with 401 access_denied', async () => {
    const res = await tokenRequest({ client_id: DEV_CLIENT_ID, client_secret: 'wrong' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
  });

  it('refuses another audience', async () => {
    const res = await tokenRequest({ client_id: DEV_CLIENT_ID, client_secret: DEV_CLIENT_SECRET, audience: 'https://elsewhere/api/v2/' });
    expect(res.status).toBe(403);
  });
});

describe('Management API users', () => {
  it('refuses a token it did not issue, with rate-limit headers', async () => {
    const res = await patch('auth0|alice', { user_metadata: { a: 1 } }, 'not-a-token');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid token' });
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) expect(res.headers.get(h)).toMatch(/^\d+$/);
  });

  it('GETs a user without any password material', async () => {
    const res = await fetch(`${tenant.url}/api/v2/users/auth0%7Cbob`, { headers: { authorization: `Bearer ${await accessToken()}` } });
    const body = await res.json();
    expect(body).toMatchObject({ user_id: 'auth0|bob', app_metadata: { terms_accepted_version: '2025-01-01' } });
    expect(JSON.stringify(body)).not.toMatch(/scrypt|passwordHash|Seed-Passw0rd/);
  });

  it('GETs a user without the tenant-side seed of where it signs in from (pablo signs in from Lisbon)', async () => {
    const res = await fetch(`${tenant.url}/api/v2/users/auth0%7Cpablo`, { headers: { authorization: `Bearer ${await accessToken()}` } });
    const body = await res.json();
    expect(body).toMatchObject({ user_id: 'auth0|pablo', email_verified: true, app_metadata: { detour_known_locations: KNOWN_IN_BERLIN } });
    expect(body).not.toHaveProperty('signsInFrom');
    expect(JSON.stringify(body)).not.toMatch(/Lisbon|latitude/);
  });

  it('answers 404 inexistent_user for an unknown user', async () => {
    const res = await patch('auth0|nobody', { user_metadata: {} });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'The user does not exist.', errorCode: 'inexistent_user' });
  });

  it('merges metadata at the first level, deletes on null, replaces root attributes', async () => {
    const token = await accessToken();
    await patch('auth0|bob', { user_metadata: { prefs: { a: 1, b: 2 }, keep: 'yes' } }, token);
    const res = await patch(
      'auth0|bob',
      { app_metadata: { terms_accepted_version: '2026-11-01', terms_accepted_at: null }, user_metadata: { prefs: { c: 3 } }, given_name: 'Robert' },
      token,
    );
    expect(res.status).toBe(200);
    expect(res.body.app_metadata).toEqual({ terms_accepted_version: '2026-11-01', detour_known_locations: KNOWN_IN_BERLIN });
    expect(res.body.user_metadata).toEqual({ phone: '+447700900123', country: 'GB', prefs: { c: 3 }, keep: 'yes' });
    expect(res.body.given_name).toBe('Robert');
    const stored = await (await fetch(`${tenant.url}/__users/auth0%7Cbob`)).json();
    expect(stored.app_metadata).toEqual({ terms_accepted_version: '2026-11-01', detour_known_locations: KNOWN_IN_BERLIN });
  });

  it('refuses unknown properties and non-object metadata with invalid_body', async () => {
    const token = await accessToken();
    expect((await patch('auth0|bob', { foo: 1 }, token)).body).toMatchObject({ statusCode: 400, errorCode: 'invalid_body' });
    expect((await patch('auth0|bob', { app_metadata: 'x' }, token)).body).toMatchObject({ statusCode: 400, errorCode: 'invalid_body' });
  });

  describe('password', () => {
    const conn = 'Username-Password-Authentication';
    const cases: [string, string][] = [
      ['short1', 'PasswordStrengthError: Password is too weak'],
      [SEED_PASSWORD, 'PasswordHistoryError: Password has previously been used'],
      ['password123', 'PasswordDictionaryError: Password is too common'],
      ['my-alice-pass-99', 'PasswordNoUserInfoError: Password contains user information'],
    ];
    it.each(cases)('refuses %s with %s', async (password, message) => {
      const res = await patch('auth0|alice', { password, connection: conn });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
    });

    it('requires the user’s database connection', async () => {
      const token = await accessToken();
      expect((await patch('auth0|alice', { password: 'Fresh-Passw0rd-1' }, token)).body).toMatchObject({ errorCode: 'invalid_body' });
      expect((await patch('auth0|alice', { password: 'Fresh-Passw0rd-1', connection: 'other' }, token)).status).toBe(400);
      expect((await patch('google-oauth2|dave', { password: 'Fresh-Passw0rd-1', connection: conn }, token)).status).toBe(400);
    });

    it('changes the password, then refuses it as history; logs it redacted', async () => {
      const token = await accessToken();
      const ok = await patch('auth0|alice', { password: 'Fresh-Passw0rd-1', connection: conn }, token);
      expect(ok.status).toBe(200);
      expect(ok.body.last_password_reset).toBeTypeOf('string');
      const again = await patch('auth0|alice', { password: 'Fresh-Passw0rd-1', connection: conn }, token);
      expect(again.body.message).toBe('PasswordHistoryError: Password has previously been used');
      const calls = await (await fetch(`${tenant.url}/__calls`)).text();
      expect(calls).not.toContain('Fresh-Passw0rd-1');
      expect(JSON.parse(calls).writes[0]).toMatchObject({ method: 'PATCH', path: '/api/v2/users/auth0%7Calice', body: { password: '[redacted]', connection: conn }, status: 200 });
    });
  });
});

describe('fault injection', () => {
  it('answers 429 with Auth0’s body and reset header, then normally', async () => {
    const token = await accessToken();
    expect((await fault({ target: 'users_patch', mode: '429', times: 1, resetInSeconds: 3 })).status).toBe(201);
    const before = Math.floor(Date.now() / 1000);
    const limited = await patch('auth0|alice', { user_metadata: { a: 1 } }, token);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ statusCode: 429, error: 'Too Many Requests', errorCode: 'too_many_requests', message: 'Global limit has been reached' });
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(before + 3);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    const ok = await patch('auth0|alice', { user_metadata: { a: 1 } }, token);
    expect(ok.status).toBe(200);
    const calls = await (await fetch(`${tenant.url}/__calls`)).json();
    expect(calls.writes.map((w: { status: number }) => w.status)).toEqual([429, 200]);
  });

  it('fails the token endpoint with 500 the given number of times', async () => {
    await fault({ target: 'oauth_token', mode: '500', times: 2 });
    const creds = { client_id: DEV_CLIENT_ID, client_secret: DEV_CLIENT_SECRET };
    expect((await tokenRequest(creds)).status).toBe(500);
    expect((await tokenRequest(creds)).status).toBe(500);
    expect((await tokenRequest(creds)).status).toBe(200);
    expect((await (await fetch(`${tenant.url}/__calls`)).json()).tokenRequests).toBe(3);
  });

  it('drops the connection (refused) and delays (slow)', async () => {
    const token = await accessToken();
    await fault({ target: 'users_get', mode: 'refused', times: 1 });
    await expect(fetch(`${tenant.url}/api/v2/users/auth0%7Calice`, { headers: { authorization: `Bearer ${token}` } })).rejects.toThrow();
    await fault({ target: 'users_get', mode: 'slow', times: 1, delayMs: 300 });
    const started = Date.now();
    const res = await fetch(`${tenant.url}/api/v2/users/auth0%7Calice`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('refuses an invalid fault and clears faults on reset', async () => {
    expect((await fault({ target: 'nope', mode: '429' })).status).toBe(400);
    await fault({ target: 'users_patch', mode: '500', times: 5 });
    await fetch(`${tenant.url}/__reset`, { method: 'POST' });
    expect((await patch('auth0|alice', { user_metadata: { a: 1 } })).status).toBe(200);
  });
});
