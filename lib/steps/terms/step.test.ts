import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DetourConfig, StepsFile } from '../../config';
import { loadStepsFile } from '../../config/load-steps-file';
import { DetourError } from '../../errors';
import type { FlowState } from '../../flow/flow-state';
import type { ConsentLedger, ConsentRow, Stores } from '../../store';
import type { StepContext } from '../types';
import { termsSchema } from './schema';
import { termsStep } from './step';
import { recordingManagementApi } from '../testing/recording-management-api';
import type { TermsConfig } from './config-schema';
import { termsSection } from './settings';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const NOW = new Date('2026-11-20T12:00:00.000Z');
const SHIPPED = loadStepsFile('./detour.config.json', REPO_ROOT);
const VERSION = termsSection(SHIPPED).versions[0]!;
const DOCUMENT_SHA256 = createHash('sha256')
  .update(readFileSync(path.join(REPO_ROOT, VERSION.documents.en!), 'utf8'), 'utf8')
  .digest('hex');

const fakeManagementApi = recordingManagementApi;

function fakeLedger() {
  const rows: ConsentRow[] = [];
  const ledger: ConsentLedger = {
    async recordConsent(row) {
      rows.push(row);
      return { inserted: true };
    },
    async listConsents() {
      return rows;
    },
  };
  return { ledger, rows };
}

const flow: FlowState = {
  v: 1,
  protocol: 'actions',
  sub: 'auth0|64f1c2',
  iss: 'tenant.eu.auth0.com',
  jti: 'jti-0001-abcdef',
  state: 'hKFo2SBsb2dpbi1zdGF0ZQ',
  steps: ['terms'],
  completed: [],
  results: {},
  claims: {},
  locale: 'pt-BR', // the shipped file has no Portuguese document: it falls back to the default locale
  started_at: NOW.getTime() / 1000 - 60,
  expires_at: NOW.getTime() / 1000 + 3540,
};

function context(options: { persist?: TermsConfig['persist']; failWith?: Error } = {}) {
  const management = fakeManagementApi(options.failWith);
  const consent = fakeLedger();
  const steps: StepsFile = { ...SHIPPED, terms: { ...termsSection(SHIPPED), persist: options.persist ?? 'management_api' } };
  const ctx: StepContext = {
    flow,
    config: { steps } as DetourConfig,
    managementApi: management.api,
    consentLedger: consent.ledger,
    stores: { jtiStore: {} as Stores['jtiStore'], consentLedger: consent.ledger, ping: async () => {}, close: async () => {} } as Stores,
    request: { clientIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)' },
    now: NOW,
  };
  return { ctx, writes: management.writes, rows: consent.rows };
}

const expectedRow: ConsentRow = {
  sub: 'auth0|64f1c2',
  termsVersion: VERSION.version,
  locale: 'en',
  documentSha256: DOCUMENT_SHA256,
  acceptedAt: NOW,
  jti: 'jti-0001-abcdef',
  clientIp: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (test)',
};

describe('termsStep.persist', () => {
  it('writes app_metadata for the user, records the consent and returns the claim', async () => {
    const { ctx, writes, rows } = context();
    const result = await termsStep.persist(ctx, { accept: true, version: VERSION.version });

    expect(result).toEqual({ claim: { version: VERSION.version, accepted_at: '2026-11-20T12:00:00.000Z' }, writtenByAction: false });
    expect(writes).toEqual([
      { userId: 'auth0|64f1c2', body: { app_metadata: { terms_accepted_version: VERSION.version, terms_accepted_at: '2026-11-20T12:00:00.000Z' } } },
    ]);
    expect(rows).toEqual([expectedRow]);
  });

  it('refuses a posted version other than the one in force, writing nothing', async () => {
    const { ctx, writes, rows } = context();
    const attempt = termsStep.persist(ctx, { accept: true, version: '2025-01-01' });
    await expect(attempt).rejects.toBeInstanceOf(DetourError);
    await expect(attempt).rejects.toMatchObject({ code: 'validation_failed', status: 400, details: { claim: 'version' } });
    expect(writes).toEqual([]);
    expect(rows).toEqual([]);
  });

  it("with persist 'action' writes no app_metadata but still records the consent", async () => {
    const { ctx, writes, rows } = context({ persist: 'action' });
    const result = await termsStep.persist(ctx, { accept: true, version: VERSION.version });
    expect(result).toEqual({ claim: { version: VERSION.version, accepted_at: '2026-11-20T12:00:00.000Z' }, writtenByAction: true });
    expect(writes).toEqual([]);
    expect(rows).toEqual([expectedRow]);
  });

  it('lets a Management API failure propagate and records no consent', async () => {
    const failure = new DetourError('upstream_unavailable', 503, 'The account service is busy.');
    const { ctx, rows } = context({ failWith: failure });
    await expect(termsStep.persist(ctx, { accept: true, version: VERSION.version })).rejects.toBe(failure);
    expect(rows).toEqual([]);
  });
});

describe('termsSchema', () => {
  it.each([
    ['a plain form post', 'on'],
    ['react-hook-form', true],
    ['a string true', 'true'],
  ])('accepts the box ticked by %s', (_, accept) => {
    expect(termsSchema.parse({ accept, version: '2026-11-01' })).toEqual({ accept: true, version: '2026-11-01' });
  });

  it.each([
    ['missing', {}],
    ['off', { accept: 'off' }],
    ['false', { accept: false }],
    ['empty', { accept: '' }],
    ['yes', { accept: 'yes' }],
  ])('refuses accept %s with terms.errors.must_accept', (_, input) => {
    const parsed = termsSchema.safeParse({ version: '2026-11-01', ...input });
    expect(parsed.success).toBe(false);
    expect(z.flattenError(parsed.error!).fieldErrors).toEqual({ accept: ['terms.errors.must_accept'] });
  });

  it.each([
    ['missing', {}],
    ['empty', { version: '' }],
    ['too long', { version: 'v'.repeat(65) }],
  ])('refuses a version that is %s', (_, input) => {
    const parsed = termsSchema.safeParse({ accept: 'on', ...input });
    expect(parsed.success).toBe(false);
    expect(Object.keys(z.flattenError(parsed.error!).fieldErrors)).toEqual(['version']);
  });
});
