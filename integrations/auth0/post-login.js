/**
 * Detour — Auth0 post-login Action (Node 18+ runtime, no dependencies).
 *
 * Decides which Detour steps a user needs (verify, password, terms, profile), sends them all in one redirect to
 * Detour's /start with a signed session token, and checks Detour's signed answer in onContinuePostLogin.
 * Paste this file into a post-login Action, add the onContinuePostLogin export with it, and set the secrets
 * below (docs/auth0-install.md has the full guide).
 *
 * Runs on post-login trigger v2 and v3 alike, and is tested against both. It decides itself whether the login can
 * show a page (resource-owner, password, refresh-token and token-exchange grants, prompt=none) and never calls
 * sendUserTo when it cannot: v3 fails such a redirect with interaction_required where v2 skipped it silently.
 * api.redirect.canRedirect() (deprecated in v3, where it may be missing) is asked as well where it exists.
 *
 * Secrets (all strings; lists are comma-separated):
 *   DETOUR_URL              required. Detour's public origin (its APP_BASE_URL), e.g. https://detour.example.com
 *   SESSION_TOKEN_SECRET    required. Shared with Detour; at least 32 characters
 *   DETOUR_AUDIENCE         the `aud` Detour expects (its SESSION_TOKEN_AUDIENCE). Default: DETOUR_URL
 *   TERMS_VERSION           the current terms version, a date-like string such as 2026-11-01. Required unless
 *                           REQUIREMENTS_URL is set (then it is the fallback when Detour cannot be reached)
 *   TERMS_REACCEPT_FROM     the oldest accepted version that does not need re-accepting. Default: TERMS_VERSION.
 *                           Versions compare as strings, so keep one format (YYYY-MM-DD)
 *   TERMS_MAX_AGE_DAYS      re-ask when the acceptance (app_metadata.terms_accepted_at) is older. Default: never
 *   REQUIREMENTS_URL        Detour's GET /api/requirements; when set, its answer replaces TERMS_VERSION,
 *                           TERMS_REACCEPT_FROM and REQUIRED_PROFILE_FIELDS (see loadRequirements)
 *   PROFILE_FIELDS          fields sent to Detour as current values: `id` (user_metadata.id) or `id:root`
 *                           (a root attribute such as given_name). Default: none
 *   REQUIRED_PROFILE_FIELDS fields that must hold a value, or the profile step runs. Default: none
 *   PASSWORD_MAX_AGE_DAYS   ask for a new password when event.user.last_password_reset is older. Default: never
 *   VERIFY_NEW_LOCATIONS    `country` or `region`: ask "verify it's you" (a code sent by email) when the sign-in comes
 *                           from a country (or country and region) not among the user's known locations. Default:
 *                           never. REQUIREMENTS_URL's `verify` section, when its answer has one, replaces the three
 *   VERIFY_MAX_AGE_DAYS     ask again when the last verification is older. Default: never
 *   KNOWN_LOCATIONS_MAX     how many verified locations are remembered per user (1..50). Default: 10
 *   OPTIONAL_STEPS          steps that may be skipped when the login cannot be redirected (and verify, when the user
 *                           has no verified email to send a code to). Default: none
 *   CLIENT_IDS              only these applications go through Detour. Default: every application
 *
 * app_metadata it reads: terms_accepted_version, terms_accepted_at, terms_reset, force_password_change,
 * detour_known_locations. It also reads event.request.geoip (the sign-in's country and region) and, on trigger v3,
 * event.authentication.methods (a verification already made in this session).
 * app_metadata it writes: detour_pending_jti and detour_pending_steps (during the detour, then removed),
 * terms_accepted_* and user_metadata fields (steps Detour left to the Action: `persist_in_action`),
 * password_changed_at, detour_known_locations ([{ country, region?, verified_at }], newest last: country and region
 * only, never the city or coordinates); it removes force_password_change and terms_reset once the step is done.
 * After the verify step on trigger v3 it records the method `<DETOUR_URL>/verify/email` on the session.
 */
const crypto = require('crypto');

