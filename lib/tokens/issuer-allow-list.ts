/**
 * The issuers Detour accepts session tokens from (AUTH0_DOMAIN, AUTH0_CUSTOM_DOMAIN) and the exact-match rule
 * of docs/design.md "Incoming session token": remove a scheme and one trailing slash, then compare host[:port]
 * case-insensitively, port included. The matched entry, never the token, later decides where /continue is.
 */
export type AllowListEntry = {
  /** Where the browser goes back to, e.g. `https://tenant.eu.auth0.com` or `http://127.0.0.1:4010`. */
  origin: string;
  /** Lower-cased `host[:port]`; a scheme's default port is left out. */
  host: string;
  /** Configured as an `http://` origin, which is only allowed for loopback hosts (local tenant, tests). */
  loopbackHttp: boolean;
};

type Scheme = 'https' | 'http';

const SCHEME_PREFIX = /^(https?):\/\//i;
// DNS names (letters, digits, inner hyphens per label) or a bracketed IPv6 address, then an optional port
// without leading zeros. Anything else — a path, query, fragment, userinfo, whitespace — fails here.
const HOST_AND_PORT =
  /^((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::([1-9][0-9]{0,4}))?$/i;
const DEFAULT_PORT: Record<Scheme, string> = { https: '443', http: '80' };
const LONGEST_ISSUER = 300;

/**
 * Lower-cased `host[:port]` of an authority, or undefined when it is not exactly one. An explicit scheme's
 * default port is dropped (`https://host:443` is `host`); without a scheme the value is taken literally.
 */
function normaliseAuthority(authority: string, scheme: Scheme | undefined): string | undefined {
  const match = HOST_AND_PORT.exec(authority);
  if (!match) return undefined;
  const host = match[1]!.toLowerCase();
  const port = match[2];
  if (port === undefined) return host;
  if (Number(port) > 65535) return undefined;
  if (scheme !== undefined && port === DEFAULT_PORT[scheme]) return host;
  return `${host}:${port}`;
}

/** Splits an optional http(s) scheme and at most one trailing slash off `value`. */
function splitScheme(value: string): { scheme: Scheme | undefined; authority: string } {
  const prefix = SCHEME_PREFIX.exec(value);
  const scheme = prefix ? (prefix[1]!.toLowerCase() as Scheme) : undefined;
  let authority = prefix ? value.slice(prefix[0].length) : value;
  if (authority.endsWith('/')) authority = authority.slice(0, -1);
  return { scheme, authority };
}

export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/:[0-9]+$/, '');
  if (name === 'localhost' || name === '[::1]') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255);
}

/**
 * Reads one configured issuer: a bare host (`tenant.eu.auth0.com`, always https) or an origin
 * `https://host[:port]`; `http://host[:port]` only for loopback hosts. Throws an Error naming the problem
 * (never a DetourError: this runs at start-up, and the message is for whoever configures Detour).
 */
export function parseAllowListEntry(value: string): AllowListEntry {
  const trimmed = value.trim();
  if (trimmed === '') throw new Error('is empty; expected a host such as tenant.eu.auth0.com or an https:// origin');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) && !SCHEME_PREFIX.test(trimmed)) {
    throw new Error('must use https:// (or http:// for a loopback host such as 127.0.0.1)');
  }
  const { scheme, authority } = splitScheme(trimmed);
  const host = normaliseAuthority(authority, scheme ?? 'https');
  if (host === undefined) {
    throw new Error('must be a host[:port] or an origin such as https://tenant.eu.auth0.com, without a path, query or credentials');
  }
  if (scheme === 'http' && !isLoopbackHost(host)) {
    throw new Error('may use http:// only for a loopback host (localhost, 127.x.x.x, [::1]); use https:// or a bare host');
  }
  const loopbackHttp = scheme === 'http';
  return { origin: `${loopbackHttp ? 'http' : 'https'}://${host}`, host, loopbackHttp };
}

/**
 * The allow-list entry that `iss` names, or undefined. `iss` may be a bare host (as Auth0 writes it) or an
 * origin with one trailing slash; an `http://` iss only matches an entry configured as an http loopback origin.
 */
export function matchIssuer(iss: string, entries: readonly AllowListEntry[]): AllowListEntry | undefined {
  if (typeof iss !== 'string' || iss.length > LONGEST_ISSUER) return undefined;
  const { scheme, authority } = splitScheme(iss);
  const host = normaliseAuthority(authority, scheme);
  if (host === undefined) return undefined;
  return entries.find((entry) => entry.host === host && (scheme !== 'http' || entry.loopbackHttp));
}
