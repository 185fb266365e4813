import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DetourConfig, StepsFile } from '../../config';
import { loadStepsFile } from '../../config/load-steps-file';
import { DetourError } from '../../errors';
import type { FlowState } from '../../flow/flow-state';
import type { Stores } from '../../store';
import type { StepContext } from '../types';
import { profileConfigSchema } from './config-schema';
import { PROFILE_ERRORS as E } from './field-rules';
import { managementApiPatch, profileStep } from './step';
import { recordingManagementApi } from '../testing/recording-management-api';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const NOW = new Date('2026-11-20T12:00:00.000Z');
const SHIPPED = loadStepsFile('./detour.config.json', REPO_ROOT);

const fakeManagementApi = recordingManagementApi;

const baseFlow: FlowState = {
  v: 1,
  protocol: 'actions',
  sub: 'auth0|erin',
  iss: 'tenant.eu.auth0.com',
  jti: 'jti-0001-abcdef',
  state: 'hKFo2SBsb2dpbi1zdGF0ZQ',
  steps: ['profile'],
  completed: [],
  results: {},
  locale: 'en',
  email: 'erin@example.com',
  claims: { profile: { job_title: 'Engineer', marketing_emails: true } },
  started_at: NOW.getTime() / 1000 - 60,
  expires_at: NOW.getTime() / 1000 + 3540,
};

function context(options: { profile?: unknown; flow?: Partial<FlowState>; failWith?: Error } = {}) {
  const management = fakeManagementApi(options.failWith);
  const profile = options.profile === undefined ? SHIPPED.profile : profileConfigSchema.parse(options.profile);
  const steps = { ...SHIPPED, profile } as StepsFile;
  const ctx: StepContext = {
    flow: { ...baseFlow, ...options.flow },
    config: { steps } as DetourConfig,
    managementApi: management.api,
    consentLedger: { recordConsent: async () => ({ inserted: true }), listConsents: async () => [] },
    stores: {} as Stores,
    request: { clientIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)' },
    now: NOW,
  };
  return { ctx, writes: management.writes };
}

const ERIN_POST = {
  given_name: '  Erin ',
  family_name: 'Example',
  phone: '+44 20 7946 0018',
  country: 'gb',
  birth_date: '1990-05-17',
};

describe('profileStep.formSchema', () => {
  it('covers exactly the fields this login asks: the missing ones, the most important five', () => {
    const { ctx } = context({ flow: { claims: { profile: {} } } });
    const schema = profileStep.formSchema(ctx);
    expect(schema.safeParse(ERIN_POST).success).toBe(true);
    // job_title is declared in the steps file but waits for a later login: posting it is refused.
    const extra = schema.safeParse({ ...ERIN_POST, job_title: 'CTO' });
    expect(z.flattenError(extra.error!).fieldErrors).toEqual({ _form: [E.unknown_field] });
  });

  it('refuses the post of a login that asks nothing more', () => {
    const { ctx } = context({
      flow: { claims: { profile: { given_name: 'E', family_name: 'E', phone: '+442079460018', country: 'GB', birth_date: '1990-05-17', job_title: 'CTO', marketing_emails: false } } },
    });
    const schema = profileStep.formSchema(ctx);
    expect(schema.parse({})).toEqual({});
    expect(schema.safeParse({ given_name: 'Mallory' }).success).toBe(false);
  });
});

