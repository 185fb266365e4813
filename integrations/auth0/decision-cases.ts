// The decision table both the Action and the Rule must follow (post-login.test.ts, redirect-rule.test.ts).
import { DEFAULT_PROFILE_FIELDS, DEFAULT_REQUIRED_PROFILE_FIELDS, DEFAULT_VERIFY_NEW_LOCATIONS } from '../../e2e/local-tenant/config';
import { BERLIN, LISBON, publicUser, seedUsers, type Geoip, type PublicUser } from '../../e2e/local-tenant/users';

export const TERMS = '2026-11-01';

/** Settings shared by the Action's secrets and the Rule's configuration (the local tenant's defaults). */
export const DECISION_SETTINGS = {
  TERMS_VERSION: TERMS,
  TERMS_REACCEPT_FROM: TERMS,
  PROFILE_FIELDS: DEFAULT_PROFILE_FIELDS,
  REQUIRED_PROFILE_FIELDS: DEFAULT_REQUIRED_PROFILE_FIELDS,
  // Carol and the other seeded users know Berlin, where the tests' sign-ins come from (BERLIN): nobody is asked.
  VERIFY_NEW_LOCATIONS: DEFAULT_VERIFY_NEW_LOCATIONS,
};

export const DATABASE = { name: 'Username-Password-Authentication', strategy: 'auth0' };
export const SOCIAL = { name: 'google-oauth2', strategy: 'google-oauth2' };

const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3600 * 1000).toISOString();

const CAROL = publicUser(seedUsers(TERMS).find((u) => u.nickname === 'carol')!);

/** carol: a database user on the current terms with a complete profile, who needs nothing. */
export function completeUser(): PublicUser {
  return structuredClone(CAROL);
}

export interface DecisionCase {
  name: string;
  change?: (user: PublicUser & Record<string, unknown>) => void;
  settings?: Record<string, string>;
  connection?: { name: string; strategy: string };
  steps: string[];
}