/** Detour runs the steps in this order; the `steps` claim always follows it. Identity is proven before anything else. */
const STEP_ORDER = ['verify', 'password', 'terms', 'profile'];
const DENY_CODE = {
  verify: 'verification_required',
  password: 'password_change_required',
  terms: 'terms_not_accepted',
  profile: 'profile_incomplete',
};
const TOKEN_PARAMETER = 'session_token';
const TOKEN_LIFETIME_SECONDS = 600;
// Detour refuses a token over 4 KB before it even checks the signature (docs/design.md security rule 1).
const MAX_TOKEN_LENGTH = 3900;
// Grants that run without a browser, so no page can be shown (v3 answers a redirect with interaction_required).
const NON_INTERACTIVE_PROTOCOLS = ['oauth2-resource-owner', 'oauth2-resource-owner-jwt-bearer', 'oauth2-password', 'oauth2-refresh-token', 'oauth2-token-exchange'];
// Machine-to-machine: no user at all, so the Action does nothing (appliesTo).
const MACHINE_PROTOCOLS = ['oauth2-client-credentials'];
const ROOT_ATTRIBUTES = ['given_name', 'family_name', 'name', 'nickname', 'picture'];
const DAY_MS = 24 * 3600 * 1000;

// What Detour's claim schema accepts (lib/tokens/session-claims-schema.ts): a claim outside these shapes
// makes Detour refuse the whole token, so the Action leaves such a value out instead of sending it.
const VERSION = /^[A-Za-z0-9._-]{1,64}$/;
const FIELD_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/;
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
const UI_LOCALES = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*(?: [A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)*$/;
const MAX_VALUE_LENGTH = 1000;
const MAX_PROFILE_FIELDS = 50;

const VERIFY_MATCHES = ['country', 'region'];
const VERIFY_METHOD_PATH = '/verify/email';
const GEOIP_COUNTRY = /^[A-Za-z]{2}$/;
const COUNTRY = /^[A-Z]{2}$/;
const MAX_PLACE_LENGTH = 100;
const KNOWN_LOCATIONS_DEFAULT = 10;
const KNOWN_LOCATIONS_LIMIT = 50;

const REQUIREMENTS_TIMEOUT_MS = 2500;
const REQUIREMENTS_FRESH_MS = 5 * 60 * 1000;
const REQUIREMENTS_KEEP_MS = 24 * 3600 * 1000;

// ---------------------------------------------------------------------------------------------- settings

const list = (value) =>
  String(value || '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const plainText = (value, max) => typeof value === 'string' && value.length <= max && !CONTROL_OR_BIDI.test(value);

function isLoopbackHost(hostname) {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** https, or http for a loopback host (local tenant, tests); no credentials, query or fragment. */
function webUrl(value, { originOnly = false } = {}) {
  let url;
  try {
    url = new URL(String(value || ''));
  } catch {
    return null;
  }
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  if (!allowed || url.username || url.password || url.search || url.hash) return null;
  if (originOnly && url.pathname !== '/') return null;
  return url.toString().replace(/\/+$/, '');
}

function positiveInteger(value) {
  return /^[1-9][0-9]{0,5}$/.test(String(value)) ? Number(value) : null;
}

/** Reads event.secrets. Returns { config } or { error } naming the first bad secret. */
function readSettings(secrets) {
  const s = secrets || {};
  const fail = (name, why) => ({ error: `secret ${name} ${why}` });

  // An origin, as Detour's APP_BASE_URL: it is also the default `aud` and the `iss` of Detour's answer.
  const detourUrl = webUrl(s.DETOUR_URL, { originOnly: true });
  if (!detourUrl) return fail('DETOUR_URL', 'must be an https origin such as https://detour.example.com (http only for localhost)');
  if (typeof s.SESSION_TOKEN_SECRET !== 'string' || Buffer.byteLength(s.SESSION_TOKEN_SECRET) < 32) {
    return fail('SESSION_TOKEN_SECRET', 'must be at least 32 characters, the same as Detour’s');
  }

  let requirementsUrl = null;
  if (s.REQUIREMENTS_URL) {
    requirementsUrl = webUrl(s.REQUIREMENTS_URL);
    if (!requirementsUrl) return fail('REQUIREMENTS_URL', 'must be an https URL (http only for localhost)');
  }

  let terms = null;
  if (s.TERMS_VERSION) {
    const current = String(s.TERMS_VERSION).trim();
    const reacceptFrom = s.TERMS_REACCEPT_FROM ? String(s.TERMS_REACCEPT_FROM).trim() : current;
    if (!VERSION.test(current)) return fail('TERMS_VERSION', 'may hold only letters, digits, dot, dash and underscore');
    if (!VERSION.test(reacceptFrom)) return fail('TERMS_REACCEPT_FROM', 'may hold only letters, digits, dot, dash and underscore');
    if (reacceptFrom > current) return fail('TERMS_REACCEPT_FROM', `(${reacceptFrom}) is later than TERMS_VERSION (${current})`);
    terms = { current, reacceptFrom };
  } else if (s.TERMS_REACCEPT_FROM) {
    return fail('TERMS_REACCEPT_FROM', 'needs TERMS_VERSION');
  } else if (!requirementsUrl) {
    return fail('TERMS_VERSION', 'is missing (or set REQUIREMENTS_URL)');
  }

  const termsMaxAgeDays = s.TERMS_MAX_AGE_DAYS ? positiveInteger(s.TERMS_MAX_AGE_DAYS) : null;
  if (s.TERMS_MAX_AGE_DAYS && !termsMaxAgeDays) return fail('TERMS_MAX_AGE_DAYS', 'must be a whole number of days');
  const passwordMaxAgeDays = s.PASSWORD_MAX_AGE_DAYS ? positiveInteger(s.PASSWORD_MAX_AGE_DAYS) : null;
  if (s.PASSWORD_MAX_AGE_DAYS && !passwordMaxAgeDays) return fail('PASSWORD_MAX_AGE_DAYS', 'must be a whole number of days');

  const profileFields = {};
  for (const entry of list(s.PROFILE_FIELDS)) {
    const [id, where, extra] = entry.split(':').map((part) => part.trim());
    if (!FIELD_ID.test(id) || extra !== undefined || (where !== undefined && where !== 'root')) {
      return fail('PROFILE_FIELDS', `has a bad entry "${entry}" (use id or id:root)`);
    }
    if (where === 'root' && !ROOT_ATTRIBUTES.includes(id)) return fail('PROFILE_FIELDS', `names ${id}:root, which is not a root attribute`);
    profileFields[id] = where === 'root' ? 'root' : 'user_metadata';
  }
  const requiredProfileFields = list(s.REQUIRED_PROFILE_FIELDS);
  const badRequired = requiredProfileFields.find((id) => !FIELD_ID.test(id));
  if (badRequired) return fail('REQUIRED_PROFILE_FIELDS', `has a bad field id "${badRequired}"`);
  if (Object.keys({ ...profileFields, ...Object.fromEntries(requiredProfileFields.map((id) => [id, 1])) }).length > MAX_PROFILE_FIELDS) {
    return fail('PROFILE_FIELDS', `lists more than ${MAX_PROFILE_FIELDS} fields`);
  }

  let verify = null;
  if (s.VERIFY_NEW_LOCATIONS && !VERIFY_MATCHES.includes(String(s.VERIFY_NEW_LOCATIONS).trim())) {
    return fail('VERIFY_NEW_LOCATIONS', 'must be country or region');
  }
  const verifyMaxAgeDays = s.VERIFY_MAX_AGE_DAYS ? positiveInteger(s.VERIFY_MAX_AGE_DAYS) : null;
  if (s.VERIFY_MAX_AGE_DAYS && !verifyMaxAgeDays) return fail('VERIFY_MAX_AGE_DAYS', 'must be a whole number of days');
  const knownLocationsMax = s.KNOWN_LOCATIONS_MAX ? positiveInteger(s.KNOWN_LOCATIONS_MAX) : KNOWN_LOCATIONS_DEFAULT;
  if (!knownLocationsMax || knownLocationsMax > KNOWN_LOCATIONS_LIMIT) return fail('KNOWN_LOCATIONS_MAX', `must be a whole number from 1 to ${KNOWN_LOCATIONS_LIMIT}`);
  if (s.VERIFY_NEW_LOCATIONS) verify = { match: String(s.VERIFY_NEW_LOCATIONS).trim(), maxAgeDays: verifyMaxAgeDays, knownLocationsMax };

  const optionalSteps = list(s.OPTIONAL_STEPS);
  const unknownStep = optionalSteps.find((step) => !STEP_ORDER.includes(step));
  if (unknownStep) return fail('OPTIONAL_STEPS', `names an unknown step "${unknownStep}" (known: ${STEP_ORDER.join(', ')})`);

  return {
    config: {
      detourUrl,
      secret: s.SESSION_TOKEN_SECRET,
      audience: s.DETOUR_AUDIENCE ? String(s.DETOUR_AUDIENCE) : detourUrl,
      requirementsUrl,
      terms,
      termsMaxAgeDays,
      passwordMaxAgeDays,
      profileFields,
      requiredProfileFields,
      optionalSteps,
      verify,
      knownLocationsMax,
    },
  };
}

/** Client allow-list and machine-to-machine flows: read before anything else, so a bad secret cannot widen it. */
function appliesTo(event) {
  const protocol = event.transaction && event.transaction.protocol;
  if (MACHINE_PROTOCOLS.includes(protocol)) return false;
  const clientIds = list(event.secrets && event.secrets.CLIENT_IDS);
  return clientIds.length === 0 || clientIds.includes(event.client && event.client.client_id);
}

// ------------------------------------------------------------------------------------------ requirements

/** Detour's `verify` section: null when absent, undefined when malformed (then the whole answer is unusable). */
function parseVerifyRequirements(section) {
  if (section === undefined || section === null) return null;
  const maxAge = section.max_age_days;
  const known = section.known_locations_max;
  if (!VERIFY_MATCHES.includes(section.match)) return undefined;
  if (maxAge !== null && maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge > 0 && maxAge < 1e6)) return undefined;
  if (!(Number.isInteger(known) && known >= 1 && known <= KNOWN_LOCATIONS_LIMIT)) return undefined;
  return { match: section.match, maxAgeDays: maxAge || null, knownLocationsMax: known };
}

function parseRequirements(body) {
  const terms = body && body.terms;
  if (!terms || !VERSION.test(terms.current)) return null;
  const reacceptFrom = VERSION.test(terms.reaccept_from) && terms.reaccept_from <= terms.current ? terms.reaccept_from : terms.current;
  const required = body.profile && body.profile.required;
  const profileRequired = Array.isArray(required) ? required.filter((id) => typeof id === 'string' && FIELD_ID.test(id)).slice(0, MAX_PROFILE_FIELDS) : null;
  const verify = parseVerifyRequirements(body.verify);
  if (verify === undefined) return null;
  return { terms: { current: terms.current, reacceptFrom }, profileRequired, verify };
}

/** The cached form of a parsed answer: Detour's own shape, so readCache parses it like a fresh one. */
function requirementsBody(parsed) {
  return {
    terms: { current: parsed.terms.current, reaccept_from: parsed.terms.reacceptFrom },
    profile: parsed.profileRequired ? { required: parsed.profileRequired } : undefined,
    verify: parsed.verify ? { match: parsed.verify.match, max_age_days: parsed.verify.maxAgeDays, known_locations_max: parsed.verify.knownLocationsMax } : undefined,
  };
}

async function fetchRequirements(url) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUIREMENTS_TIMEOUT_MS);
  try {
    const response = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: controller.signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const parsed = parseRequirements(JSON.parse((await response.text()).slice(0, 16384)));
    if (!parsed) throw new Error('unexpected answer');
    return parsed;
  } finally {
    clearTimeout(timer);
  }
}

