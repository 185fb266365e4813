// The tenant's user store: seeded users, Management API PATCH semantics and a toy password policy.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { isObject } from './jwt';

export const DATABASE_CONNECTION = 'Username-Password-Authentication';
/** Password every seeded database user starts with (it is in each one's password history). */
export const SEED_PASSWORD = 'Seed-Passw0rd-2025';
const DICTIONARY = new Set(['password123', 'letmein12345']);
const HISTORY_SIZE = 5;
const ROOT_ATTRIBUTES = ['given_name', 'family_name', 'name', 'nickname', 'picture'] as const;

export interface Identity {
  connection: string;
  provider: string;
  user_id: string;
  isSocial: boolean;
}

/** Auth0's event.request.geoip (Actions): where the sign-in's IP address is, every field optional. */
export interface Geoip {
  cityName?: string;
  continentCode?: string;
  countryCode?: string;
  countryCode3?: string;
  countryName?: string;
  latitude?: number;
  longitude?: number;
  subdivisionCode?: string;
  subdivisionName?: string;
  timeZone?: string;
}

/** Where every seeded user signs in from, unless its seed says otherwise (`signsInFrom`). */
export const BERLIN: Geoip = {
  countryCode: 'DE',
  countryCode3: 'DEU',
  countryName: 'Germany',
  subdivisionCode: 'BE',
  subdivisionName: 'Berlin',
  cityName: 'Berlin',
  continentCode: 'EU',
  timeZone: 'Europe/Berlin',
  latitude: 52.52,
  longitude: 13.405,
};
export const LISBON: Geoip = {
  countryCode: 'PT',
  countryCode3: 'PRT',
  countryName: 'Portugal',
  subdivisionCode: '11',
  subdivisionName: 'Lisbon',
  cityName: 'Lisbon',
  continentCode: 'EU',
  timeZone: 'Europe/Lisbon',
  latitude: 38.7223,
  longitude: -9.1393,
};
/** The location every seeded user has verified: signing in from BERLIN asks nobody to verify. */
export const KNOWN_IN_BERLIN = [{ country: 'DE', region: 'Berlin', verified_at: '2025-01-01T00:00:00.000Z' }];

export interface StoredUser {
  user_id: string;
  email: string;
  email_verified: boolean;
  name: string;
  nickname: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  identities: Identity[];
  created_at: string;
  updated_at: string;
  last_password_reset?: string;
  /** scrypt hashes, newest first; empty for social users. Never leaves this module. */
  passwordHashes: string[];
  /** The geoip of this user's sign-ins (default BERLIN): the tenant's, not the user's, so never in PublicUser. */
  signsInFrom?: Geoip;
}

export type PublicUser = Omit<StoredUser, 'passwordHashes' | 'signsInFrom'>;
export interface ApiResult {
  status: number;
  body: unknown;
}

function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 4096 });
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

function matchesHash(password: string, stored: string): boolean {
  const [, salt = '', hash = ''] = stored.split('$');
  const expected = Buffer.from(hash, 'base64url');
  const actual = scryptSync(password, Buffer.from(salt, 'base64url'), expected.length, { N: 4096 });
  return timingSafeEqual(actual, expected);
}

interface SeedProfile {
  given_name?: string;
  family_name?: string;
  user_metadata?: Record<string, unknown>;
  last_password_reset?: string;
  email_verified?: boolean;
  signsInFrom?: Geoip;
}

function seed(nick: string, social: boolean, appMetadata: Record<string, unknown>, profile: SeedProfile): StoredUser {
  const provider = social ? 'google-oauth2' : 'auth0';
  const at = '2025-01-01T00:00:00.000Z';
  const display = `${nick[0]!.toUpperCase()}${nick.slice(1)}`;
  return {
    user_id: `${provider}|${nick}`,
    email: `${nick}@example.com`,
    email_verified: profile.email_verified ?? true,
    name: `${display} Example`,
    nickname: nick,
    ...(profile.given_name ? { given_name: profile.given_name } : {}),
    ...(profile.family_name ? { family_name: profile.family_name } : {}),
    app_metadata: { ...appMetadata, detour_known_locations: structuredClone(KNOWN_IN_BERLIN) },
    user_metadata: profile.user_metadata ?? {},
    identities: [{ connection: social ? 'google-oauth2' : DATABASE_CONNECTION, provider, user_id: nick, isSocial: social }],
    created_at: at,
    updated_at: at,
    ...(profile.last_password_reset ? { last_password_reset: profile.last_password_reset } : {}),
    passwordHashes: social ? [] : [hashPassword(SEED_PASSWORD)],
    ...(profile.signsInFrom ? { signsInFrom: profile.signsInFrom } : {}),
  };
}

