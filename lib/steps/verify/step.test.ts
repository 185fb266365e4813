import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaughtMail } from '@/e2e/local-tenant/mail-catcher';
import type { DetourConfig } from '../../config';
import { loadStepsFile } from '../../config/load-steps-file';
import { DetourError } from '../../errors';
import type { FlowState } from '../../flow/flow-state';
import { openSqliteStores } from '../../store/sqlite';
import { tempDatabases } from '../../store/fixtures/temp-database';
import type { Stores } from '../../store';
import { translatorFor } from '../../i18n/catalogue';
import { testFlow } from '../../testing/flow-fixture';
import { recordingManagementApi } from '../testing/recording-management-api';
import type { StepContext, StepOutcome } from '../types';
import { readVerification, verifyCodeKey } from './code-store';
import { MAX_SENDS_PER_USER_PER_HOUR, MAX_TRIES, RESEND_AFTER_SECONDS } from './limits';
import { verifyDeployment } from './settings';
import { verifyStep } from './step';
import type { VerifyPrepared } from './view';
import { mailCatcherPerTest } from '../../testing/mail-catcher';

// The step as the generic routes drive it: `prepare` when the page opens, `persist` for each post. Real SQLite
// stores on a frozen clock, real SMTP to a catcher started here (SMTP_URL points at it).
const REPO_ROOT = path.resolve(__dirname, '../../..');
const NOW = new Date('2026-12-04T10:00:00.000Z');
const FLOW_COOKIE_KEY = new Uint8Array(32).fill(7);
const config = { appBaseUrl: 'https://detour.example.com', flowCookieKey: FLOW_COOKIE_KEY, loginRestartUrl: null, steps: loadStepsFile('./detour.config.json', REPO_ROOT) } as DetourConfig;
const LISBON = { country: 'PT', region: 'Lisbon', city: 'Lisbon' };
const PABLO = 'pablo@example.com';
const MASKED = 'p***o@example.com';
const TTL_MS = 600_000;
const en = translatorFor('en');
const MAIL_VALUES = { product: 'Example', place: 'Lisbon, Portugal', minutes: 10 };

const temp = tempDatabases();
const catcher = mailCatcherPerTest();
let clock: Date;
let stores: Stores;
let management: ReturnType<typeof recordingManagementApi>;

