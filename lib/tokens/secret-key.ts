/**
 * Secrets reach jose as WebCrypto keys. Given raw bytes, jose imports them again on every call, an `importKey` round
 * trip per token (about a quarter of a millisecond per seal, a tenth per verify, on the request path). So raw secrets
 * are imported once per process here, cached on the byte array's identity: the configuration's arrays are made once
 * at start-up and never changed, so every request reuses the same keys. Non-extractable: the key material cannot be
 * read back out of them.
 */
export type SecretKey = Uint8Array | CryptoKey;

type KeyUse = 'hmac' | 'aes-gcm';

const MIN_SECRET_BITS = 256;
const imported = new WeakMap<Uint8Array, Partial<Record<KeyUse, Promise<CryptoKey>>>>();

/** The imported key for `secret` (HMAC-SHA-256 to sign and verify, or AES-GCM for the flow cookie); a CryptoKey as is. */
export function importedKey(secret: SecretKey, use: KeyUse): Promise<CryptoKey> {
  if (!(secret instanceof Uint8Array)) return Promise.resolve(secret);
  let byUse = imported.get(secret);
  if (!byUse) imported.set(secret, (byUse = {}));
  const cached = byUse[use];
  if (cached) return cached;
  const bytes = secret as Uint8Array<ArrayBuffer>;
  const key =
    use === 'hmac'
      ? crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
      : crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
  byUse[use] = key;
  key.catch(() => delete byUse[use]);
  return key;
}

/** At least 32 bytes: the length of raw bytes, or the length an HMAC or AES key was imported with. */
export function isLongEnough(key: SecretKey): boolean {
  if (key instanceof Uint8Array) return key.byteLength * 8 >= MIN_SECRET_BITS;
  const length = (key.algorithm as { length?: unknown }).length;
  return typeof length === 'number' && length >= MIN_SECRET_BITS;
}
