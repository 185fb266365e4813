/**
 * Detour — Auth0 post-login Action.
 *
 * Sends a user who has not accepted the current terms through Detour, then checks Detour's signed
 * answer when the login resumes. Paste this file into a post-login Action (no dependencies needed)
 * and set these secrets:
 *   DETOUR_URL            public origin of Detour, e.g. https://detour.example.com
 *   SESSION_TOKEN_SECRET  shared with Detour (at least 32 bytes)
 *   TERMS_VERSION         the current terms version, e.g. 2026-11-01
 *   DETOUR_AUDIENCE       optional; the `aud` Detour expects (default: DETOUR_URL)
 *   CLIENT_IDS            optional comma-separated client ids; when set, other clients skip the detour
 */
const crypto = require('crypto');

const TOKEN_PARAMETER = 'session_token';
const TOKEN_LIFETIME_SECONDS = 600;
/** Flows with no browser to send anywhere. */
const MACHINE_PROTOCOLS = ['oauth2-client-credentials'];

function settings(event) {
  const secrets = event.secrets || {};
  const detourUrl = String(secrets.DETOUR_URL || '').replace(/\/+$/, '');
  const clientIds = String(secrets.CLIENT_IDS || '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  return {
    detourUrl,
    secret: secrets.SESSION_TOKEN_SECRET,
    termsVersion: secrets.TERMS_VERSION,
    audience: secrets.DETOUR_AUDIENCE || detourUrl,
    clientIds,
  };
}

function misconfigured(config) {
  if (!config.detourUrl || !/^https?:\/\//.test(config.detourUrl)) return 'DETOUR_URL';
  if (!config.secret) return 'SESSION_TOKEN_SECRET';
  if (!config.termsVersion) return 'TERMS_VERSION';
  return null;
}

function appliesTo(event, config) {
  if (MACHINE_PROTOCOLS.includes(event.transaction && event.transaction.protocol)) return false;
  if (config.clientIds.length === 0) return true;
  return config.clientIds.includes(event.client && event.client.client_id);
}

function termsAccepted(event, config) {
  const appMetadata = (event.user && event.user.app_metadata) || {};
  return appMetadata.terms_accepted_version === config.termsVersion;
}

exports.onExecutePostLogin = async (event, api) => {
  const config = settings(event);
  if (!appliesTo(event, config) || termsAccepted(event, config)) return;

  const missing = misconfigured(config);
  if (missing) {
    api.access.deny(`terms_not_accepted: the Detour Action is misconfigured (secret ${missing} is missing or invalid).`);
    return;
  }
  if (!api.redirect.canRedirect()) {
    api.access.deny(`terms_not_accepted: terms version ${config.termsVersion} must be accepted in an interactive login.`);
    return;
  }

  const sessionToken = api.redirect.encodeToken({
    secret: config.secret,
    expiresInSeconds: TOKEN_LIFETIME_SECONDS,
    payload: {
      jti: crypto.randomBytes(16).toString('base64url'),
      aud: config.audience,
      steps: ['terms'],
      email: event.user.email,
      name: event.user.name,
      ui_locales: (event.request && event.request.language) || (event.transaction && event.transaction.locale),
      connection: event.connection && event.connection.name,
    },
  });
  api.redirect.sendUserTo(`${config.detourUrl}/start`, { query: { [TOKEN_PARAMETER]: sessionToken } });
};

exports.onContinuePostLogin = async (event, api) => {
  const config = settings(event);
  const missing = misconfigured(config);
  if (missing) {
    api.access.deny(`terms_not_accepted: the Detour Action is misconfigured (secret ${missing} is missing or invalid).`);
    return;
  }

  let payload;
  try {
    payload = api.redirect.validateToken({ secret: config.secret, tokenParameterName: TOKEN_PARAMETER });
  } catch (error) {
    api.access.deny(`terms_not_accepted: Detour's answer could not be verified (${error && error.message}).`);
    return;
  }

  if (!payload || payload.sub !== event.user.user_id) {
    api.access.deny('terms_not_accepted: Detour answered for a different user.');
    return;
  }
  const completed = Array.isArray(payload.completed) ? payload.completed : [];
  if (!completed.includes('terms')) {
    api.access.deny('terms_not_accepted: Detour did not report the terms step as completed.');
    return;
  }
  const terms = payload.terms || {};
  if (terms.version !== config.termsVersion) {
    api.access.deny(`terms_not_accepted: Detour reported terms version ${terms.version}, expected ${config.termsVersion}.`);
  }
};
