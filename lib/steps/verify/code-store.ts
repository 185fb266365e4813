import 'server-only';
import { createHash, hkdfSync } from 'node:crypto';
import { DetourError } from '../../errors';
import type { FlowState } from '../../flow/flow-state';
import type { Stores } from '../../store';
import { codeDigest, digestsMatch, newCode } from './code';
import { MAX_SENDS_PER_FLOW, MAX_SENDS_PER_USER_PER_HOUR, MAX_TRIES, RESEND_AFTER_SECONDS } from './limits';

/**
 * A flow's verification as the stores keep it (one expiring value per flow, shared by every instance): the pending
 * code's HMAC with when it was sent and until when it works, or that the verification ended without success. The
 * code itself is never stored.
 */
export type VerificationRecord =
  | { digest: string; sentAt: number; expiresAt: number }
  /** The code was accepted (the flow moved on); a second post of it in the same instant is told so. */
  | { usedAt: number }
  | { ended: 'declined' | 'exhausted' };

export type VerifyFlow = Pick<FlowState, 'iss' | 'jti' | 'sub' | 'expires_at'>;

export interface CodeStoreDependencies {
  stores: Pick<Stores, 'expiringValues' | 'rateLimiter'>;
  /** The HMAC key of the codes (verifyCodeKey). */
  key: Uint8Array;
  now: Date;
}

const hash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
const HOUR_SECONDS = 3600;

/** The HMAC key of codes, derived from the flow cookie key for this use only (a separate key, no new secret). */
export function verifyCodeKey(flowCookieKey: Uint8Array): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', flowCookieKey, 'detour', 'detour verify code v1', 32));
}

/** Store keys: digests, so no user id or jti is stored in clear. */
export function verificationKeys(flow: VerifyFlow) {
  const flowId = hash(`${flow.iss}\u0000${flow.jti}`);
  return {
    flowId,
    record: `verify:${flowId}`,
    tries: `verify:tries:${flowId}`,
    flowSends: `verify:sends:${flowId}`,
    userSends: `verify:user-sends:${hash(flow.sub)}`,
  };
}

function parseRecord(value: string | null): VerificationRecord | null {
  return value === null ? null : (JSON.parse(value) as VerificationRecord);
}

export async function readVerification(dependencies: CodeStoreDependencies, flow: VerifyFlow): Promise<VerificationRecord | null> {
  return parseRecord(await dependencies.stores.expiringValues.get(verificationKeys(flow).record));
}

/** The record lives as long as the flow can (its cookie's expiry), at least as long as the code. */
function keptUntil(flow: VerifyFlow, record: VerificationRecord, now: Date): Date {
  const codeEnd = 'expiresAt' in record ? record.expiresAt : 0;
  return new Date(Math.max(flow.expires_at * 1000, codeEnd, now.getTime() + 60_000));
}

async function write(dependencies: CodeStoreDependencies, flow: VerifyFlow, record: VerificationRecord): Promise<void> {
  await dependencies.stores.expiringValues.put(verificationKeys(flow).record, JSON.stringify(record), keptUntil(flow, record, dependencies.now));
}

/** Ends the flow's verification for good: no code is accepted or sent for this flow afterwards. */
export async function endVerification(dependencies: CodeStoreDependencies, flow: VerifyFlow, ended: 'declined' | 'exhausted'): Promise<void> {
  await write(dependencies, flow, { ended });
}

export function endedError(ended: 'declined' | 'exhausted'): DetourError {
  return ended === 'exhausted'
    ? new DetourError('code_attempts_exhausted', 403, 'Too many wrong codes. Start the sign-in again.', { reason: 'code_attempts_exhausted' })
    : new DetourError('verification_declined', 403, 'This sign-in was stopped. Start the sign-in again.', { reason: 'verification_declined' });
}

/** Seconds until a new code may be sent after `record` (0 when it may be sent now). */
export function resendWaitSeconds(record: VerificationRecord | null, now: Date): number {
  if (!record || !('sentAt' in record)) return 0;
  return Math.max(0, Math.ceil((record.sentAt + RESEND_AFTER_SECONDS * 1000 - now.getTime()) / 1000));
}

function sendRateLimited(retryAfterSeconds: number): DetourError {
  return new DetourError('send_rate_limited', 429, `Wait ${retryAfterSeconds} seconds before asking for a new code.`, {
    reason: 'send_rate_limited',
    retryAfterSeconds,
  });
}

/**
 * Sends a new code for this flow: refused within 30 s of the last send, past 3 sends for the flow or 10 for the
 * person in the hour (each says how long to wait). The send is reserved first by swapping the record's send time to
 * now, so of two simultaneous asks (a double click, two instances) one sends and the other is told to wait. The code
 * is mailed, then recorded: a mail that could not go out (`mail_unavailable`, from `deliver`) puts the record back
 * as it was, so the previous code still works and the person may try again at once.
 */
