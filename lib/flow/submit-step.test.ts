import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DetourConfig } from '../config';
import { loadStepsFile } from '../config/load-steps-file';
import { DetourError } from '../errors';
import type { RequestMeta } from '../http/respond';
import { recordingManagementApi } from '../steps/testing/recording-management-api';
import type { ConsentRow, Stores } from '../store';
import { tempDatabases } from '../store/fixtures/temp-database';
import { openSqliteStores } from '../store/sqlite';
import { testFlow } from '../testing/flow-fixture';
import { openFlowCookie, sealFlow } from './flow-cookie';
import type { FlowState } from './flow-state';
import { submitStep, type SubmitStepDependencies } from './submit-step';
import { mailCatcherPerTest } from '../testing/mail-catcher';

const REPO_ROOT = path.resolve(__dirname, '../..');
const KEY = new Uint8Array(32).fill(7);
const OTHER_KEY = new Uint8Array(32).fill(9);
const BASE = 'https://detour.example.com';
const NOW = new Date('2026-11-20T12:00:00.000Z');
const CURRENT = '2026-11-01';
const config = { appBaseUrl: BASE, flowCookieKey: KEY, steps: loadStepsFile('./detour.config.json', REPO_ROOT) } as DetourConfig;
const meta: RequestMeta = { requestId: 'req-0001', nonce: 'n', clientIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)' };

// The cookie's own expiry is checked against the real clock; the step's work runs at NOW.
const flow = (overrides: Partial<FlowState> = {}): FlowState => testFlow({ sub: 'auth0|64f1c2', ...overrides });

const form = (entries: [string, string][]) => {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
};
const ACCEPTED: [string, string][] = [
  ['accept', 'on'],
  ['version', CURRENT],
];
const sameOrigin = () => new Headers({ origin: BASE, 'sec-fetch-site': 'same-origin' });

function world(options: { failWith?: unknown } = {}) {
  const management = recordingManagementApi(options.failWith);
  const rows: ConsentRow[] = [];
  const consentLedger: Stores['consentLedger'] = {
    async recordConsent(row) {
      rows.push(row);
      return { inserted: true };
    },
    async listConsents() {
      return rows;
    },
  };
  const dependencies: SubmitStepDependencies = {
    config,
    stores: async () => ({ consentLedger }) as Stores,
    managementApi: () => management.api,
    now: () => NOW,
  };
  return { dependencies, writes: management.writes, rows };
}

interface PostOptions {
  headers?: Headers;
  /** The flow the cookie holds; null for no cookie at all. */
  flow?: FlowState | null;
  /** The key the cookie was sealed with (another deployment's, say). */
  sealedWith?: Uint8Array;
  failWith?: unknown;
  step?: string;
}

async function post(entries: [string, string][], options: PostOptions = {}) {
  const { dependencies, writes, rows } = world({ failWith: options.failWith });
  const cookieValue = options.flow === null ? undefined : await sealFlow(options.flow ?? flow(), options.sealedWith ?? KEY);
  const result = await submitStep(options.step ?? 'terms', { formData: form(entries), headers: options.headers ?? sameOrigin(), cookieValue, meta }, dependencies);
  return { result, writes, rows };
}