/** The geoip the tenant gives this user's sign-ins. */
export function geoipOf(user: StoredUser): Geoip {
  return structuredClone(user.signsInFrom ?? BERLIN);
}

/** Every required profile field (given_name, family_name, phone, country) filled in. */
const complete = (given: string, phone: string, country: string, extra: Record<string, unknown> = {}): SeedProfile => ({
  given_name: given,
  family_name: 'Example',
  user_metadata: { phone, country, ...extra },
});
const accepted = (version: string, at = '2025-06-01T09:00:00.000Z') => ({ terms_accepted_version: version, terms_accepted_at: at });

/**
 * The seeded users and the steps the default Action secrets give each (README.md "Seeded users"). `termsVersion` is
 * the version the "current" users accepted (the tenant's TERMS_VERSION).
 */
export function seedUsers(termsVersion: string): StoredUser[] {
  return [
    seed('alice', false, {}, complete('Alice', '+14155550101', 'US')), // terms
    seed('bob', false, accepted('2025-01-01', '2025-01-02T09:00:00.000Z'), complete('Bob', '+447700900123', 'GB')), // terms
    seed('carol', false, accepted(termsVersion), complete('Carol', '+4930901820', 'DE', { job_title: 'Engineer' })), // none
    seed('dave', true, accepted(termsVersion), complete('Dave', '+33142685300', 'FR')), // none (social)
    seed('erin', false, accepted(termsVersion), { user_metadata: { job_title: 'Designer' } }), // profile
    seed('frank', false, { ...accepted(termsVersion), force_password_change: true }, complete('Frank', '+14155550106', 'US')), // password
    seed('grace', false, {}, { given_name: 'Grace', user_metadata: { marketing_emails: false } }), // terms, profile
    seed('heidi', false, { ...accepted('2025-01-01'), force_password_change: true }, {}), // password, terms, profile
    seed('kate', false, { ...accepted('2025-01-01'), force_password_change: true }, complete('Kate', '+14155550111', 'US')), // password, terms
    seed('judy', false, { ...accepted('2025-01-01'), force_password_change: true }, {}), // password, terms, profile (a second heidi, so specs do not share attempt limits)
    seed('ivan', false, accepted('2026-10-15', '2026-10-16T09:00:00.000Z'), complete('Ivan', '+81312345678', 'JP')), // terms below 2026-11-01
    // Known in Berlin, signing in from Lisbon: verify (with VERIFY_NEW_LOCATIONS set, as the tenant's defaults are).
    seed('pablo', false, accepted(termsVersion), { ...complete('Pablo', '+351213456789', 'PT'), signsInFrom: LISBON }), // verify
    seed('quentin', false, accepted(termsVersion), { ...complete('Quentin', '+351213456780', 'PT'), signsInFrom: LISBON, email_verified: false }), // denied: no verified email
  ];
}

export function connectionOf(user: StoredUser): { name: string; strategy: string } {
  const identity = user.identities[0];
  if (!identity) return { name: DATABASE_CONNECTION, strategy: 'auth0' };
  return { name: identity.connection, strategy: identity.provider === 'auth0' ? 'auth0' : identity.connection };
}

export function publicUser(user: StoredUser): PublicUser {
  const rest: Partial<StoredUser> = { ...user };
  delete rest.passwordHashes;
  delete rest.signsInFrom;
  return structuredClone(rest) as PublicUser;
}

const badRequest = (message: string, errorCode?: string): ApiResult => ({
  status: 400,
  body: { statusCode: 400, error: 'Bad Request', message, ...(errorCode ? { errorCode } : {}) },
});
const invalidBody = (message: string) => badRequest(message, 'invalid_body');

export class UserStore {
  private users = new Map<string, StoredUser>();

  constructor(private readonly termsVersion: string) {
    this.reset();
  }

  reset(): void {
    this.users = new Map(seedUsers(this.termsVersion).map((u) => [u.user_id, u]));
  }

  list(): StoredUser[] {
    return [...this.users.values()];
  }