export const DECISION_CASES: DecisionCase[] = [
  { name: 'a user who needs nothing', steps: [] },
  // terms
  { name: 'terms never accepted', change: (u) => delete u.app_metadata.terms_accepted_version, steps: ['terms'] },
  { name: 'terms accepted below TERMS_REACCEPT_FROM', change: (u) => (u.app_metadata.terms_accepted_version = '2025-01-01'), steps: ['terms'] },
  {
    name: 'a typo-fix release: accepted version between TERMS_REACCEPT_FROM and TERMS_VERSION',
    settings: { TERMS_VERSION: '2026-11-20', TERMS_REACCEPT_FROM: TERMS },
    steps: [],
  },
  {
    name: 'a material release: TERMS_REACCEPT_FROM moves past the accepted version',
    settings: { TERMS_VERSION: '2026-12-01', TERMS_REACCEPT_FROM: '2026-12-01' },
    steps: ['terms'],
  },
  { name: 'TERMS_REACCEPT_FROM defaults to TERMS_VERSION', settings: { TERMS_VERSION: '2026-12-01', TERMS_REACCEPT_FROM: '' }, steps: ['terms'] },
  { name: 'a later version than the current one', change: (u) => (u.app_metadata.terms_accepted_version = '2027-01-01'), steps: [] },
  { name: 'an accepted version that is not a string', change: (u) => (u.app_metadata.terms_accepted_version = 20261101), steps: ['terms'] },
  { name: 'the admin reset flag', change: (u) => (u.app_metadata.terms_reset = true), steps: ['terms'] },
  { name: 'a reset flag that is not exactly true', change: (u) => (u.app_metadata.terms_reset = 'true'), steps: [] },
  {
    name: 'an acceptance older than TERMS_MAX_AGE_DAYS',
    change: (u) => (u.app_metadata.terms_accepted_at = daysAgo(400)),
    settings: { TERMS_MAX_AGE_DAYS: '365' },
    steps: ['terms'],
  },
  { name: 'an acceptance within TERMS_MAX_AGE_DAYS', change: (u) => (u.app_metadata.terms_accepted_at = daysAgo(10)), settings: { TERMS_MAX_AGE_DAYS: '365' }, steps: [] },
  { name: 'TERMS_MAX_AGE_DAYS and no acceptance time', change: (u) => delete u.app_metadata.terms_accepted_at, settings: { TERMS_MAX_AGE_DAYS: '365' }, steps: ['terms'] },
  // profile
  { name: 'a required root attribute missing', change: (u) => delete u.given_name, steps: ['profile'] },
  { name: 'a required metadata field empty', change: (u) => (u.user_metadata.phone = ''), steps: ['profile'] },
  { name: 'a required field of spaces', change: (u) => (u.user_metadata.country = '   '), steps: ['profile'] },
  { name: 'a required field of the wrong type', change: (u) => (u.user_metadata.phone = { number: '+1 415' }), steps: ['profile'] },
  { name: 'a required field over 1000 characters', change: (u) => (u.user_metadata.country = 'x'.repeat(1001)), steps: ['profile'] },
  { name: 'a required field with a bidi control', change: (u) => (u.family_name = 'Exa\u202emple'), steps: ['profile'] },
  {
    name: 'numbers and booleans (false too) count as filled in',
    change: (u) => Object.assign(u.user_metadata, { phone: 4930901820, marketing_emails: false }),
    settings: { REQUIRED_PROFILE_FIELDS: 'given_name,family_name,phone,country,marketing_emails' },
    steps: [],
  },
  { name: 'an optional field missing', change: (u) => delete u.user_metadata.job_title, steps: [] },
  {
    name: 'a required field not in PROFILE_FIELDS is read from user_metadata',
    settings: { REQUIRED_PROFILE_FIELDS: 'given_name,employee_id' },
    steps: ['profile'],
  },
  {
    name: 'no REQUIRED_PROFILE_FIELDS: the profile is never asked for',
    change: (u) => {
      delete u.given_name;
      u.user_metadata = {};
    },
    settings: { REQUIRED_PROFILE_FIELDS: '' },
    steps: [],
  },
  // password
  { name: 'force_password_change', change: (u) => (u.app_metadata.force_password_change = true), steps: ['password'] },
  { name: 'a force flag that is not exactly true', change: (u) => (u.app_metadata.force_password_change = 'true'), steps: [] },
  { name: 'force_password_change on a social connection', change: (u) => (u.app_metadata.force_password_change = true), connection: SOCIAL, steps: [] },
  {
    name: 'a password older than PASSWORD_MAX_AGE_DAYS',
    change: (u) => (u.last_password_reset = daysAgo(100)),
    settings: { PASSWORD_MAX_AGE_DAYS: '90' },
    steps: ['password'],
  },
  { name: 'a password within PASSWORD_MAX_AGE_DAYS', change: (u) => (u.last_password_reset = daysAgo(10)), settings: { PASSWORD_MAX_AGE_DAYS: '90' }, steps: [] },
  { name: 'PASSWORD_MAX_AGE_DAYS and no last_password_reset', settings: { PASSWORD_MAX_AGE_DAYS: '90' }, steps: [] },
  // together
  {
    name: 'all three, in the fixed order',
    change: (u) => {
      u.app_metadata = { force_password_change: true, terms_accepted_version: '2025-01-01', detour_known_locations: u.app_metadata.detour_known_locations };
      u.user_metadata = {};
    },
    steps: ['password', 'terms', 'profile'],
  },
];

/**
 * Logins that cannot show a page: the Action must recognise them itself, since trigger v3 has no canRedirect() and
 * fails a sendUserTo there with interaction_required (v2 skipped it silently). The local tenant's runtime treats the
 * same list as non-interactive (runtime.test.ts).
 */
export interface NonInteractiveCase {
  name: string;
  /** event.transaction.protocol; default oidc-basic-profile (an interactive login). */
  protocol?: string;
  /** event.transaction.prompt. */
  prompt?: string[];
  /** event.request.query.prompt, the /authorize parameter as sent. */
  queryPrompt?: string;
}

export const NON_INTERACTIVE_CASES: NonInteractiveCase[] = [
  { name: 'prompt=none', prompt: ['none'] },
  { name: 'prompt=none in the request query only', queryPrompt: 'login none' },
  { name: 'a refresh-token exchange', protocol: 'oauth2-refresh-token' },
  { name: 'a password exchange', protocol: 'oauth2-password' },
  { name: 'a resource-owner exchange', protocol: 'oauth2-resource-owner' },
  { name: 'a resource-owner JWT-bearer exchange', protocol: 'oauth2-resource-owner-jwt-bearer' },
  { name: 'a token exchange', protocol: 'oauth2-token-exchange' },
];