export async function sendCode(
  dependencies: CodeStoreDependencies & { ttlSeconds: number },
  flow: VerifyFlow,
  deliver: (code: string) => Promise<void>,
): Promise<{ sentAt: Date; expiresAt: Date }> {
  const { stores, now } = dependencies;
  const keys = verificationKeys(flow);
  const seen = await stores.expiringValues.get(keys.record);
  const current = parseRecord(seen);
  if (current && 'ended' in current) throw endedError(current.ended);
  const wait = resendWaitSeconds(current, now);
  if (wait > 0) throw sendRateLimited(wait);
  // Only after a failed first send is there no record to reserve; the per-flow cap still bounds that case.
  const reserved = seen !== null && current && 'sentAt' in current ? JSON.stringify({ ...current, sentAt: now.getTime() }) : null;
  if (seen !== null && reserved && !(await stores.expiringValues.swap(keys.record, seen, reserved))) throw sendRateLimited(RESEND_AFTER_SECONDS);
  try {
    const [perFlow, perUser] = await Promise.all([
      stores.rateLimiter.hit(keys.flowSends, { limit: MAX_SENDS_PER_FLOW, windowSeconds: HOUR_SECONDS, now }),
      stores.rateLimiter.hit(keys.userSends, { limit: MAX_SENDS_PER_USER_PER_HOUR, windowSeconds: HOUR_SECONDS, now }),
    ]);
    const refused = [perFlow, perUser].filter((result) => !result.allowed);
    if (refused.length > 0) throw sendRateLimited(Math.max(...refused.map((result) => result.retryAfterSeconds)));
    const code = newCode();
    await deliver(code);
    const expiresAt = new Date(now.getTime() + dependencies.ttlSeconds * 1000);
    await write(dependencies, flow, { digest: codeDigest(dependencies.key, keys.flowId, code), sentAt: now.getTime(), expiresAt: expiresAt.getTime() });
    return { sentAt: now, expiresAt };
  } catch (error) {
    // Nothing was sent: the record goes back as it was (the previous code, and no wait before trying again).
    if (seen !== null && reserved) await stores.expiringValues.swap(keys.record, reserved, seen).catch(() => undefined);
    throw error;
  }
}

function codeUsed(): DetourError {
  return new DetourError('code_invalid', 422, 'This code has already been used.', { reason: 'code_used' });
}

export type CheckResult = { ok: true } | { ok: false; ended: true } | { ok: false; ended: false; error: DetourError };

/**
 * Checks a typed code. Every check counts as a try (of MAX_TRIES per flow); the try that uses up the last one ends
 * the verification. A right code in time is taken from the store at once: of two posts of it, one succeeds.
 */
export async function checkCode(dependencies: CodeStoreDependencies, flow: VerifyFlow, code: string): Promise<CheckResult> {
  const { stores, now } = dependencies;
  const keys = verificationKeys(flow);
  const value = await stores.expiringValues.get(keys.record);
  const record = parseRecord(value);
  if (record && 'ended' in record) throw endedError(record.ended);
  if (!record || value === null) {
    return { ok: false, ended: false, error: new DetourError('code_expired', 422, 'No code is waiting for this sign-in. Ask for a new one.', { reason: 'code_missing' }) };
  }
  if ('usedAt' in record) return { ok: false, ended: false, error: codeUsed() };
  const tries = await stores.rateLimiter.hit(keys.tries, { limit: MAX_TRIES, windowSeconds: HOUR_SECONDS, now });
  if (!tries.allowed) {
    await endVerification(dependencies, flow, 'exhausted');
    return { ok: false, ended: true };
  }
  const matches = digestsMatch(record.digest, codeDigest(dependencies.key, keys.flowId, code));
  if (matches && now.getTime() >= record.expiresAt) {
    return { ok: false, ended: false, error: new DetourError('code_expired', 422, 'This code has expired. Ask for a new one.', { reason: 'code_expired' }) };
  }
  if (matches) {
    if (await stores.expiringValues.swap(keys.record, value, JSON.stringify({ usedAt: now.getTime() }))) return { ok: true };
    return { ok: false, ended: false, error: codeUsed() };
  }
  const left = MAX_TRIES - tries.count;
  if (left <= 0) {
    await endVerification(dependencies, flow, 'exhausted');
    return { ok: false, ended: true };
  }
  return {
    ok: false,
    ended: false,
    error: new DetourError('code_invalid', 422, `That code is not right. ${left} tries left.`, { reason: 'code_invalid', params: { left } }),
  };
}