describe('profileStep.persist', () => {
  it('writes one PATCH: root attributes at the top level, the rest merged into user_metadata; the claim carries the values', async () => {
    const { ctx, writes } = context({ flow: { claims: { profile: {} } } });
    const input = profileStep.formSchema(ctx).parse(ERIN_POST);
    const outcome = await profileStep.persist(ctx, input);

    const values = { given_name: 'Erin', family_name: 'Example', phone: '+442079460018', country: 'GB', birth_date: '1990-05-17' };
    expect(outcome).toEqual({ claim: values, writtenByAction: false });
    expect(writes).toEqual([
      {
        userId: 'auth0|erin',
        body: { given_name: 'Erin', family_name: 'Example', user_metadata: { phone: '+442079460018', country: 'GB', birth_date: '1990-05-17' } },
      },
    ]);
  });

  it('writes a shown, unticked box as false', async () => {
    const { ctx, writes } = context({
      flow: { claims: { profile: { given_name: 'E', family_name: 'E', phone: '+442079460018', country: 'GB', birth_date: '1990-05-17' } } },
    });
    const input = profileStep.formSchema(ctx).parse({ job_title: '' });
    const outcome = await profileStep.persist(ctx, input);
    expect(outcome.claim).toEqual({ marketing_emails: false });
    expect(writes).toEqual([{ userId: 'auth0|erin', body: { user_metadata: { marketing_emails: false } } }]);
  });

  it('writes nothing when there is nothing to write', async () => {
    const { ctx, writes } = context({
      profile: { fields: [{ id: 'job_title', type: 'text', label: { en: 'Job title' } }] },
      flow: { claims: { profile: {} } },
    });
    const outcome = await profileStep.persist(ctx, profileStep.formSchema(ctx).parse({ job_title: '   ' }));
    expect(outcome).toEqual({ claim: {}, writtenByAction: false });
    expect(writes).toEqual([]);
  });

  it("with persist 'action' calls no Management API and hands the values to the Action in the claim", async () => {
    const { ctx, writes } = context({
      profile: {
        persist: 'action',
        fields: [
          { id: 'phone', type: 'tel', required: true, label: { en: 'Phone' } },
          { id: 'newsletter', type: 'checkbox', label: { en: 'Newsletter' } },
        ],
      },
      flow: { claims: { profile: {} } },
    });
    const outcome = await profileStep.persist(ctx, profileStep.formSchema(ctx).parse({ phone: '+49 30 1234567' }));
    expect(outcome).toEqual({ claim: { phone: '+49301234567', newsletter: false }, writtenByAction: true });
    expect(writes).toEqual([]);
  });

  it('refuses answers the flow cookie cannot carry, before writing anything', async () => {
    const notes = Array.from({ length: 2 }, (_, i) => ({ id: `notes_${i}`, type: 'textarea', label: { en: 'Notes' }, max_length: 900 }));
    // A long state and a full token profile leave little room in the 4 KB cookie.
    const { ctx, writes } = context({
      profile: { fields: notes },
      flow: { claims: { profile: {} }, state: 's'.repeat(1500) },
    });
    const input = profileStep.formSchema(ctx).parse({ notes_0: '语'.repeat(600), notes_1: '语'.repeat(600) });
    const attempt = profileStep.persist(ctx, input);
    await expect(attempt).rejects.toBeInstanceOf(DetourError);
    await expect(attempt).rejects.toMatchObject({ code: 'validation_failed', details: { reason: 'too_much_data' } });
    expect(writes).toEqual([]);
  });

  it('lets a Management API failure propagate', async () => {
    const failure = new DetourError('upstream_unavailable', 503, 'The account service is busy.');
    const { ctx } = context({ flow: { claims: { profile: {} } }, failWith: failure });
    await expect(profileStep.persist(ctx, profileStep.formSchema(ctx).parse(ERIN_POST))).rejects.toBe(failure);
  });

  it('explains a missing profile section as misconfigured', () => {
    const { ctx } = context();
    const steps = { ...ctx.config.steps };
    delete steps.profile;
    expect(() => profileStep.formSchema({ flow: ctx.flow, config: { ...ctx.config, steps } })).toThrow(
      expect.objectContaining({ code: 'misconfigured', details: { reason: 'not_configured' } }),
    );
  });
});

describe('managementApiPatch', () => {
  it('never sends user_metadata keys it was not given, so Auth0 keeps the others', () => {
    const fields = profileConfigSchema.parse({
      fields: [
        { id: 'nickname', type: 'text', target: 'root', label: { en: 'Nickname' } },
        { id: 'topics', type: 'multi_select', label: { en: 'Topics' }, options: [{ value: 'news', label: { en: 'News' } }] },
      ],
    }).fields;
    expect(managementApiPatch(fields, { nickname: 'ee', topics: ['news'] })).toEqual({ nickname: 'ee', user_metadata: { topics: ['news'] } });
    expect(managementApiPatch(fields, { nickname: 'ee' })).toEqual({ nickname: 'ee' });
    expect(managementApiPatch(fields, { unknown: 'x' })).toEqual({});
  });
});
