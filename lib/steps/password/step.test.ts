import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Auth0ApiError } from '../../auth0';
import type { DetourConfig, StepsFile } from '../../config';
import { loadStepsFile } from '../../config/load-steps-file';
import { DetourError } from '../../errors';
import type { FlowState } from '../../flow/flow-state';
import { logger } from '../../log';
import { openSqliteStores } from '../../store/sqlite';
import type { Stores } from '../../store';
import type { StepContext } from '../types';
import { AUTH0_POLICY_REASONS } from './auth0-errors';
import { passwordConfigSchema, type PasswordConfig } from './config-schema';
import { passwordStep } from './step';
import { recordingManagementApi } from '../testing/recording-management-api';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const SHIPPED = loadStepsFile('./detour.config.json', REPO_ROOT);
const NOW = new Date('2026-11-20T12:00:00.000Z');
const STRONG = 'Blue-Kettle-Violin-42';
const BREACHED = 'Quiet-Harbour-Lantern-88';

const flow: FlowState = {
  v: 1,
  protocol: 'actions',
  sub: 'auth0|frank',
  iss: 'tenant.eu.auth0.com',
  jti: 'jti-password-0001',
  state: 'hKFo2SBsb2dpbi1zdGF0ZQ',
  steps: ['password'],
  completed: [],
  results: {},
  locale: 'en',
  email: 'frank@example.com',
  name: 'Frank Example',
  claims: { connection: 'Username-Password-Authentication' },
  started_at: NOW.getTime() / 1000 - 60,
  expires_at: NOW.getTime() / 1000 + 3540,
};

const fakeManagementApi = recordingManagementApi;

