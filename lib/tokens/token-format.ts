import { base64url } from 'jose';
import { refuseSessionToken } from './session-token-refusal';

/** docs/design.md, Security rule 1: the raw token's size and shape are checked before jose sees it. */
export const MAX_TOKEN_BYTES = 4096;

// jose tolerates '=' padding and whitespace inside the signature, so one token could be written in many
// ways; refusing anything but three plain base64url segments makes the raw string canonical.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function assertTokenFormat(raw: string): void {
  // The length test comes first so a huge value never reaches the regex. The pattern is ASCII only, so
  // for any string that passes both tests its length in UTF-16 units equals its length in UTF-8 bytes.
  if (typeof raw !== 'string' || raw.length > MAX_TOKEN_BYTES) {
    throw refuseSessionToken('token_malformed', { reason: 'too_long' });
  }
  if (!COMPACT_JWS.test(raw)) {
    throw refuseSessionToken('token_malformed', { reason: 'format' });
  }
  // The last character of a segment can carry unused bits that decoders ignore, another way to write the
  // same token differently; only the canonical encoding of the decoded bytes is accepted.
  if (!raw.split('.').every(isCanonicalBase64url)) {
    throw refuseSessionToken('token_malformed', { reason: 'non_canonical' });
  }
}

function isCanonicalBase64url(segment: string): boolean {
  try {
    return base64url.encode(base64url.decode(segment)) === segment;
  } catch {
    return false;
  }
}