describe('submitStep: refusals write nothing and keep the input', () => {
  it.each([
    ['no Origin', { headers: new Headers() }, 403, 'origin_rejected', false],
    ['Origin: null', { headers: new Headers({ origin: 'null' }) }, 403, 'origin_rejected', false],
    ['a foreign Origin', { headers: new Headers({ origin: 'https://evil.example' }) }, 403, 'origin_rejected', false],
    ['Sec-Fetch-Site: cross-site', { headers: new Headers({ origin: BASE, 'sec-fetch-site': 'cross-site' }) }, 403, 'origin_rejected', false],
    ['no flow cookie', { flow: null }, 401, 'flow_missing', false],
    ['a cookie sealed with another key', { sealedWith: OTHER_KEY }, 401, 'flow_missing', false],
    ['a step the flow does not ask for', { step: 'password' }, 400, 'invalid_request', true],
    ['a step Detour does not know', { step: 'teleport' }, 400, 'invalid_request', true],
    ['a step after the current one', { flow: flow({ steps: ['profile', 'terms'] }) }, 400, 'invalid_request', true],
    ['the Management API out of retries', { failWith: new DetourError('upstream_unavailable', 503, 'down', { reason: 'server_error' }) }, 503, 'upstream_unavailable', true],
    ['an unexpected failure', { failWith: new Error('boom') }, 500, 'misconfigured', true],
  ] as [string, PostOptions, number, string, boolean][])('%s → %s %s', async (_, options, status, code, flowShown) => {
    const { result, writes, rows } = await post(ACCEPTED, options);
    expect(result).toMatchObject({ kind: 'refused', status, state: { status: 'error', code, values: { accept: 'on', version: CURRENT }, requestId: 'req-0001' } });
    expect(result.kind === 'refused' && result.flow !== undefined).toBe(flowShown);
    expect(writes).toEqual([]);
    expect(rows).toEqual([]);
  });

  it.each([
    ['the box not ticked', [['version', CURRENT]], { accept: ['terms.errors.must_accept'] }],
    ['the box sent twice', [...ACCEPTED, ['accept', 'on']], { accept: ['terms.errors.must_accept'] }],
    ['no version', [['accept', 'on']], { version: [expect.any(String)] }],
    ['a version longer than any', [['accept', 'on'], ['version', 'v'.repeat(65)]], { version: [expect.any(String)] }],
  ] as [string, [string, string][], Record<string, string[]>][])('%s is a field error (422)', async (_, entries, fieldErrors) => {
    const { result, writes } = await post(entries);
    expect(result).toMatchObject({ kind: 'refused', status: 422, state: { code: 'validation_failed', fieldErrors } });
    expect(result.kind === 'refused' && result.flow?.sub).toBe('auth0|64f1c2');
    expect(writes).toEqual([]);
  });

  it('another terms version than the one in force (terms changed, or a tampered field) is refused by name', async () => {
    const { result, writes, rows } = await post([['accept', 'on'], ['version', '2025-01-01']]);
    expect(result).toMatchObject({ kind: 'refused', status: 422, state: { code: 'validation_failed', messageKey: 'terms.errors.version_changed' } });
    expect(writes).toEqual([]);
    expect(rows).toEqual([]);
  });

  it('never echoes a field the step calls secret back into the form, even when refused before its schema runs', async () => {
    const { result } = await post([['password', 'Blue-Kettle-Violin-42'], ['confirm_password', 'x'], ['current_password', 'y'], ['note', 'kept']], { step: 'password' });
    expect(result.kind === 'refused' && result.state.values).toEqual({ note: 'kept' });
  });
});

