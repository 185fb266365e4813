// Synchronous HS256 helpers: Auth0's encodeToken/validateToken are synchronous, so jose (async) cannot back them.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type Claims = Record<string, unknown>;

const b64url = (input: Buffer | string) => Buffer.from(input).toString('base64url');

export function signHS256(claims: Claims, secret: string): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

export interface DecodedJwt {
  header: Claims;
  claims: Claims;
  signatureValid: boolean;
}

/** Splits and decodes a compact JWT; returns null when it is not three base64url JSON parts. */
export function decodeHS256(token: string, secret: string): DecodedJwt | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return null;
  const [head, body, sig] = parts as [string, string, string];
  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!isObject(header) || !isObject(claims)) return null;
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(sig, 'base64url');
  const signatureValid =
    header.alg === 'HS256' && given.length === expected.length && timingSafeEqual(given, expected);
  return { header, claims, signatureValid };
}

export function isObject(value: unknown): value is Claims {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