const opened: Stores[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function context(options: { password?: Partial<PasswordConfig>; flow?: Partial<FlowState>; failWith?: unknown; stores?: Stores; now?: Date } = {}) {
  const management = fakeManagementApi(options.failWith);
  const stores = options.stores ?? (await openSqliteStores('file::memory:'));
  if (!options.stores) opened.push(stores);
  const password = passwordConfigSchema.parse({ ...options.password });
  const steps: StepsFile = { ...SHIPPED, password };
  const ctx: StepContext = {
    flow: { ...flow, ...options.flow },
    config: { steps } as DetourConfig,
    managementApi: management.api,
    consentLedger: stores.consentLedger,
    stores,
    request: { clientIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)' },
    now: options.now ?? NOW,
  };
  return { ctx, writes: management.writes, stores };
}

const input = (password: string) => ({ password, confirm_password: password });

describe('passwordStep.persist', () => {
  it('writes {password, connection} for the user and returns only when it changed', async () => {
    const { ctx, writes } = await context();
    const confirmedAfter = Date.now();
    const outcome = await passwordStep.persist(ctx, input(STRONG));
    expect(writes).toEqual([{ userId: 'auth0|frank', body: { password: STRONG, connection: 'Username-Password-Authentication' } }]);
    expect(Object.keys(outcome.claim ?? {})).toEqual(['changed_at']);
    // changed_at is when Auth0 confirmed the write, not when the attempt began.
    expect(Date.parse(String(outcome.claim?.changed_at))).toBeGreaterThanOrEqual(confirmedAfter - 1);
    expect(outcome.writtenByAction).toBe(false);
    // The claim travels in the flow cookie and the return token: nothing derived from the password.
    expect(JSON.stringify(outcome)).not.toContain(STRONG);
  });

  it('refuses without a connection in the token, writing nothing', async () => {
    const { ctx, writes } = await context({ flow: { claims: {} } });
    await expect(passwordStep.persist(ctx, input(STRONG))).rejects.toMatchObject({ code: 'misconfigured', details: { reason: 'connection_missing' } });
    expect(writes).toEqual([]);
  });

  it.each([
    ['a common password that passes the character rules', 'Password1234!', 3],
    ['a keyboard walk', 'qwertyuiop1!', 2],
  ])('refuses %s under min_score %s with too_weak, writing nothing', async (_, password, minScore) => {
    const { ctx, writes } = await context({ password: { min_score: minScore } });
    await expect(passwordStep.persist(ctx, input(password))).rejects.toMatchObject({ code: 'password_policy', status: 400, details: { reason: 'too_weak' } });
    expect(writes).toEqual([]);
  });

  it('skips the strength check when min_score is 0', async () => {
    const { ctx, writes } = await context({ password: { min_score: 0 } });
    await passwordStep.persist(ctx, input('Password1234!'));
    expect(writes).toHaveLength(1);
  });

  it('passes the email local part and name to zxcvbn as guessable words', async () => {
    // Strong to zxcvbn for a stranger; the rule check (schema) is separate, so only zxcvbn's view is tested here.
    const stranger = await context();
    await passwordStep.persist(stranger.ctx, input('quixelzorban'));
    expect(stranger.writes).toHaveLength(1);
    const zorban = await context({ flow: { email: 'zq@example.com', name: 'Zorban Quixel', jti: 'jti-zorban' } });
    await expect(passwordStep.persist(zorban.ctx, input('quixelzorban'))).rejects.toMatchObject({ details: { reason: 'too_weak' } });
  });
});

describe('Auth0 refusals', () => {
  it.each(Object.entries(AUTH0_POLICY_REASONS))('%s becomes the field error password.errors.%s', async (name, reason) => {
    const failure = new Auth0ApiError(400, `${name}: Password is not allowed`, null, 'Bad Request');
    const { ctx } = await context({ failWith: failure });
    const attempt = passwordStep.persist(ctx, input(STRONG));
    await expect(attempt).rejects.toBeInstanceOf(DetourError);
    await expect(attempt).rejects.toMatchObject({ code: 'password_policy', status: 400, details: { reason } });
  });

  it('turns another 400 (no identity in that connection) into misconfigured, logging Auth0’s message only', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const failure = new Auth0ApiError(400, 'The user does not have an identity in connection Other-DB.', 'invalid_body', 'Bad Request');
    const { ctx } = await context({ failWith: failure });
    await expect(passwordStep.persist(ctx, input(STRONG))).rejects.toMatchObject({ code: 'misconfigured', details: { reason: 'auth0_refused' } });
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ event: 'password_change_refused', status: 400, error_code: 'invalid_body' }), 'password_change_refused');
    expect(JSON.stringify(warn.mock.calls)).not.toContain(STRONG);
  });

  it('lets upstream_unavailable and upstream_rate_limited through unchanged (retryable, input kept)', async () => {
    for (const failure of [
      new DetourError('upstream_unavailable', 503, 'busy'),
      new DetourError('upstream_rate_limited', 429, 'busy', { retryAfterSeconds: 3 }),
    ]) {
      const { ctx } = await context({ failWith: failure });
      await expect(passwordStep.persist(ctx, input(STRONG))).rejects.toBe(failure);
    }
  });

  it('does not map a 429 or 5xx that somehow arrives as an Auth0ApiError to a policy error', async () => {
    const { ctx } = await context({ failWith: new Auth0ApiError(404, 'The user does not exist.', 'inexistent_user') });
    await expect(passwordStep.persist(ctx, input(STRONG))).rejects.toMatchObject({ code: 'misconfigured' });
  });
});

