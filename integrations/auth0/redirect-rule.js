/**
 * Detour — legacy Auth0 Rule (Rules reach end of life on 2026-11-18; prefer post-login.js).
 *
 * It does not offer the verify step ("verify it's you" from a new location): Rules reach end of life on 2026-11-18,
 * and they have no api.authentication.recordMethod() to remember a verification in the session. Use the Action for
 * verify; OPTIONAL_STEPS here names only password, terms and profile, and VERIFY_* settings are ignored.
 *
 * Same decisions as the Action (password, terms, profile, sent together in one redirect), on the Rules
 * protocol of Auth0's "Redirect users from rules" page: `context.redirect = { url }`, Auth0 appends `state`,
 * Detour POSTs a `token` field back to /continue, and this Rule, run again with
 * `context.protocol === 'redirect-callback'`, verifies it. Rules cannot see the /continue state, so the
 * token's `jti` is stored on the user before the redirect and must come back unchanged.
 *
 * Rule settings (configuration), all strings; lists are comma-separated:
 *   DETOUR_URL              required. Detour's public origin (its APP_BASE_URL)
 *   SESSION_TOKEN_SECRET    required. Shared with Detour; at least 32 characters
 *   SESSION_TOKEN_ISSUER    required. An identifier of this Rule, e.g. urn:detour:rule (Detour's SESSION_TOKEN_ISSUER)
 *   DETOUR_AUDIENCE         the `aud` Detour expects. Default: DETOUR_URL
 *   TERMS_VERSION           required. The current terms version, e.g. 2026-11-01
 *   TERMS_REACCEPT_FROM     the oldest accepted version that does not need re-accepting. Default: TERMS_VERSION
 *   TERMS_MAX_AGE_DAYS, PROFILE_FIELDS, REQUIRED_PROFILE_FIELDS, PASSWORD_MAX_AGE_DAYS, OPTIONAL_STEPS,
 *   CLIENT_IDS              as for the Action (integrations/auth0/post-login.js)
 *   AUTHORIZE_AGAIN_AFTER_PASSWORD  "true": when the password is the only step, the token carries
 *                           `authorize_again` and Detour starts a new /authorize after the change (the seed's
 *                           force-password-change variant) instead of returning to /continue
 *   TENANT_URL              origin used for authorize_again. Default: https://<auth0.domain>
 */