  get(id: string): StoredUser | undefined {
    return this.users.get(id);
  }

  /** Merges metadata at the first level, as PATCH and the Rules' auth0.users.update*Metadata do (null removes a key). */
  mergeMetadata(id: string, kind: 'app_metadata' | 'user_metadata', metadata: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(metadata)) this.setMetadata(id, kind, key, value);
  }

  /** Applies api.user.setAppMetadata / setUserMetadata from an Action (null or undefined removes the key). */
  setMetadata(id: string, kind: 'app_metadata' | 'user_metadata', key: string, value: unknown): void {
    const user = this.users.get(id);
    if (!user) return;
    if (value === null || value === undefined) delete user[kind][key];
    else user[kind][key] = structuredClone(value);
    user.updated_at = new Date().toISOString();
  }

  /** PATCH /api/v2/users/{id} with Auth0's semantics and error bodies. */
  patch(id: string, body: unknown): ApiResult {
    const user = this.users.get(id);
    if (!user) return notFound();
    if (!isObject(body)) return invalidBody("Payload validation error: 'Expected type object but found type other'.");
    const allowed = new Set<string>([...ROOT_ATTRIBUTES, 'app_metadata', 'user_metadata', 'password', 'connection']);
    const extra = Object.keys(body).filter((k) => !allowed.has(k));
    if (extra.length) return invalidBody(`Payload validation error: 'Additional properties not allowed: ${extra.join(',')}'.`);
    for (const key of ['app_metadata', 'user_metadata'] as const) {
      if (key in body && !isObject(body[key])) {
        return invalidBody(`Payload validation error: 'Expected type object but found type ${typeName(body[key])}' on property ${key}.`);
      }
    }
    for (const key of ROOT_ATTRIBUTES) {
      const value = body[key];
      if (key in body && (typeof value !== 'string' || value.length < 1 || value.length > 300)) {
        return invalidBody(`Payload validation error: 'Expected type string (1-300 characters)' on property ${key}.`);
      }
    }
    let newHash: string | undefined;
    if ('password' in body) {
      const checked = this.checkPassword(user, body.password, body.connection);
      if (typeof checked !== 'string') return checked;
      newHash = checked;
    } else if ('connection' in body && typeof body.connection !== 'string') {
      return invalidBody("Payload validation error: 'Expected type string' on property connection.");
    }

    for (const key of ['app_metadata', 'user_metadata'] as const) {
      const patch = body[key];
      if (!isObject(patch)) continue;
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete user[key][k];
        else user[key][k] = structuredClone(v);
      }
    }
    for (const key of ROOT_ATTRIBUTES) if (typeof body[key] === 'string') user[key] = body[key];
    const now = new Date().toISOString();
    if (newHash) {
      user.passwordHashes = [newHash, ...user.passwordHashes].slice(0, HISTORY_SIZE + 1);
      user.last_password_reset = now;
    }
    user.updated_at = now;
    return { status: 200, body: publicUser(user) };
  }

  /** Returns the new hash, or the error answer. */
  private checkPassword(user: StoredUser, password: unknown, connection: unknown): string | ApiResult {
    const own = connectionOf(user);
    if (typeof password !== 'string') return invalidBody("Payload validation error: 'Expected type string' on property password.");
    if (own.strategy !== 'auth0') return invalidBody('Cannot update password for non-database connections');
    if (typeof connection !== 'string' || connection === '') {
      return invalidBody('The connection property is required when updating the password.');
    }
    if (connection !== own.name) return invalidBody(`The user does not have an identity in connection ${connection}.`);
    if (password.length < 8) return badRequest('PasswordStrengthError: Password is too weak');
    if (DICTIONARY.has(password.toLowerCase())) return badRequest('PasswordDictionaryError: Password is too common');
    const local = user.email.split('@')[0]?.toLowerCase() ?? '';
    if (local.length >= 3 && password.toLowerCase().includes(local)) {
      return badRequest('PasswordNoUserInfoError: Password contains user information');
    }
    if (user.passwordHashes.some((h) => matchesHash(password, h))) {
      return badRequest('PasswordHistoryError: Password has previously been used');
    }
    return hashPassword(password);
  }
}

export function notFound(): ApiResult {
  return {
    status: 404,
    body: { statusCode: 404, error: 'Not Found', message: 'The user does not exist.', errorCode: 'inexistent_user' },
  };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}