afterAll(() => temp.cleanup());
beforeEach(async () => {
  clock = NOW;
  vi.stubEnv('MAIL_FROM', 'Example <no-reply@detour.localhost>');
  stores = await openSqliteStores(`file:${temp.nextPath()}`, { now: () => clock });
  management = recordingManagementApi();
});
afterEach(async () => {
  // No refusal, end or success of this step writes anything to Auth0 or the consent ledger (docs/design.md).
  expect(management.writes).toEqual([]);
  expect(await stores.consentLedger.listConsents({})).toEqual([]);
  await stores.close();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const flowOf = (overrides: Partial<FlowState> = {}): FlowState =>
  testFlow({
    sub: 'auth0|pablo',
    steps: ['verify'],
    email: PABLO,
    claims: { verify: { location: LISBON, reason: 'new_location' } },
    started_at: NOW.getTime() / 1000 - 60,
    expires_at: NOW.getTime() / 1000 + 3540,
    ...overrides,
  });
const FLOW = flowOf();

const context = (flow: FlowState = FLOW): StepContext => ({
  flow,
  config,
  managementApi: management.api,
  consentLedger: stores.consentLedger,
  stores,
  request: { clientIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)' },
  now: clock,
});
const later = (seconds: number) => {
  clock = new Date(NOW.getTime() + seconds * 1000);
};
const prepare = async (flow: FlowState = FLOW) => (await verifyStep.prepare!(context(flow))) as VerifyPrepared;
const verify = (code: string, flow: FlowState = FLOW) => verifyStep.persist(context(flow), { intent: 'verify', code });
const resend = (flow: FlowState = FLOW) => verifyStep.persist(context(flow), { intent: 'resend' });
const notMe = (flow: FlowState = FLOW) => verifyStep.persist(context(flow), { intent: 'not_me' });
const refusalOf = (promise: Promise<unknown>) => promise.then(
  () => {
    throw new Error('expected a refusal');
  },
  (error: unknown) => {
    expect(error).toBeInstanceOf(DetourError);
    return error as DetourError;
  },
);

const codeIn = (mail: CaughtMail | undefined): string => {
  const code = /^(\d{6})$/m.exec(mail?.text ?? '')?.[1];
  if (!code) throw new Error(`no code in the mail: ${JSON.stringify(mail?.text)}`);
  return code;
};
const latestCode = () => codeIn(catcher().latestTo(PABLO));
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('prepare: the first code', () => {
  it('is sent once, however often the page opens', async () => {
    const first = await prepare();
    later(5);
    const second = await prepare();
    expect(catcher().messages()).toHaveLength(1);
    expect(second.codeExpiresAt).toBe(first.codeExpiresAt);
    expect(second.resendWait).toBe(RESEND_AFTER_SECONDS - 5);
  });

  it('is sent once when the page opens twice at the same moment', async () => {
    await Promise.all([prepare(), prepare(), prepare()]);
    expect(catcher().messages()).toHaveLength(1);
  });

  it('tells the page where it went, from where, until when, and how long before a new one', async () => {
    expect(await prepare()).toEqual({
      maskedEmail: MASKED,
      place: 'Lisbon, Portugal',
      reason: 'new_location',
      codeExpiresAt: NOW.getTime() + TTL_MS,
      resendWait: RESEND_AFTER_SECONDS,
      sendFailure: undefined,
    });
  });

  it('says why the Action asked ("stale")', async () => {
    expect(await prepare(flowOf({ claims: { verify: { location: { country: 'DE' }, reason: 'stale' } } }))).toMatchObject({ place: 'Germany', reason: 'stale' });
  });
});

describe('the code mail', () => {
  it('goes to the flow’s address, from MAIL_FROM, with the code alone on a line', async () => {
    await prepare();
    const mail = catcher().messages()[0];
    expect(mail).toMatchObject({ to: [PABLO], from: 'no-reply@detour.localhost', subject: en('verify.mail.subject', MAIL_VALUES) });
    expect(mail?.subject).toContain('Example');
    expect(mail?.text).toMatch(/^\d{6}$/m);
    expect(mail?.text.match(/\d{6}/g)).toHaveLength(1);
  });

  it.each([
    ['names the product', () => 'Example'],
    ['says where the sign-in comes from', () => en('verify.mail.intro', MAIL_VALUES)],
    ['says how long the code works', () => en('verify.mail.validity', MAIL_VALUES)],
    ['says what to do if it was not them', () => en('verify.mail.not_you', MAIL_VALUES)],
  ])('%s, in the text and the HTML', async (_, words) => {
    await prepare();
    const mail = catcher().messages()[0]!;
    expect(words()).not.toMatch(/^verify\./);
    expect(mail.text).toContain(words());
    expect(mail.html?.replace(/&#x27;/g, "'")).toContain(words());
  });

  it('has an HTML part with the code and nothing to fetch or follow: no image, no link, no URL', async () => {
    await prepare();
    const mail = catcher().messages()[0]!;
    const code = codeIn(mail);
    expect(mail.html).toContain(`>${code}</p>`);
    expect(mail.html).toContain('<html lang="en" dir="ltr">');
    expect(mail.html).not.toMatch(/<img/i);
    expect(mail.html).not.toMatch(/<a[\s>]/i);
    expect(mail.html).not.toMatch(/https?:\/\//i);
    expect(mail.text).not.toMatch(/https?:\/\//i);
  });

  it('is in the flow’s language (ar)', async () => {
    await prepare(flowOf({ locale: 'ar' }));
    const mail = catcher().messages()[0]!;
    expect(mail.subject).toMatch(/[\u0600-\u06ff]/);
    expect(`${mail.subject}\n${mail.text}\n${mail.html}`).not.toMatch(/verify\.[a-z_.]+/);
    expect(mail.text).toContain('البرتغال');
    expect(mail.text).toMatch(/^\d{6}$/m);
    expect(mail.html).toContain('<html lang="ar" dir="rtl">');
  });
});

describe('persist: the code', () => {
  it('the code from the mail → the return claim: how, when and from where', async () => {
    await prepare();
    later(42);
    expect(await verify(latestCode())).toEqual({ claim: { method: 'email_otp', at: new Date(NOW.getTime() + 42_000).toISOString(), location: LISBON } });
  });

  it('works once', async () => {
    await prepare();
    const code = latestCode();
    await verify(code);
    expect(await refusalOf(verify(code))).toMatchObject({ code: 'code_invalid', details: { reason: 'code_used' } });
  });

  it('refuses it once it has expired', async () => {
    await prepare();
    later(TTL_MS / 1000);
    expect(await refusalOf(verify(latestCode()))).toMatchObject({ code: 'code_expired', details: { reason: 'code_expired' } });
  });

  it('a wrong code → code_invalid, saying how many tries are left', async () => {
    await prepare();
    const error = await refusalOf(verify(wrong(latestCode())));
    expect(error).toMatchObject({ code: 'code_invalid', status: 422, details: { reason: 'code_invalid', params: { left: MAX_TRIES - 1 } } });
  });

  it(`${MAX_TRIES} wrong codes end the flow; afterwards the page and the right code are refused`, async () => {
    await prepare();
    const code = latestCode();
    for (let left = MAX_TRIES - 1; left >= 1; left--) {
      expect(await refusalOf(verify(wrong(code)))).toMatchObject({ code: 'code_invalid', details: { params: { left } } });
    }
    const outcome: StepOutcome = await verify(wrong(code));
    expect(outcome).toEqual({ end: { code: 'code_attempts_exhausted', status: 403, titleKey: 'verify.exhausted.title', bodyKey: 'verify.exhausted.body' } });
    expect(await refusalOf(prepare())).toMatchObject({ code: 'code_attempts_exhausted', status: 403 });
    expect(await refusalOf(verify(code))).toMatchObject({ code: 'code_attempts_exhausted' });
    later(RESEND_AFTER_SECONDS);
    expect(await refusalOf(resend())).toMatchObject({ code: 'code_attempts_exhausted' });
    expect(catcher().messages()).toHaveLength(1);
  });
});

describe('persist: "this wasn\'t me"', () => {
  it('ends the flow (verification_declined), and nothing is accepted or sent afterwards', async () => {
    await prepare();
    const code = latestCode();
    expect(await notMe()).toEqual({ end: { code: 'verification_declined', titleKey: 'verify.declined.title', bodyKey: 'verify.declined.body' } });
    expect(await refusalOf(prepare())).toMatchObject({ code: 'verification_declined', status: 403 });
    expect(await refusalOf(verify(code))).toMatchObject({ code: 'verification_declined' });
    later(RESEND_AFTER_SECONDS);
    expect(await refusalOf(resend())).toMatchObject({ code: 'verification_declined' });
    expect(catcher().messages()).toHaveLength(1);
  });
});

describe('persist: a new code', () => {
  it(`is refused for ${RESEND_AFTER_SECONDS} s, saying how long to wait`, async () => {
    await prepare();
    later(10);
    expect(await refusalOf(resend())).toMatchObject({ code: 'send_rate_limited', status: 429, details: { retryAfterSeconds: RESEND_AFTER_SECONDS - 10 } });
    expect(catcher().messages()).toHaveLength(1);
  });

  it(`is sent after ${RESEND_AFTER_SECONDS} s: the page stays with a notice, and only the new code works`, async () => {
    await prepare();
    const first = latestCode();
    later(RESEND_AFTER_SECONDS);
    expect(await resend()).toEqual({ stay: { messageKey: 'verify.code_sent_again', params: { email: MASKED } } });
    expect(catcher().messages()).toHaveLength(2);
    const second = latestCode();
    expect(await prepare()).toMatchObject({ codeExpiresAt: clock.getTime() + TTL_MS, resendWait: RESEND_AFTER_SECONDS });
    // (One run in a million mails the same digits twice.)
    if (first !== second) expect(await refusalOf(verify(first))).toMatchObject({ code: 'code_invalid' });
    expect(await verify(second)).toMatchObject({ claim: { method: 'email_otp' } });
  });

  it('asked for twice at the same moment (a double click): one code is sent, the other request is told to wait', async () => {
    await prepare();
    later(RESEND_AFTER_SECONDS);
    const results = await Promise.allSettled([resend(), resend()]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { code: 'send_rate_limited' } });
    // One new mail, and the code it carries works.
    expect(catcher().messages()).toHaveLength(2);
    expect(await verify(latestCode())).toMatchObject({ claim: { method: 'email_otp' } });
  });

  it(`a person sent ${MAX_SENDS_PER_USER_PER_HOUR} codes this hour: the page opens saying so, and nothing is sent`, async () => {
    for (let i = 0; i < MAX_SENDS_PER_USER_PER_HOUR; i++) await prepare(flowOf({ jti: `jti-earlier-${i}` }));
    later(60);
    expect(await prepare()).toMatchObject({ codeExpiresAt: null, resendWait: 0, sendFailure: { code: 'send_rate_limited', retryAfterSeconds: 3600 - 60 } });
    expect(catcher().messages()).toHaveLength(MAX_SENDS_PER_USER_PER_HOUR);
  });
});

describe('the mail server failing', () => {
  it('at the first send: the page says so, nothing is recorded, and asking again sends a code that works', async () => {
    catcher().failNext(1, 'refuse');
    const prepared = await prepare();
    expect(prepared).toMatchObject({ maskedEmail: MASKED, codeExpiresAt: null, resendWait: 0, sendFailure: { code: 'mail_unavailable' } });
    expect(catcher().messages()).toHaveLength(0);
    expect(await readVerification({ stores, key: verifyCodeKey(FLOW_COOKIE_KEY), now: clock }, FLOW)).toBeNull();
    expect(await resend()).toMatchObject({ stay: { messageKey: 'verify.code_sent_again' } });
    expect(catcher().messages()).toHaveLength(1);
    expect(await verify(latestCode())).toMatchObject({ claim: { method: 'email_otp' } });
  });

  it('at a new code: mail_unavailable, and the earlier code still works', async () => {
    await prepare();
    const first = latestCode();
    later(RESEND_AFTER_SECONDS);
    catcher().failNext(1, 'refuse');
    expect(await refusalOf(resend())).toMatchObject({ code: 'mail_unavailable', status: 503 });
    expect(catcher().messages()).toHaveLength(1);
    expect(await verify(first)).toMatchObject({ claim: { method: 'email_otp', location: LISBON } });
  });
});

describe('a deployment or flow that cannot verify', () => {
  it('without SMTP_URL the step is not offered (misconfigured)', async () => {
    vi.stubEnv('SMTP_URL', '');
    expect(() => verifyDeployment(config.steps)).toThrow(expect.objectContaining({ code: 'misconfigured', details: { reason: 'verify_not_offered' } }));
    expect(await refusalOf(prepare())).toMatchObject({ code: 'misconfigured', status: 500, details: { reason: 'verify_not_offered' } });
    expect(await refusalOf(resend())).toMatchObject({ code: 'misconfigured', details: { reason: 'verify_not_offered' } });
    expect(catcher().messages()).toHaveLength(0);
  });

  it.each([
    ['without the verify claim', 'claim_invalid', flowOf({ claims: {} }), 400, 'verify_claim_missing'],
    ['without an email address', 'misconfigured', flowOf({ email: undefined }), 500, 'email_missing'],
  ])('%s → %s', async (_, code, flow, status, reason) => {
    expect(await refusalOf(prepare(flow))).toMatchObject({ code, status, details: { reason } });
    expect(await refusalOf(verifyStep.persist(context(flow), { intent: 'resend' }))).toMatchObject({ code });
    expect(catcher().messages()).toHaveLength(0);
  });
});

describe('the logs', () => {
  it('never hold a code, through a send, a failed send, a wrong code and the right one', async () => {
    // Pino writes through console.log in unit tests (lib/testing/logs-through-console.ts).
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    await prepare();
    const first = latestCode();
    later(RESEND_AFTER_SECONDS);
    catcher().failNext(1, 'refuse');
    await refusalOf(resend());
    await refusalOf(verify(wrong(first)));
    later(RESEND_AFTER_SECONDS * 2);
    await resend();
    const second = latestCode();
    await verify(second);
    expect(lines.some((line) => line.includes('"verify_code_sent"'))).toBe(true);
    expect(lines.some((line) => line.includes('"mail_failed"'))).toBe(true);
    for (const code of [first, wrong(first), second]) expect(lines.filter((line) => line.includes(code))).toEqual([]);
  });
});