describe('attempt limits', () => {
  it('allows five attempts per flow a minute, then says how long to wait; every refusal counts', async () => {
    const stores = await openSqliteStores('file::memory:');
    opened.push(stores);
    const weak = await context({ stores });
    for (let i = 0; i < 5; i++) {
      await expect(passwordStep.persist(weak.ctx, input('Password1234!'))).rejects.toMatchObject({ details: { reason: 'too_weak' } });
    }
    const { ctx, writes } = await context({ stores, now: new Date(NOW.getTime() + 15_000) });
    const attempt = passwordStep.persist(ctx, input(STRONG));
    await expect(attempt).rejects.toMatchObject({ code: 'rate_limited', status: 429, details: { reason: 'rate_limited', retryAfterSeconds: 45 } });
    expect(writes).toEqual([]);

    const later = await context({ stores, now: new Date(NOW.getTime() + 60_000) });
    await passwordStep.persist(later.ctx, input(STRONG));
    expect(later.writes).toHaveLength(1);
  });

  it('limits the user across flows (a new link does not reset the count)', async () => {
    const stores = await openSqliteStores('file::memory:');
    opened.push(stores);
    for (let i = 0; i < 3; i++) {
      const { ctx } = await context({ stores, flow: { jti: `jti-a-${i}` } });
      await passwordStep.persist(ctx, input(STRONG));
    }
    for (let i = 0; i < 2; i++) {
      const { ctx } = await context({ stores, flow: { jti: `jti-b-${i}` } });
      await passwordStep.persist(ctx, input(STRONG));
    }
    const { ctx, writes } = await context({ stores, flow: { jti: 'jti-c' } });
    await expect(passwordStep.persist(ctx, input(STRONG))).rejects.toMatchObject({ code: 'rate_limited' });
    expect(writes).toEqual([]);
    // Another user is not affected.
    const other = await context({ stores, flow: { sub: 'auth0|heidi', jti: 'jti-d' } });
    await passwordStep.persist(other.ctx, input(STRONG));
    expect(other.writes).toHaveLength(1);
  });

  it('follows the configured limits', async () => {
    const { ctx } = await context({ password: { rate_limit: { per_flow: 1, per_user: 10, window_seconds: 600 } } });
    await passwordStep.persist(ctx, input(STRONG));
    await expect(passwordStep.persist(ctx, input(STRONG))).rejects.toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: 600 } });
  });

  it('fails closed when the store is down, before anything is written', async () => {
    const stores = await openSqliteStores('file::memory:');
    await stores.close();
    const { ctx, writes } = await context({ stores });
    await expect(passwordStep.persist(ctx, input(STRONG))).rejects.toMatchObject({ code: 'store_unavailable', status: 503 });
    expect(writes).toEqual([]);
  });
});

describe('breached-password check', () => {
  const digest = createHash('sha1').update(BREACHED, 'utf8').digest('hex').toUpperCase();
  const requests: string[] = [];
  let answer: 'range' | 'fail' = 'range';
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (answer === 'fail') return void response.writeHead(500).end();
    const prefix = (request.url ?? '').slice(-5);
    response.end(digest.startsWith(prefix) ? `${digest.slice(5)}:17\r\n${'A'.repeat(35)}:1` : `${'A'.repeat(35)}:1`);
  });
  const baseUrl = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/range/`;
  beforeAll(() => new Promise<void>((listening) => server.listen(0, '127.0.0.1', () => listening())));
  afterAll(() => new Promise<void>((closed) => server.close(() => closed())));
  afterEach(() => {
    requests.length = 0;
    answer = 'range';
  });

  it('is off by default: no request leaves', async () => {
    const { ctx, writes } = await context();
    await passwordStep.persist(ctx, input(BREACHED));
    expect(requests).toEqual([]);
    expect(writes).toHaveLength(1);
  });

  it('refuses a breached password with breached, writing nothing', async () => {
    const { ctx, writes } = await context({ password: { breach_check: { enabled: true, base_url: baseUrl(), timeout_ms: 1000 } } });
    await expect(passwordStep.persist(ctx, input(BREACHED))).rejects.toMatchObject({ code: 'password_policy', details: { reason: 'breached' } });
    expect(requests).toEqual([`/range/${digest.slice(0, 5)}`]);
    expect(writes).toEqual([]);
  });

  it('accepts a password outside the range', async () => {
    const { ctx, writes } = await context({ password: { breach_check: { enabled: true, base_url: baseUrl(), timeout_ms: 1000 } } });
    await passwordStep.persist(ctx, input(STRONG));
    expect(requests).toHaveLength(1);
    expect(writes).toHaveLength(1);
  });

  it('fails open with a log line that holds neither the password nor its hash', async () => {
    answer = 'fail';
    const warn = vi.spyOn(logger, 'warn');
    const { ctx, writes } = await context({ password: { breach_check: { enabled: true, base_url: baseUrl(), timeout_ms: 1000 } } });
    await passwordStep.persist(ctx, input(BREACHED));
    expect(writes).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ event: 'breach_check_skipped', reason: 'http_500' }), 'breach_check_skipped');
    const logged = JSON.stringify(warn.mock.calls);
    expect(logged).not.toContain(BREACHED);
    expect(logged).not.toContain(digest.slice(0, 5));
  });
});
