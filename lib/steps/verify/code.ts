import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** A one-time code: six digits, any of the million equally likely (leading zeros kept). */
export const CODE_DIGITS = 6;

export function newCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

/**
 * What the stores keep instead of the code: HMAC-SHA256 under a server secret, bound to the flow it was sent for
 * (`flowId`, from iss and jti) so a code from another flow or person never matches, and useless to whoever reads
 * the store (a million candidates are cheap to hash, a keyed hash without the key is not).
 */
export function codeDigest(key: Uint8Array, flowId: string, code: string): string {
  // JSON keeps the two parts apart whatever they hold: no flow id can end where a code begins.
  return createHmac('sha256', key).update(JSON.stringify(['detour-verify-code', flowId, code])).digest('base64url');
}

/** Compares two digests in constant time (equal lengths by construction; a different length is simply no match). */
export function digestsMatch(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