/**
 * Who the Action asks to verify it's you (the Rule never does: it has no such step). Carol knows DE/Berlin (verified
 * 2025-01-01) and needs nothing else, so `steps` is [] or ['verify']; the sign-in comes from BERLIN unless `geoip`
 * says otherwise. Settings are DECISION_SETTINGS (VERIFY_NEW_LOCATIONS=country) with the case's on top.
 */
export interface VerifyCase {
  name: string;
  /** app_metadata.detour_known_locations; absent: carol's (DE/Berlin). `null` removes it. */
  known?: unknown;
  geoip?: Geoip | Record<string, unknown>;
  settings?: Record<string, string>;
  change?: (user: PublicUser & Record<string, unknown>) => void;
  /** event.transaction.protocol (a non-interactive grant). */
  protocol?: string;
  /** Methods already in event.authentication.methods (v3); a path is taken relative to DETOUR_URL. */
  sessionMethods?: string[];
  steps: string[];
  /** The `verify.reason` claim when verify is among the steps. */
  reason?: 'new_location' | 'stale';
  /** The login is denied with this code instead. */
  deny?: string;
}

const berlin = (verifiedAt: string) => [{ country: 'DE', region: 'Berlin', verified_at: verifiedAt }];
const MUNICH = { ...BERLIN, subdivisionCode: 'BY', subdivisionName: 'Bavaria', cityName: 'Munich' };

export const VERIFY_CASES: VerifyCase[] = [
  // where from
  { name: 'a known country', steps: [] },
  { name: 'an unknown country', geoip: LISBON, steps: ['verify'], reason: 'new_location' },
  { name: 'a lower-case countryCode is upper-cased', geoip: { ...BERLIN, countryCode: 'de' }, steps: [] },
  { name: 'an empty list of known locations', known: [], steps: ['verify'], reason: 'new_location' },
  { name: 'no list of known locations', known: null, steps: ['verify'], reason: 'new_location' },
  { name: 'a list that is not an array', known: { country: 'DE' }, steps: ['verify'], reason: 'new_location' },
  { name: 'a second known country (not the newest)', known: [{ country: 'PT', verified_at: '2025-01-01T00:00:00.000Z' }, ...berlin('2025-02-01T00:00:00.000Z')], geoip: LISBON, steps: [] },
  { name: 'match=country: another region of a known country', geoip: MUNICH, steps: [] },
  { name: 'match=region: another region of a known country', geoip: MUNICH, settings: { VERIFY_NEW_LOCATIONS: 'region' }, steps: ['verify'], reason: 'new_location' },
  { name: 'match=region: the known region', settings: { VERIFY_NEW_LOCATIONS: 'region' }, steps: [] },
  {
    name: 'match=region: a known entry without region does not match a sign-in with one',
    known: [{ country: 'DE', verified_at: '2025-01-01T00:00:00.000Z' }],
    settings: { VERIFY_NEW_LOCATIONS: 'region' },
    steps: ['verify'],
    reason: 'new_location',
  },
  {
    name: 'match=region: a known entry without region matches a sign-in without one',
    known: [{ country: 'DE', verified_at: '2025-01-01T00:00:00.000Z' }],
    geoip: { countryCode: 'DE' },
    settings: { VERIFY_NEW_LOCATIONS: 'region' },
    steps: [],
  },
  // how long ago
  { name: 'VERIFY_MAX_AGE_DAYS unset: an old verification is enough', known: berlin(daysAgo(4000)), steps: [] },
  { name: 'a verification older than VERIFY_MAX_AGE_DAYS', known: berlin(daysAgo(100)), settings: { VERIFY_MAX_AGE_DAYS: '90' }, steps: ['verify'], reason: 'stale' },
  { name: 'a verification within VERIFY_MAX_AGE_DAYS', known: berlin(daysAgo(10)), settings: { VERIFY_MAX_AGE_DAYS: '90' }, steps: [] },
  {
    name: 'the newest verification of any place counts',
    known: [...berlin(daysAgo(100)), { country: 'PT', verified_at: daysAgo(5) }],
    settings: { VERIFY_MAX_AGE_DAYS: '90' },
    steps: [],
  },
  { name: 'an unparsable verified_at with VERIFY_MAX_AGE_DAYS', known: berlin('last spring'), settings: { VERIFY_MAX_AGE_DAYS: '90' }, steps: ['verify'], reason: 'stale' },
  { name: 'a new place is new_location even when also stale', known: berlin(daysAgo(100)), geoip: LISBON, settings: { VERIFY_MAX_AGE_DAYS: '90' }, steps: ['verify'], reason: 'new_location' },
  // not asked
  { name: 'VERIFY_NEW_LOCATIONS unset: never asked', geoip: LISBON, settings: { VERIFY_NEW_LOCATIONS: '' }, steps: [] },
  { name: 'no geoip', geoip: {}, known: [], steps: [] },
  { name: 'a geoip countryCode that is not two letters', geoip: { ...LISBON, countryCode: 'P1' }, known: [], steps: [] },
  { name: 'verified earlier in this session (v3 method)', geoip: LISBON, sessionMethods: ['/verify/email'], steps: [] },
  { name: 'a method of another origin does not count', geoip: LISBON, sessionMethods: ['https://other.example/verify/email'], steps: ['verify'], reason: 'new_location' },
  // who cannot be sent a code
  { name: 'an unverified email', geoip: LISBON, change: (u) => (u.email_verified = false), steps: [], deny: 'verification_required' },
  { name: 'no email', geoip: LISBON, change: (u) => delete (u as Record<string, unknown>).email, steps: [], deny: 'verification_required' },
  { name: 'an unverified email, verify optional: skipped', geoip: LISBON, change: (u) => (u.email_verified = false), settings: { OPTIONAL_STEPS: 'verify' }, steps: [] },
  {
    name: 'an unverified email, verify optional: the other steps go on',
    geoip: LISBON,
    change: (u) => {
      u.email_verified = false;
      delete u.app_metadata.terms_accepted_version;
    },
    settings: { OPTIONAL_STEPS: 'verify' },
    steps: ['terms'],
  },
  // cannot show a page
  { name: 'a refresh-token exchange from a new place', geoip: LISBON, protocol: 'oauth2-refresh-token', steps: [], deny: 'verification_required' },
  { name: 'a refresh-token exchange from a new place, verify optional', geoip: LISBON, protocol: 'oauth2-refresh-token', settings: { OPTIONAL_STEPS: 'verify' }, steps: [] },
  // order
  {
    name: 'verify goes before every other step',
    geoip: LISBON,
    change: (u) => {
      u.app_metadata.force_password_change = true;
      delete u.app_metadata.terms_accepted_version;
      delete u.given_name;
    },
    steps: ['verify', 'password', 'terms', 'profile'],
    reason: 'new_location',
  },
];