function cacheKey(url) {
  return `detour-req:${crypto.createHash('sha256').update(url).digest('base64url').slice(0, 22)}`;
}

function readCache(api, key) {
  try {
    const record = api.cache && api.cache.get(key);
    const entry = record && JSON.parse(record.value);
    return entry && typeof entry.at === 'number' && parseRequirements(entry.body) ? entry : null;
  } catch {
    return null;
  }
}

/**
 * What terms version is current, which profile fields are required and how the verify step is asked (`verify`: null
 * when it is never asked). With REQUIREMENTS_URL: a cached answer
 * under 5 minutes old, else a fresh fetch (2.5 s timeout), else the last answer cached (up to 24 h, when
 * api.cache still has it), else the secrets. Without any of these the answer is `unknown`: mandatory steps then
 * deny the login, optional ones are skipped (fail closed, like a login that cannot redirect).
 * An answer without a `verify` section leaves the verify settings to the secrets (VERIFY_NEW_LOCATIONS).
 * `network: false` (onContinuePostLogin) never fetches.
 */
async function loadRequirements(api, config, options) {
  const fromSecrets = config.terms ? { terms: config.terms, profileRequired: config.requiredProfileFields, verify: config.verify } : null;
  if (!config.requirementsUrl) return fromSecrets;
  const key = cacheKey(config.requirementsUrl);
  const cached = readCache(api, key);
  const withFallback = (parsed) => ({
    terms: parsed.terms,
    profileRequired: parsed.profileRequired || config.requiredProfileFields,
    verify: parsed.verify || config.verify,
  });
  if (cached && Date.now() - cached.at < REQUIREMENTS_FRESH_MS) return withFallback(parseRequirements(cached.body));
  if (options.network) {
    try {
      const fresh = await fetchRequirements(config.requirementsUrl);
      const body = requirementsBody(fresh);
      try {
        if (api.cache) api.cache.set(key, JSON.stringify({ at: Date.now(), body }), { ttl: REQUIREMENTS_KEEP_MS });
      } catch {
        // a full cache only costs a fetch next time
      }
      return withFallback(fresh);
    } catch (error) {
      console.log(`Detour: REQUIREMENTS_URL could not be read (${error && error.name === 'AbortError' ? 'timeout' : error && error.message}); using ${cached ? 'the cached answer' : fromSecrets ? 'the secrets' : 'nothing'}`);
    }
  }
  if (cached) return withFallback(parseRequirements(cached.body));
  return fromSecrets;
}