function detourRedirectRule(user, context, callback) {
  const crypto = require('crypto');

  const STEP_ORDER = ['password', 'terms', 'profile'];
  const DENY_CODE = { password: 'password_change_required', terms: 'terms_not_accepted', profile: 'profile_incomplete' };
  const NO_REDIRECT_PROTOCOLS = ['oauth2-resource-owner', 'oauth2-password', 'oauth2-refresh-token'];
  const ROOT_ATTRIBUTES = ['given_name', 'family_name', 'name', 'nickname', 'picture'];
  const VERSION = /^[A-Za-z0-9._-]{1,64}$/;
  const FIELD_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/;
  const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
  const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
  const LIFETIME_SECONDS = 600;
  const MAX_TOKEN_LENGTH = 3900;
  const DAY_MS = 24 * 3600 * 1000;
  const now = Date.now();
  const c = configuration;

  function deny(text) {
    return callback(new UnauthorizedError(text));
  }
  function list(value) {
    return String(value || '').split(',').map(function (item) { return item.trim(); }).filter(Boolean);
  }
  function plainText(value, max) {
    return typeof value === 'string' && value.length <= max && !CONTROL_OR_BIDI.test(value);
  }
  function trimSlash(value) {
    return String(value || '').replace(/\/+$/, '');
  }
  function daysOld(isoDate) {
    const at = typeof isoDate === 'string' ? Date.parse(isoDate) : NaN;
    return isNaN(at) ? null : (now - at) / DAY_MS;
  }

  // ---------------------------------------------------------------------------------------------- tokens
  function b64url(value) {
    return Buffer.from(value).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  }
  function unb64url(value) {
    return Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  }
  function sign(claims) {
    const body = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' })) + '.' + b64url(JSON.stringify(claims));
    return body + '.' + b64url(crypto.createHmac('sha256', c.SESSION_TOKEN_SECRET).update(body).digest());
  }
  function decode(token) {
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 3 || !parts.every(function (p) { return /^[A-Za-z0-9_-]+$/.test(p); })) return null;
    try {
      return { parts: parts, header: JSON.parse(unb64url(parts[0]).toString('utf8')), claims: JSON.parse(unb64url(parts[1]).toString('utf8')) };
    } catch {
      return null;
    }
  }
  // Returns the verified claims, or a string saying why the token is refused.
  function verify(token) {
    const decoded = decode(token);
    if (!decoded || !decoded.header || !decoded.claims || typeof decoded.claims !== 'object') return 'malformed token';
    const header = decoded.header;
    const claims = decoded.claims;
    if (header.alg !== 'HS256' || (header.typ !== undefined && header.typ !== 'JWT')) return 'unexpected token header';
    const expected = crypto.createHmac('sha256', c.SESSION_TOKEN_SECRET).update(decoded.parts[0] + '.' + decoded.parts[1]).digest();
    const given = unb64url(decoded.parts[2]);
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return 'invalid signature';
    if (typeof claims.exp !== 'number' || claims.exp <= Math.floor(now / 1000)) return 'token expired';
    if (claims.sub !== user.user_id) return 'token issued for a different user';
    if (typeof claims.iss !== 'string' || trimSlash(claims.iss).toLowerCase() !== detourUrl.toLowerCase()) return 'unexpected issuer';
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (audiences.indexOf(c.SESSION_TOKEN_ISSUER) === -1) return 'unexpected audience';
    return claims;
  }

  // -------------------------------------------------------------------------------------------- settings
  const detourUrl = trimSlash(c.DETOUR_URL);
  const termsVersion = String(c.TERMS_VERSION || '').trim();
  const reacceptFrom = c.TERMS_REACCEPT_FROM ? String(c.TERMS_REACCEPT_FROM).trim() : termsVersion;
  const profileFields = {};
  const requiredFields = list(c.REQUIRED_PROFILE_FIELDS);
  const optionalSteps = list(c.OPTIONAL_STEPS);
  const clientIds = list(c.CLIENT_IDS);
  const positive = function (value) { return /^[1-9][0-9]{0,5}$/.test(String(value)) ? Number(value) : null; };
  const termsMaxAgeDays = c.TERMS_MAX_AGE_DAYS ? positive(c.TERMS_MAX_AGE_DAYS) : null;
  const passwordMaxAgeDays = c.PASSWORD_MAX_AGE_DAYS ? positive(c.PASSWORD_MAX_AGE_DAYS) : null;

  function settingsError() {
    if (!/^https:\/\/[^\s/?#@]+$/.test(detourUrl) && !/^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(detourUrl)) {
      return 'DETOUR_URL must be an https origin such as https://detour.example.com (http only for localhost)';
    }
    if (typeof c.SESSION_TOKEN_SECRET !== 'string' || Buffer.byteLength(c.SESSION_TOKEN_SECRET) < 32) return 'SESSION_TOKEN_SECRET must be at least 32 characters';
    if (!c.SESSION_TOKEN_ISSUER) return 'SESSION_TOKEN_ISSUER is missing';
    if (!VERSION.test(termsVersion)) return 'TERMS_VERSION is missing or malformed';
    if (!VERSION.test(reacceptFrom) || reacceptFrom > termsVersion) return 'TERMS_REACCEPT_FROM must be a version no later than TERMS_VERSION';
    if (c.TERMS_MAX_AGE_DAYS && !termsMaxAgeDays) return 'TERMS_MAX_AGE_DAYS must be a whole number of days';
    if (c.PASSWORD_MAX_AGE_DAYS && !passwordMaxAgeDays) return 'PASSWORD_MAX_AGE_DAYS must be a whole number of days';
    const entries = list(c.PROFILE_FIELDS);
    for (let i = 0; i < entries.length; i++) {
      const parts = entries[i].split(':').map(function (p) { return p.trim(); });
      const rootOk = parts[1] === undefined || (parts[1] === 'root' && ROOT_ATTRIBUTES.indexOf(parts[0]) !== -1);
      if (!FIELD_ID.test(parts[0]) || parts.length > 2 || !rootOk) return 'PROFILE_FIELDS has a bad entry "' + entries[i] + '"';
      profileFields[parts[0]] = parts[1] === 'root' ? 'root' : 'user_metadata';
    }
    if (requiredFields.some(function (id) { return !FIELD_ID.test(id); })) return 'REQUIRED_PROFILE_FIELDS has a bad field id';
    if (optionalSteps.some(function (s) { return STEP_ORDER.indexOf(s) === -1; })) return 'OPTIONAL_STEPS names an unknown step';
    return null;
  }

  // ---------------------------------------------------------------------------------------------- decide
  function usableValue(value) {
    if (typeof value === 'string') return value.trim() !== '' && plainText(value, 1000);
    if (typeof value === 'number') return isFinite(value);
    return typeof value === 'boolean';
  }
  function profileValue(id) {
    return profileFields[id] === 'root' ? user[id] : (user.user_metadata || {})[id];
  }
  function decide(appMetadata, passwordDone) {
    const steps = [];
    if (context.connectionStrategy === 'auth0' && !passwordDone) {
      const age = daysOld(user.last_password_reset);
      if (appMetadata.force_password_change === true || (passwordMaxAgeDays && age !== null && age > passwordMaxAgeDays)) steps.push('password');
    }
    const accepted = appMetadata.terms_accepted_version;
    const termsAge = daysOld(appMetadata.terms_accepted_at);
    if (typeof accepted !== 'string' || accepted < reacceptFrom || appMetadata.terms_reset === true || (termsMaxAgeDays && (termsAge === null || termsAge > termsMaxAgeDays))) {
      steps.push('terms');
    }
    if (requiredFields.some(function (id) { return !usableValue(profileValue(id)); })) steps.push('profile');
    return steps;
  }
  function mandatoryOf(steps) {
    return steps.filter(function (s) { return optionalSteps.indexOf(s) === -1; });
  }
  function describe(steps) {
    const text = { password: 'change the password', terms: 'accept terms version ' + termsVersion, profile: 'complete the profile' };
    return steps.map(function (s) { return text[s]; }).join(', ');
  }
  function blockedReason() {
    const query = (context.request && context.request.query) || {};
    if (NO_REDIRECT_PROTOCOLS.indexOf(context.protocol) !== -1) return 'this sign-in uses the ' + context.protocol + ' exchange, which cannot show pages';
    if (String(query.prompt || '').split(' ').indexOf('none') !== -1) return 'this sign-in asked for no interaction (prompt=none)';
    if (context.redirect) return 'another rule already redirects this sign-in';
    if (context.multifactor) return 'this sign-in is completing multi-factor authentication';
    return null;
  }

  // ------------------------------------------------------------------------------------------ user writes
  // auth0.users.update*Metadata merges at the first level, so a removed key is sent as null.
  function writeMetadata(kind, updates) {
    const keys = Object.keys(updates);
    if (keys.length === 0) return Promise.resolve();
    const field = kind === 'app' ? 'app_metadata' : 'user_metadata';
    const sent = Object.assign({}, user[field] || {}, updates);
    user[field] = Object.assign({}, sent);
    keys.forEach(function (key) { if (updates[key] === null) delete user[field][key]; });
    return kind === 'app' ? auth0.users.updateAppMetadata(user.user_id, sent) : auth0.users.updateUserMetadata(user.user_id, sent);
  }
  function pass(appUpdates) {
    return writeMetadata('app', appUpdates || {}).then(
      function () { callback(null, user, context); },
      function () { callback(null, user, context); } // only housekeeping was lost
    );
  }

  // ---------------------------------------------------------------------------------------------- login
  function authorizeAgainUrl() {
    const base = trimSlash(c.TENANT_URL) || 'https://' + auth0.domain;
    const query = Object.assign({}, (context.request && context.request.query) || {});
    delete query.prompt;
    const qs = Object.keys(query).map(function (k) { return encodeURIComponent(k) + '=' + encodeURIComponent(String(query[k])); }).join('&');
    const url = base + '/authorize' + (qs ? '?' + qs : '');
    return url.length <= 2048 ? url : null; // Detour refuses a longer one; then the login returns to /continue
  }

  function onLogin() {
    const appMetadata = user.app_metadata || {};
    const housekeeping = {};
    // authorize_again variant: the new login after Detour changed the password finds the flag still set.
    const requestedAt = Date.parse(appMetadata.detour_password_requested_at);
    const changedAt = Date.parse(user.last_password_reset);
    const passwordDone = appMetadata.force_password_change === true && !isNaN(requestedAt) && !isNaN(changedAt) && changedAt >= requestedAt;
    if (passwordDone) {
      housekeeping.force_password_change = null;
      housekeeping.password_changed_at = user.last_password_reset;
    }
    if (appMetadata.detour_password_requested_at !== undefined) housekeeping.detour_password_requested_at = null;
    if (appMetadata.detour_pending_jti !== undefined) {
      housekeeping.detour_pending_jti = null;
      housekeeping.detour_pending_steps = null;
    }

    const steps = decide(appMetadata, passwordDone);
    if (steps.length === 0) return pass(housekeeping);
    const blocked = blockedReason();
    if (blocked) {
      const mandatory = mandatoryOf(steps);
      if (mandatory.length > 0) return deny(DENY_CODE[mandatory[0]] + ': before signing in you must ' + describe(mandatory) + ', and ' + blocked + '. Sign in interactively to continue.');
      return pass(housekeeping);
    }

    const jti = b64url(crypto.randomBytes(16));
    const iat = Math.floor(now / 1000);
    const claims = { sub: user.user_id, iss: c.SESSION_TOKEN_ISSUER, aud: c.DETOUR_AUDIENCE || detourUrl, jti: jti, iat: iat, exp: iat + LIFETIME_SECONDS, steps: steps };
    if (typeof user.email === 'string' && user.email.length <= 320 && EMAIL.test(user.email)) claims.email = user.email;
    if (plainText(user.name, 200) && user.name.trim()) claims.name = user.name;
    if (plainText(context.connection, 128) && context.connection) claims.connection = context.connection;
    if (steps.indexOf('terms') !== -1 && VERSION.test(appMetadata.terms_accepted_version)) claims.terms_accepted_version = appMetadata.terms_accepted_version;
    if (steps.indexOf('profile') !== -1) {
      claims.profile = {};
      Object.keys(profileFields).concat(requiredFields).forEach(function (id) {
        if (usableValue(profileValue(id))) claims.profile[id] = profileValue(id);
      });
    }
    const pending = Object.assign({}, housekeeping, { detour_pending_jti: jti, detour_pending_steps: steps });
    if (c.AUTHORIZE_AGAIN_AFTER_PASSWORD === 'true' && steps.length === 1 && steps[0] === 'password') {
      const again = authorizeAgainUrl();
      if (again) {
        claims.authorize_again = again;
        pending.detour_password_requested_at = new Date(now).toISOString();
      }
    }
    let token = sign(claims);
    while (token.length > MAX_TOKEN_LENGTH && (claims.profile && Object.keys(claims.profile).length)) {
      const longest = Object.keys(claims.profile).sort(function (a, b) { return String(claims.profile[b]).length - String(claims.profile[a]).length; })[0];
      delete claims.profile[longest];
      token = sign(claims);
    }
    // The jti must be on the user before the browser leaves: the return is checked against it.
    return writeMetadata('app', pending).then(
      function () {
        context.redirect = { url: detourUrl + '/start?token=' + token };
        callback(null, user, context);
      },
      function () {
        const mandatory = mandatoryOf(steps);
        if (mandatory.length > 0) return deny('detour_unavailable: the sign-in could not be prepared (the user could not be updated); try again in a moment.');
        callback(null, user, context);
      }
    );
  }

  // ------------------------------------------------------------------------------------ redirect-callback
  function onReturn() {
    const appMetadata = user.app_metadata || {};
    const body = (context.request && context.request.body) || {};
    const pendingJti = appMetadata.detour_pending_jti;
    const unverified = decode(body.token);
    const ours = typeof pendingJti === 'string' && unverified && unverified.claims && typeof unverified.claims.iss === 'string' &&
      trimSlash(unverified.claims.iss).toLowerCase() === detourUrl.toLowerCase();
    if (!ours) {
      // All rules run again on /continue, also when another rule made the redirect: decide again, without one.
      const mandatory = mandatoryOf(decide(appMetadata, false));
      if (mandatory.length > 0) return deny(DENY_CODE[mandatory[0]] + ': before signing in you must ' + describe(mandatory) + ', and this sign-in came back without Detour’s answer.');
      return callback(null, user, context);
    }

    const claims = verify(body.token);
    if (typeof claims === 'string') return deny('detour_invalid_answer: Detour’s answer could not be verified (' + claims + ').');
    if (claims.jti !== pendingJti) return deny('detour_invalid_answer: Detour’s answer does not belong to this sign-in (jti mismatch); start again.');
    const pendingSteps = Array.isArray(appMetadata.detour_pending_steps) ? appMetadata.detour_pending_steps : [];
    const completed = Array.isArray(claims.completed) ? claims.completed : [];
    const missing = mandatoryOf(pendingSteps.filter(function (s) { return completed.indexOf(s) === -1; }));
    if (missing.length > 0) return deny((DENY_CODE[missing[0]] || 'detour_incomplete') + ': Detour did not report the ' + missing.join(', ') + ' step as completed.');

    const app = { detour_pending_jti: null, detour_pending_steps: null };
    // Detour returned here although authorize_again was offered (it refuses an origin it does not know).
    if (appMetadata.detour_password_requested_at !== undefined) app.detour_password_requested_at = null;
    const userMetadata = {};
    const persist = Array.isArray(claims.persist_in_action) ? claims.persist_in_action : [];
    if (completed.indexOf('terms') !== -1) {
      const terms = claims.terms || {};
      if (!VERSION.test(terms.version) || typeof terms.accepted_at !== 'string') return deny('detour_invalid_answer: the terms result is missing its version or time.');
      if (terms.version < reacceptFrom) return deny('terms_not_accepted: Detour reported terms version ' + terms.version + ', but ' + reacceptFrom + ' or later must be accepted.');
      if (persist.indexOf('terms') !== -1) {
        app.terms_accepted_version = terms.version;
        app.terms_accepted_at = terms.accepted_at;
      }
      if (appMetadata.terms_reset === true) app.terms_reset = null;
    }
    if (completed.indexOf('profile') !== -1 && persist.indexOf('profile') !== -1) {
      const profile = claims.profile || {};
      Object.keys(profile).forEach(function (id) {
        const value = profile[id];
        if (!FIELD_ID.test(id) || ROOT_ATTRIBUTES.indexOf(id) !== -1 || profileFields[id] === 'root') return;
        if (typeof value === 'string' ? plainText(value, 1000) : typeof value === 'number' || typeof value === 'boolean') userMetadata[id] = value;
      });
    }
    if (completed.indexOf('password') !== -1) {
      const changedAt = claims.password && claims.password.changed_at;
      app.force_password_change = null;
      app.password_changed_at = typeof changedAt === 'string' && !isNaN(Date.parse(changedAt)) ? changedAt : new Date(now).toISOString();
    }
    return Promise.all([writeMetadata('app', app), writeMetadata('user', userMetadata)]).then(
      function () { callback(null, user, context); },
      function () { deny('detour_write_failed: the sign-in could not be saved; try again in a moment.'); }
    );
  }

  if (clientIds.length > 0 && clientIds.indexOf(context.clientID) === -1) return callback(null, user, context);
  const problem = settingsError();
  if (problem) return deny('detour_misconfigured: the Detour rule cannot run: ' + problem + '.');
  return context.protocol === 'redirect-callback' ? onReturn() : onLogin();
}
