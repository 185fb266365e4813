// The decision table both the Action and the Rule must follow (post-login.test.ts, redirect-rule.test.ts).
import { DEFAULT_PROFILE_FIELDS, DEFAULT_REQUIRED_PROFILE_FIELDS } from '../../e2e/local-tenant/config';
import { publicUser, seedUsers, type PublicUser } from '../../e2e/local-tenant/users';

export const TERMS = '2026-11-01';

/** Settings shared by the Action's secrets and the Rule's configuration (the local tenant's defaults). */
export const DECISION_SETTINGS = {
  TERMS_VERSION: TERMS,
  TERMS_REACCEPT_FROM: TERMS,
  PROFILE_FIELDS: DEFAULT_PROFILE_FIELDS,
  REQUIRED_PROFILE_FIELDS: DEFAULT_REQUIRED_PROFILE_FIELDS,
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
      u.app_metadata = { force_password_change: true, terms_accepted_version: '2025-01-01' };
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
