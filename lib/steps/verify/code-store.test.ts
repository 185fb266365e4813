import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { tempDatabases } from '../../store/fixtures/temp-database';
import { openSqliteStores } from '../../store/sqlite';
import type { Stores } from '../../store';
import { DetourError } from '../../errors';
import { checkCode, endVerification, readVerification, sendCode, verificationKeys, verifyCodeKey, type CheckResult, type VerifyFlow } from './code-store';
import { MAX_SENDS_PER_FLOW, MAX_SENDS_PER_USER_PER_HOUR, MAX_TRIES, RESEND_AFTER_SECONDS } from './limits';

// The code store against a real SQLite store, with a frozen clock moved by hand (the contract tests run the same
// store operations on Postgres and Redis; e2e runs this step on Postgres + Redis with two instances).
const temp = tempDatabases();
afterAll(() => temp.cleanup());

const T0 = new Date('2026-12-04T10:00:00.000Z');
const KEY = verifyCodeKey(new Uint8Array(32).fill(7));
const TTL = 600;
let clock = T0;
let stores: Stores;
let path: string;
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const flowOf = (jti: string, sub = 'auth0|pablo'): VerifyFlow => ({ iss: 'tenant.eu.auth0.com', jti, sub, expires_at: T0.getTime() / 1000 + 3600 });
const FLOW = flowOf('jti-a');

beforeEach(async () => {
  clock = T0;
  path = temp.nextPath();
  stores = await openSqliteStores(`file:${path}`, { now: () => clock });
});
afterEach(async () => stores.close());

const deps = (now = clock) => ({ stores, key: KEY, now, ttlSeconds: TTL });

/** Sends a code at `now` and hands back the code the mail carried. */
async function send(flow = FLOW, now = clock): Promise<string> {
  let mailed = '';
  clock = now;
  await sendCode(deps(now), flow, async (code) => {
    mailed = code;
  });
  return mailed;
}

async function check(code: string, flow = FLOW, now = clock): Promise<CheckResult> {
  clock = now;
  return checkCode(deps(now), flow, code);
}

const refusal = (result: CheckResult) => (result.ok || result.ended ? null : { code: result.error.code, reason: result.error.details.reason, params: result.error.details.params });
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('sending', () => {
  it('mails six digits and stores only their HMAC, bound to the flow', async () => {
    const code = await send();
    expect(code).toMatch(/^[0-9]{6}$/);
    const raw = new Database(path, { readonly: true });
    const rows = raw.prepare('select key, value from expiring_values').all() as { key: string; value: string }[];
    raw.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key).toBe(verificationKeys(FLOW).record);
    expect(rows[0]!.key).not.toContain('jti-a');
    expect(rows[0]!.value).not.toContain(code);
    expect(JSON.parse(rows[0]!.value)).toEqual({ digest: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), sentAt: T0.getTime(), expiresAt: at(TTL).getTime() });
  });

  it(`refuses a new code for ${RESEND_AFTER_SECONDS} s, saying how long to wait`, async () => {
    await send();
    await expect(send(FLOW, at(10))).rejects.toMatchObject({ code: 'send_rate_limited', details: { retryAfterSeconds: RESEND_AFTER_SECONDS - 10 } });
    await expect(send(FLOW, at(RESEND_AFTER_SECONDS))).resolves.toMatch(/^[0-9]{6}$/);
  });

  it(`sends at most ${MAX_SENDS_PER_FLOW} codes per flow`, async () => {
    for (let i = 0; i < MAX_SENDS_PER_FLOW; i++) await send(FLOW, at(i * 60));
    const refused = await send(FLOW, at(MAX_SENDS_PER_FLOW * 60)).catch((error: DetourError) => error);
    expect(refused).toMatchObject({ code: 'send_rate_limited' });
    expect((refused as DetourError).details.retryAfterSeconds).toBe(3600 - MAX_SENDS_PER_FLOW * 60);
  });

  it(`sends at most ${MAX_SENDS_PER_USER_PER_HOUR} codes per person per hour across flows`, async () => {
    for (let i = 0; i < MAX_SENDS_PER_USER_PER_HOUR; i++) await send(flowOf(`jti-${i}`), at(i));
    await expect(send(flowOf('jti-next'), at(60))).rejects.toMatchObject({ code: 'send_rate_limited' });
    // Another person is not affected.
    await expect(send(flowOf('jti-other', 'auth0|someone-else'), at(60))).resolves.toMatch(/^[0-9]{6}$/);
    // An hour later the person may be sent codes again.
    await expect(send(flowOf('jti-later'), at(3600))).resolves.toMatch(/^[0-9]{6}$/);
  });

  it('keeps the previous code when the mail cannot go out', async () => {
    const code = await send();
    clock = at(RESEND_AFTER_SECONDS);
    const failure = new DetourError('mail_unavailable', 503, 'down', { reason: 'mail_unavailable' });
    await expect(
      sendCode(deps(), FLOW, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await check(code)).toEqual({ ok: true });
  });

  it('makes the codes sent before a new one stop working', async () => {
    const first = await send();
    const second = await send(FLOW, at(RESEND_AFTER_SECONDS));
    // (Skipped in the one run in a million where both codes are the same digits.)
    if (first !== second) expect(refusal(await check(first))).toMatchObject({ code: 'code_invalid' });
    expect(await check(second)).toEqual({ ok: true });
  });
});