// ----------------------------------------------------------------------------------------------- decide

function daysOld(isoDate, now) {
  const at = typeof isoDate === 'string' ? Date.parse(isoDate) : NaN;
  return Number.isNaN(at) ? null : (now - at) / DAY_MS;
}

/** A value Detour accepts in the profile claim and that counts as filled in. */
function usableValue(value) {
  if (typeof value === 'string') return value.trim() !== '' && plainText(value, MAX_VALUE_LENGTH);
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'boolean';
}

function profileValue(user, config, id) {
  const where = config.profileFields[id] || 'user_metadata';
  return where === 'root' ? user[id] : (user.user_metadata || {})[id];
}

function needsPassword(event, config, now) {
  if (!event.connection || event.connection.strategy !== 'auth0') return false; // no password to change
  const appMetadata = event.user.app_metadata || {};
  if (appMetadata.force_password_change === true) return true;
  if (!config.passwordMaxAgeDays) return false;
  const age = daysOld(event.user.last_password_reset, now);
  return age !== null && age > config.passwordMaxAgeDays;
}

function needsTerms(user, config, terms, now) {
  const appMetadata = user.app_metadata || {};
  const accepted = appMetadata.terms_accepted_version;
  if (typeof accepted !== 'string' || accepted < terms.reacceptFrom) return true;
  if (appMetadata.terms_reset === true) return true;
  if (!config.termsMaxAgeDays) return false;
  const age = daysOld(appMetadata.terms_accepted_at, now);
  return age === null || age > config.termsMaxAgeDays;
}