/** A user for a verify case: carol, with its known locations and change. */
export function verifyUserFor(testCase: VerifyCase): PublicUser {
  const user = completeUser() as PublicUser & Record<string, unknown>;
  if (testCase.known === null) delete user.app_metadata.detour_known_locations;
  else if (testCase.known !== undefined) user.app_metadata.detour_known_locations = structuredClone(testCase.known);
  testCase.change?.(user);
  return user;
}

/** Steps the default settings give each seeded user (README.md "Seeded users"). */
export const SEEDED_STEPS: Record<string, string[]> = {
  alice: ['terms'],
  bob: ['terms'],
  carol: [],
  dave: [],
  erin: ['profile'],
  frank: ['password'],
  grace: ['terms', 'profile'],
  heidi: ['password', 'terms', 'profile'],
  ivan: ['terms'],
  pablo: ['verify'], // known in Berlin, signs in from Lisbon
};

/** Seeded users the Action denies with the default settings, and the code (the Rule lets them through). */
export const SEEDED_DENIED: Record<string, string> = {
  quentin: 'verification_required', // pablo without a verified email
};

/** A user for a case: carol, changed. */
export function userFor(testCase: DecisionCase): PublicUser {
  const user = completeUser() as PublicUser & Record<string, unknown>;
  testCase.change?.(user);
  return user;
}

/** Settings for a case: the defaults, overridden; an empty value removes one. */
export function settingsFor(testCase: DecisionCase, base: Record<string, string>): Record<string, string> {
  const merged: Record<string, string> = { ...base, ...DECISION_SETTINGS, ...testCase.settings };
  for (const [key, value] of Object.entries(merged)) if (value === '') delete merged[key];
  return merged;
}