describe('checking', () => {
  it('accepts the right code once', async () => {
    const code = await send();
    expect(await check(code, FLOW, at(60))).toEqual({ ok: true });
    expect(refusal(await check(code, FLOW, at(61)))).toMatchObject({ code: 'code_invalid', reason: 'code_used' });
  });

  it('refuses a wrong code, saying how many tries are left, and ends the flow at the last one', async () => {
    const code = await send();
    for (let left = MAX_TRIES - 1; left >= 1; left--) {
      expect(refusal(await check(wrong(code)))).toEqual({ code: 'code_invalid', reason: 'code_invalid', params: { left } });
    }
    expect(await check(wrong(code))).toEqual({ ok: false, ended: true });
    // Ended for good: the right code, and a new one, are refused.
    await expect(check(code)).rejects.toMatchObject({ code: 'code_attempts_exhausted' });
    await expect(send(FLOW, at(RESEND_AFTER_SECONDS))).rejects.toMatchObject({ code: 'code_attempts_exhausted' });
    expect(await readVerification(deps(), FLOW)).toEqual({ ended: 'exhausted' });
  });

  it('refuses the right code once it has expired', async () => {
    const code = await send();
    expect(refusal(await check(code, FLOW, at(TTL)))).toEqual({ code: 'code_expired', reason: 'code_expired', params: undefined });
  });

  it('refuses a code sent for another flow, or another person', async () => {
    const other = await send(flowOf('jti-b'));
    await send();
    const result = await check(other);
    // One chance in a million that the two codes are the same digits; the digest differs all the same.
    expect(refusal(result)).toMatchObject({ code: 'code_invalid' });
    const mallory = flowOf('jti-m', 'auth0|mallory');
    const pablos = await send(flowOf('jti-p'));
    await send(mallory);
    expect(refusal(await check(pablos, mallory))).toMatchObject({ code: 'code_invalid' });
  });

  it('lets exactly one of two simultaneous posts of the right code through', async () => {
    const code = await send();
    const results = await Promise.all([check(code), check(code)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.map(refusal).filter(Boolean)).toEqual([{ code: 'code_invalid', reason: 'code_used', params: undefined }]);
  });

  it('refuses every code and send after "this wasn\'t me"', async () => {
    const code = await send();
    await endVerification(deps(), FLOW, 'declined');
    await expect(check(code)).rejects.toMatchObject({ code: 'verification_declined' });
    await expect(send(FLOW, at(RESEND_AFTER_SECONDS))).rejects.toMatchObject({ code: 'verification_declined' });
  });

  it('fails closed when the store cannot answer', async () => {
    const code = await send();
    await stores.close();
    await expect(check(code)).rejects.toMatchObject({ code: 'store_unavailable' });
    stores = await openSqliteStores(`file:${path}`, { now: () => clock });
  });
});