function needsProfile(user, config, required) {
  return required.some((id) => !usableValue(profileValue(user, config, id)));
}

// ------------------------------------------------------------------------------------------------ verify

/** The verify settings in force ({ match, maxAgeDays, knownLocationsMax }), or null: the step is never asked. */
function verifySettings(config, requirements) {
  return requirements ? requirements.verify : config.verify;
}

const usablePlace = (value) => plainText(value, MAX_PLACE_LENGTH) && value.trim() !== '';
const sameLocation = (a, b, match) => a.country === b.country && (match === 'country' || (a.region || null) === (b.region || null));

/** app_metadata.detour_known_locations: its well-formed entries, in stored order (newest last). */
function knownLocations(appMetadata) {
  const stored = appMetadata.detour_known_locations;
  if (!Array.isArray(stored)) return [];
  return stored
    .filter((entry) => entry && typeof entry === 'object' && typeof entry.country === 'string' && GEOIP_COUNTRY.test(entry.country))
    .map((entry) => ({
      country: entry.country.toUpperCase(),
      ...(typeof entry.region === 'string' && entry.region ? { region: entry.region } : {}),
      verified_at: entry.verified_at,
    }));
}

/** Where the sign-in comes from, as names only (never coordinates or IP); null when geoip has no usable country. */
function signInLocation(event) {
  const geoip = (event.request && event.request.geoip) || {};
  if (typeof geoip.countryCode !== 'string' || !GEOIP_COUNTRY.test(geoip.countryCode)) return null;
  const location = { country: geoip.countryCode.toUpperCase() };
  // A name Detour would refuse is left out: a region is then matched as "no region", like the location Detour returns.
  if (usablePlace(geoip.subdivisionName)) location.region = geoip.subdivisionName;
  if (usablePlace(geoip.cityName)) location.city = geoip.cityName;
  return location;
}

/** Trigger v3: a verification earlier in this session is listed in event.authentication.methods. */
function verifiedInSession(event, config) {
  const methods = event.authentication && Array.isArray(event.authentication.methods) ? event.authentication.methods : [];
  return methods.some((method) => method && method.name === `${config.detourUrl}${VERIFY_METHOD_PATH}`);
}

/** Whether the sign-in must be verified: { location, reason } for the `verify` claim, or null. */
function needsVerify(event, config, settings, now) {
  if (!settings || verifiedInSession(event, config)) return null;
  const location = signInLocation(event);
  if (!location) {
    // Without a country a new place cannot be told from a known one. Asking anyway would email a code on every sign-in
    // whose IP has no geolocation (private networks, some proxies); such a sign-in goes on without the step.
    console.log('Detour: event.request.geoip has no usable countryCode, so the verify step is not asked for this sign-in');
    return null;
  }
  const known = knownLocations(event.user.app_metadata || {});
  if (!known.some((entry) => sameLocation(entry, location, settings.match))) return { location, reason: 'new_location' };
  if (!settings.maxAgeDays) return null;
  const times = known.map((entry) => (typeof entry.verified_at === 'string' ? Date.parse(entry.verified_at) : NaN)).filter((at) => !Number.isNaN(at));
  const stale = times.length === 0 || (now - Math.max(...times)) / DAY_MS > settings.maxAgeDays;
  return stale ? { location, reason: 'stale' } : null;
}