describe('submitStep: accepted', () => {
  it.each([
    ['the current step, more to come', flow(), '/steps/profile', ['terms']],
    ['the last step', flow({ steps: ['terms'] }), '/complete', ['terms']],
    ['a finished step opened again', flow({ completed: ['terms'], results: { terms: { version: CURRENT } } }), '/steps/profile', ['terms']],
  ] as const)('%s → %s', async (_, current, nextPath, completed) => {
    const { result, writes, rows } = await post(ACCEPTED, { flow: current });
    if (result.kind !== 'advanced') throw new Error(`not advanced: ${JSON.stringify(result)}`);
    expect(result.nextPath).toBe(nextPath);
    expect(result.expiresAt).toBe(current.expires_at);
    const sealed = await openFlowCookie(result.sealed, KEY);
    expect(sealed).toEqual(result.flow);
    expect(sealed).toMatchObject({ completed, results: { terms: { version: CURRENT, accepted_at: NOW.toISOString() } }, written_by_action: [] });
    expect(writes).toEqual([{ userId: 'auth0|64f1c2', body: { app_metadata: { terms_accepted_version: CURRENT, terms_accepted_at: NOW.toISOString() } } }]);
    expect(rows).toMatchObject([{ sub: 'auth0|64f1c2', termsVersion: CURRENT, jti: 'jti-0001-abcdef', clientIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)' }]);
  });
});

describe('submitStep: a step that stays or ends (verify)', () => {
  // The verify step on real SQLite stores and real SMTP to a catcher; the cookie's expiry is checked against the
  // real clock, so the step's clock starts there too.
  const temp = tempDatabases();
  const catcher = mailCatcherPerTest();
  let stores: Stores;
  let clock: Date;
  let management: ReturnType<typeof recordingManagementApi>;
  const PABLO = 'pablo@example.com';
  const LISBON = { country: 'PT', region: 'Lisbon', city: 'Lisbon' };
  const verifyFlow = () => flow({ steps: ['verify'], email: PABLO, claims: { verify: { location: LISBON, reason: 'new_location' } } });

  afterAll(() => temp.cleanup());
  beforeEach(async () => {
    clock = new Date(Math.floor(Date.now() / 1000) * 1000);
    stores = await openSqliteStores(`file:${temp.nextPath()}`, { now: () => clock });
    management = recordingManagementApi();
  });
  afterEach(async () => {
    // The verify step writes nothing to Auth0, whatever the outcome.
    expect(management.writes).toEqual([]);
    await stores.close();
    vi.unstubAllEnvs();
  });

  const postVerify = async (entries: [string, string][], current: FlowState = verifyFlow()) =>
    submitStep(
      'verify',
      { formData: form(entries), headers: sameOrigin(), cookieValue: await sealFlow(current, KEY), meta },
      { config, stores: async () => stores, managementApi: () => management.api, now: () => clock },
    );
  const codeMailed = () => /^(\d{6})$/m.exec(catcher().latestTo(PABLO)?.text ?? '')?.[1] ?? 'no code mailed';

  it('a new code → stayed: a notice, the flow as it was, no new cookie, a mail sent', async () => {
    const current = verifyFlow();
    const result = await postVerify([['intent', 'resend']], current);
    expect(result).toEqual({
      kind: 'stayed',
      flow: current,
      state: { status: 'notice', messageKey: 'verify.code_sent_again', messageParams: { email: 'p***o@example.com' }, requestId: 'req-0001' },
    });
    expect(catcher().messages().map((mail) => mail.to)).toEqual([[PABLO]]);
  });

  it('"this wasn\'t me" → ended (verification_declined), the flow not advanced', async () => {
    const current = verifyFlow();
    const result = await postVerify([['intent', 'not_me']], current);
    expect(result).toEqual({ kind: 'ended', flow: current, end: { code: 'verification_declined', titleKey: 'verify.declined.title', bodyKey: 'verify.declined.body' } });
    expect(result).not.toHaveProperty('sealed');
    // Ended for good: a code asked for afterwards is refused.
    expect(await postVerify([['intent', 'resend']])).toMatchObject({ kind: 'refused', status: 403, state: { code: 'verification_declined' } });
  });

  it('a wrong code → refused (422 code_invalid, tries left), the code not echoed back', async () => {
    await postVerify([['intent', 'resend']]);
    const wrong = String((Number(codeMailed()) + 1) % 1_000_000).padStart(6, '0');
    const result = await postVerify([['intent', 'verify'], ['code', wrong]]);
    expect(result).toMatchObject({ kind: 'refused', status: 422, state: { code: 'code_invalid', messageKey: 'verify.errors.code_invalid', messageParams: { left: 4 } } });
    expect(result.kind === 'refused' && result.state.values).toEqual({ intent: 'verify' });
  });

  it('the code from the mail → advanced to /complete with the verify claim', async () => {
    await postVerify([['intent', 'resend']]);
    const result = await postVerify([['code', codeMailed()]]);
    if (result.kind !== 'advanced') throw new Error(`not advanced: ${JSON.stringify(result)}`);
    expect(result.nextPath).toBe('/complete');
    expect((await openFlowCookie(result.sealed, KEY)).results).toEqual({ verify: { method: 'email_otp', at: clock.toISOString(), location: LISBON } });
  });
});
