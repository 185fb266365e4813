/**
 * One cookie's value from a Cookie header (RFC 6265 `name=value; name2=value2`), or undefined. The flow cookie's
 * value is a compact JWE (base64url and dots), so no quoting or decoding is involved; the first one sent wins, as
 * browsers send the most specific cookie first.
 */
export function readCookie(headers: Headers, name: string): string | undefined {
  const header = headers.get('cookie');
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator === -1) continue;
    if (pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return undefined;
}