/** A verified address Detour can send a code to (and accepts in the `email` claim). */
function usableEmail(user) {
  return typeof user.email === 'string' && user.email.length <= 320 && EMAIL.test(user.email);
}

/**
 * The steps this login needs, in STEP_ORDER, those left undecided because the requirements are unknown, and the
 * verify decision ({ location, reason }) when verify is among the steps.
 */
function decideSteps(event, config, requirements, now) {
  const steps = [];
  const undecided = [];
  const verify = needsVerify(event, config, verifySettings(config, requirements), now);
  if (verify) steps.push('verify');
  if (needsPassword(event, config, now)) steps.push('password');
  if (!requirements) undecided.push('terms');
  else if (needsTerms(event.user, config, requirements.terms, now)) steps.push('terms');
  const required = requirements ? requirements.profileRequired || [] : config.requiredProfileFields;
  if (needsProfile(event.user, config, required)) steps.push('profile');
  return { steps, undecided, verify };
}

// ---------------------------------------------------------------------------------------------- redirect

/** The prompt values of the login: event.transaction.prompt (an array, or a string) and the /authorize query's. */
function prompts(event) {
  const fromTransaction = [].concat((event.transaction && event.transaction.prompt) || []);
  const fromQuery = (event.request && event.request.query && event.request.query.prompt) || '';
  return fromTransaction.concat(fromQuery).flatMap((value) => String(value).split(' '));
}

/**
 * Why this login cannot show a page, or null. Decided from the protocol and prompt=none rather than left to Auth0:
 * trigger v3 has no canRedirect() and fails a sendUserTo in a non-interactive flow. On v2 canRedirect() is asked too,
 * since Auth0 may refuse a redirect for reasons of its own.
 */
function redirectBlocked(event, api) {
  const protocol = event.transaction && event.transaction.protocol;
  if (NON_INTERACTIVE_PROTOCOLS.includes(protocol)) return `this sign-in uses the ${protocol} exchange, which cannot show pages`;
  if (prompts(event).includes('none')) return 'this sign-in asked for no interaction (prompt=none)';
  if (typeof api.redirect.canRedirect === 'function' && !api.redirect.canRedirect()) return 'Auth0 does not allow a redirect in this sign-in';
  return null;
}

function uiLocales(event) {
  const candidates = [
    Array.isArray(event.transaction && event.transaction.ui_locales) ? event.transaction.ui_locales.join(' ') : '',
    event.request && event.request.language,
    event.transaction && event.transaction.locale,
  ];
  return candidates.find((value) => typeof value === 'string' && UI_LOCALES.test(value));
}

/** Current values of the configured profile fields that Detour can take (others are left out, not sent broken). */
function currentProfile(user, config, required) {
  const profile = {};
  for (const id of Object.keys({ ...config.profileFields, ...Object.fromEntries(required.map((r) => [r, 1])) })) {
    const value = profileValue(user, config, id);
    if (usableValue(value)) profile[id] = value;
  }
  return profile;
}

function sessionPayload(event, config, steps, jti, requirements, verify) {
  const user = event.user;
  const payload = { jti, aud: config.audience, steps };
  if (usableEmail(user)) payload.email = user.email;
  if (plainText(user.name, 200) && user.name.trim()) payload.name = user.name;
  const connection = event.connection && event.connection.name;
  if (plainText(connection, 128) && connection) payload.connection = connection;
  const locales = uiLocales(event);
  if (locales) payload.ui_locales = locales;
  const accepted = (user.app_metadata || {}).terms_accepted_version;
  if (steps.includes('terms') && typeof accepted === 'string' && VERSION.test(accepted)) payload.terms_accepted_version = accepted;
  // Current values only when Detour asks for the profile: the token travels in a URL.
  if (steps.includes('profile')) payload.profile = currentProfile(user, config, (requirements && requirements.profileRequired) || config.requiredProfileFields);
  if (steps.includes('verify')) payload.verify = { location: verify.location, reason: verify.reason };
  return payload;
}

