import 'server-only';
import { EncryptJWT, jwtDecrypt, errors } from 'jose';
import { DetourError } from '../errors';
import { importedKey, type SecretKey } from '../tokens/secret-key';
import { flowStateSchema, type FlowState } from './flow-state';

/** `__Host-` pins the cookie to our exact origin: Secure, Path=/, no Domain (DESIGN rule 4). */
export const FLOW_COOKIE_NAME = '__Host-detour-flow';
/** How long a person has to finish the steps after /start. */
export const FLOW_TTL_SECONDS = 60 * 60;
const MAX_COOKIE_BYTES = 4000;

/** `key`: the flow cookie key (raw bytes are imported once and reused, lib/tokens/secret-key.ts). */
export async function sealFlow(flow: FlowState, key: SecretKey): Promise<string> {
  const sealed = await new EncryptJWT({ flow })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(flow.started_at)
    .setExpirationTime(flow.expires_at)
    .encrypt(await importedKey(key, 'aes-gcm'));
  if (sealed.length + FLOW_COOKIE_NAME.length + 1 > MAX_COOKIE_BYTES) {
    throw new DetourError('claim_invalid', 401, 'This sign-in link carries more data than Detour can hold.', { reason: 'flow_too_large' });
  }
  return sealed;
}

/** Decrypts and checks the flow cookie; a missing, tampered or foreign cookie is `flow_missing`. */
export async function openFlowCookie(value: string | undefined, key: SecretKey, now: Date = new Date()): Promise<FlowState> {
  if (!value) throw flowMissing();
  try {
    const { payload } = await jwtDecrypt(value, await importedKey(key, 'aes-gcm'), { currentDate: now, keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
    const parsed = flowStateSchema.safeParse(payload.flow);
    if (!parsed.success) throw flowMissing();
    return parsed.data;
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw new DetourError('flow_expired', 401, 'This sign-in took too long and has expired. Start the sign-in again.', { cause: error });
    }
    if (error instanceof DetourError) throw error;
    throw flowMissing(error);
  }
}

function flowMissing(cause?: unknown): DetourError {
  return new DetourError(
    'flow_missing',
    401,
    'We could not find your sign-in in this browser. Open the sign-in in the same browser you started it in, or start again.',
    { cause },
  );
}

export function flowCookieAttributes(expiresAt: number) {
  return { httpOnly: true, secure: true, sameSite: 'lax' as const, path: '/', expires: new Date(expiresAt * 1000) };
}

/** The Set-Cookie header value that stores a sealed flow (the attributes of `flowCookieAttributes`). */
export function flowCookieHeader(value: string, expiresAt: number): string {
  const attributes = flowCookieAttributes(expiresAt);
  return `${FLOW_COOKIE_NAME}=${value}; Path=${attributes.path}; Expires=${attributes.expires.toUTCString()}; HttpOnly; Secure; SameSite=Lax`;
}

/** The flow cookie with its own attributes, empty and expired at the epoch: the browser forgets it. */
export const FORGET_FLOW_COOKIE = flowCookieHeader('', 0);
