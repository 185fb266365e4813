import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DetourConfig } from '../config';
import { loadStepsFile } from '../config/load-steps-file';
import { DetourError } from '../errors';
import type { RequestMeta } from '../http/respond';
import { recordingManagementApi } from '../steps/testing/recording-management-api';
import type { ConsentRow, Stores } from '../store';
import { testFlow } from '../testing/flow-fixture';
import { openFlowCookie, sealFlow } from './flow-cookie';
import type { FlowState } from './flow-state';
import { submitStep, type SubmitStepDependencies } from './submit-step';

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