/** Signs the session token, leaving out the longest prefill values (then the name) until it fits in a URL. */
function encodeWithinBudget(api, config, payload) {
  const encode = () => api.redirect.encodeToken({ secret: config.secret, expiresInSeconds: TOKEN_LIFETIME_SECONDS, payload });
  let token = encode();
  while (token.length > MAX_TOKEN_LENGTH) {
    const entries = Object.entries(payload.profile || {}).sort((a, b) => String(b[1]).length - String(a[1]).length);
    if (entries.length > 0) delete payload.profile[entries[0][0]];
    else if (payload.name) delete payload.name;
    else break;
    token = encode();
  }
  return token;
}

function describeSteps(steps, requirements) {
  const text = {
    verify: 'confirm this sign-in with a code sent by email',
    password: 'change the password',
    terms: requirements ? `accept terms version ${requirements.terms.current}` : 'accept the current terms',
    profile: 'complete the profile',
  };
  return steps.map((step) => text[step]).join(', ');
}

exports.onExecutePostLogin = async (event, api) => {
  if (!appliesTo(event)) return;
  const { config, error } = readSettings(event.secrets);
  if (error) {
    api.access.deny(`detour_misconfigured: the Detour Action cannot run: ${error}.`);
    return;
  }

  const now = Date.now();
  const requirements = await loadRequirements(api, config, { network: true });
  const decided = decideSteps(event, config, requirements, now);
  const mandatoryUndecided = decided.undecided.filter((step) => !config.optionalSteps.includes(step));
  if (mandatoryUndecided.length > 0) {
    api.access.deny(`detour_unavailable: the sign-in requirements could not be loaded from REQUIREMENTS_URL; try again in a moment.`);
    return;
  }
  let steps = decided.steps;
  if (steps.includes('verify') && (event.user.email_verified !== true || !usableEmail(event.user))) {
    // No address a code can be sent to: an optional verify waits (the other steps go on), a mandatory one denies.
    if (!config.optionalSteps.includes('verify')) {
      const why = decided.verify.reason === 'stale' ? 'must be confirmed by email again' : 'comes from a new place and must be confirmed by email';
      api.access.deny(`${DENY_CODE.verify}: this sign-in ${why}, but the account has no verified email address. Verify the email address (or ask your administrator to), then sign in again.`);
      return;
    }
    steps = steps.filter((step) => step !== 'verify');
  }
  if (steps.length === 0) return;

  const blocked = redirectBlocked(event, api);
  if (blocked) {
    const mandatory = steps.filter((step) => !config.optionalSteps.includes(step));
    if (mandatory.length > 0) {
      api.access.deny(`${DENY_CODE[mandatory[0]]}: before signing in you must ${describeSteps(mandatory, requirements)}, and ${blocked}. Sign in interactively to continue.`);
    }
    return; // only optional steps: they wait for an interactive sign-in
  }

  const jti = crypto.randomBytes(16).toString('base64url');
  const token = encodeWithinBudget(api, config, sessionPayload(event, config, steps, jti, requirements, decided.verify));
  // Auth0 saves metadata when the Action finishes, before the redirect; onContinuePostLogin compares with it.
  api.user.setAppMetadata('detour_pending_jti', jti);
  api.user.setAppMetadata('detour_pending_steps', steps);
  api.redirect.sendUserTo(`${config.detourUrl}/start`, { query: { [TOKEN_PARAMETER]: token } });
};

// ---------------------------------------------------------------------------------------------- continue

const sameOrigin = (a, b) => typeof a === 'string' && a.replace(/\/+$/, '').toLowerCase() === b.toLowerCase();

