import { jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { importedKey, isLongEnough } from './secret-key';

const SECRET = new TextEncoder().encode('current-session-token-secret-0123456789');

describe('importedKey', () => {
  it('imports a secret once and hands every later call the same key', async () => {
    const secret = SECRET.slice();
    const [first, second] = await Promise.all([importedKey(secret, 'hmac'), importedKey(secret, 'hmac')]);
    expect(second).toBe(first);
    expect(await importedKey(secret, 'hmac')).toBe(first);
    // Another array with the same bytes is another configuration: imported on its own.
    expect(await importedKey(secret.slice(), 'hmac')).not.toBe(first);
  });

  it('keeps the material inside the key and imports it separately for each use', async () => {
    const secret = new Uint8Array(32).fill(7);
    const hmac = await importedKey(secret, 'hmac');
    const aes = await importedKey(secret, 'aes-gcm');
    expect([hmac.extractable, aes.extractable]).toEqual([false, false]);
    expect([hmac.algorithm.name, aes.algorithm.name]).toEqual(['HMAC', 'AES-GCM']);
    expect([...hmac.usages].sort()).toEqual(['sign', 'verify']);
    expect([...aes.usages].sort()).toEqual(['decrypt', 'encrypt']);
  });

  it('passes a CryptoKey through and signs what the raw bytes verify', async () => {
    const key = await importedKey(SECRET, 'hmac');
    expect(await importedKey(key, 'hmac')).toBe(key);
    const token = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: 'HS256' }).sign(key);
    expect((await jwtVerify(token, SECRET)).payload).toEqual({ a: 1 });
  });

  it('tries again after an import failed instead of keeping the rejection', async () => {
    const secret = new Uint8Array(7); // not an AES key length
    const first = importedKey(secret, 'aes-gcm');
    await expect(first).rejects.toThrow();
    const second = importedKey(secret, 'aes-gcm');
    expect(second).not.toBe(first);
    await expect(second).rejects.toThrow();
  });
});

describe('isLongEnough', () => {
  it.each([
    ['32 raw bytes', new Uint8Array(32), true],
    ['31 raw bytes', new Uint8Array(31), false],
  ])('%s', (_, key, expected) => {
    expect(isLongEnough(key)).toBe(expected);
  });

  it('reads the length an imported key was made with', async () => {
    expect(isLongEnough(await importedKey(new Uint8Array(32), 'hmac'))).toBe(true);
    expect(isLongEnough(await importedKey(new Uint8Array(16), 'hmac'))).toBe(false);
    expect(isLongEnough(await importedKey(new Uint8Array(32), 'aes-gcm'))).toBe(true);
  });
});
