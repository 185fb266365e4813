/**
 * Session tokens as the local tenant's Action signs them (HS256 over the dev secret), minted ahead of the load so
 * the load generator spends its time sending requests, not signing. Same claims as e2e/helpers.ts mintSessionToken.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface TokenClaims {
  iss: string;
  aud: string;
  sub: string;
  steps: string[];
  [claim: string]: unknown;
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = encode({ alg: 'HS256', typ: 'JWT' });

export function mintSessionToken(secret: string, claims: TokenClaims, lifetimeSeconds = 600): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = encode({ iat: now, exp: now + lifetimeSeconds, jti: randomBytes(16).toString('base64url'), email: 'alice@example.com', ...claims });
  const signature = createHmac('sha256', secret).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${signature}`;
}

/** A pool of one-time /start paths; `next()` hands each out once and mints more on the spot if the pool runs dry. */
export function startPathPool(size: number, mint: () => string, state = 'bench-state-0123456789') {
  const paths = Array.from({ length: size }, () => `/start?state=${state}&session_token=${mint()}`);
  let used = 0;
  let mintedLate = 0;
  return {
    next(): string {
      const path = paths[used++];
      if (path !== undefined) return path;
      mintedLate += 1;
      return `/start?state=${state}&session_token=${mint()}`;
    },
    used: () => used,
    mintedLate: () => mintedLate,
  };
}