/** Checks Detour's answer; returns the metadata writes it asks for, or { error: '<code>: <sentence>' }. */
function checkAnswer(event, config, payload, pending, requirements) {
  const bad = (sentence) => ({ error: `detour_invalid_answer: ${sentence}` });
  if (!payload || typeof payload !== 'object') return bad('Detour’s answer is empty.');
  if (payload.sub !== event.user.user_id) return bad('Detour answered for a different user.');
  if (typeof pending.jti !== 'string' || payload.jti !== pending.jti) return bad('Detour’s answer does not belong to this sign-in (jti mismatch); start again.');
  if (!sameOrigin(payload.iss, config.detourUrl)) return bad(`Detour’s answer comes from ${String(payload.iss)}, not DETOUR_URL.`);

  const completed = Array.isArray(payload.completed) ? payload.completed.filter((step) => typeof step === 'string') : [];
  const missing = pending.steps.filter((step) => !completed.includes(step) && !config.optionalSteps.includes(step));
  if (missing.length > 0) return { error: `${DENY_CODE[missing[0]] || 'detour_incomplete'}: Detour did not report the ${missing.join(', ')} step as completed.` };

  const app = {};
  const user = {};
  const persist = Array.isArray(payload.persist_in_action) ? payload.persist_in_action : [];
  if (completed.includes('terms')) {
    const terms = payload.terms || {};
    if (!VERSION.test(terms.version) || typeof terms.accepted_at !== 'string') return bad('the terms result is missing its version or time.');
    if (requirements && terms.version < requirements.terms.reacceptFrom) {
      return { error: `terms_not_accepted: Detour reported terms version ${terms.version}, but ${requirements.terms.reacceptFrom} or later must be accepted.` };
    }
    if (persist.includes('terms')) {
      app.terms_accepted_version = terms.version;
      app.terms_accepted_at = terms.accepted_at;
    }
    if ((event.user.app_metadata || {}).terms_reset === true) app.terms_reset = null;
  }
  if (completed.includes('profile') && persist.includes('profile')) {
    const profile = payload.profile || {};
    for (const [id, value] of Object.entries(profile)) {
      // Root attributes are Detour's to write (Management API); the Action only writes user_metadata.
      if (!FIELD_ID.test(id) || ROOT_ATTRIBUTES.includes(id) || config.profileFields[id] === 'root') continue;
      if (typeof value === 'string' ? plainText(value, MAX_VALUE_LENGTH) : typeof value === 'number' || typeof value === 'boolean') user[id] = value;
    }
  }
  if (completed.includes('password')) {
    const changedAt = payload.password && payload.password.changed_at;
    app.force_password_change = null;
    app.password_changed_at = typeof changedAt === 'string' && !Number.isNaN(Date.parse(changedAt)) ? changedAt : new Date().toISOString();
  }
  let verified = false;
  if (completed.includes('verify')) {
    const verify = payload.verify || {};
    const location = verify.location || {};
    if (verify.method !== 'email_otp') return bad('the verify result does not name the email_otp method.');
    if (typeof verify.at !== 'string' || Number.isNaN(Date.parse(verify.at))) return bad('the verify result is missing its time.');
    if (typeof location.country !== 'string' || !COUNTRY.test(location.country) || (location.region !== undefined && !usablePlace(location.region))) {
      return bad('the verify result is missing its location.');
    }
    const max = (verifySettings(config, requirements) || config).knownLocationsMax;
    app.detour_known_locations = rememberLocation(knownLocations(event.user.app_metadata || {}), location, verify.at, max);
    verified = true;
  }
  return { app, user, verified };
}

/**
 * The known locations with this one added, or moved to the end with its new time; the oldest dropped beyond `max`.
 * Country and region only: they are all the decision uses, and a city would make app_metadata a travel log.
 */
function rememberLocation(known, location, verifiedAt, max) {
  const place = { country: location.country, ...(location.region ? { region: location.region } : {}) };
  const others = known.filter((entry) => !sameLocation(entry, place, 'region'));
  return [...others, { ...place, verified_at: verifiedAt }].slice(-max);
}

exports.onContinuePostLogin = async (event, api) => {
  const appMetadata = event.user.app_metadata || {};
  const pending = {
    jti: appMetadata.detour_pending_jti,
    steps: Array.isArray(appMetadata.detour_pending_steps) ? appMetadata.detour_pending_steps : [],
  };
  // Single use, whatever happens next.
  api.user.setAppMetadata('detour_pending_jti', null);
  api.user.setAppMetadata('detour_pending_steps', null);

  const { config, error } = readSettings(event.secrets);
  if (error) {
    api.access.deny(`detour_misconfigured: the Detour Action cannot run: ${error}.`);
    return;
  }
  let payload;
  try {
    payload = api.redirect.validateToken({ secret: config.secret, tokenParameterName: TOKEN_PARAMETER });
  } catch (failure) {
    api.access.deny(`detour_invalid_answer: Detour’s answer could not be verified (${failure && failure.message}).`);
    return;
  }
  const requirements = await loadRequirements(api, config, { network: false });
  const result = checkAnswer(event, config, payload, pending, requirements);
  if (result.error) {
    api.access.deny(result.error);
    return;
  }
  for (const [key, value] of Object.entries(result.app)) api.user.setAppMetadata(key, value);
  for (const [key, value] of Object.entries(result.user)) api.user.setUserMetadata(key, value);
  // Trigger v3: the session remembers the verification, so a later sign-in in it is not asked again.
  if (result.verified && api.authentication && typeof api.authentication.recordMethod === 'function') {
    api.authentication.recordMethod(`${config.detourUrl}${VERIFY_METHOD_PATH}`);
  }
};
