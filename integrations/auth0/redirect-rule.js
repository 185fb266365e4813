/**
 * Detour — legacy Auth0 Rule (Rules reach end of life on 2026-11-18; prefer post-login.js).
 *
 * Paste this function as a Rule and set these Rule settings (configuration):
 *   DETOUR_URL            public origin of Detour (Detour's APP_BASE_URL), e.g. https://detour.example.com
 *   SESSION_TOKEN_SECRET  shared with Detour (at least 32 bytes)
 *   SESSION_TOKEN_ISSUER  an identifier of this rule, e.g. urn:detour:rule (Detour's SESSION_TOKEN_ISSUER)
 *   TERMS_VERSION         the current terms version, e.g. 2026-11-01
 *
 * A login whose user has not accepted TERMS_VERSION goes to DETOUR_URL/start?token=…; Auth0 appends
 * `state`. Detour POSTs back to /continue with a `token` field, which this rule verifies. Rules cannot
 * see the /continue state, so the token's `state` claim is not checked here.
 */
function detourRedirectRule(user, context, callback) {
  const crypto = require('crypto');
  const detourUrl = String(configuration.DETOUR_URL || '').replace(/\/+$/, '');
  const secret = configuration.SESSION_TOKEN_SECRET;
  const ruleIssuer = configuration.SESSION_TOKEN_ISSUER;
  const termsVersion = configuration.TERMS_VERSION;
  const lifetimeSeconds = 600;

  function deny(reason) {
    return callback(new UnauthorizedError('terms_not_accepted: ' + reason));
  }

  function b64url(value) {
    return Buffer.from(value).toString('base64url');
  }

  function sign(claims) {
    const body = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' })) + '.' + b64url(JSON.stringify(claims));
    return body + '.' + crypto.createHmac('sha256', secret).update(body).digest('base64url');
  }

  // Returns the verified claims, or a string saying why the token is refused.
  function verify(token) {
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return 'malformed token';
    let header;
    let claims;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return 'malformed token';
    }
    if (!header || header.alg !== 'HS256' || (header.typ !== undefined && header.typ !== 'JWT')) return 'unexpected token header';
    const expected = crypto.createHmac('sha256', secret).update(parts[0] + '.' + parts[1]).digest();
    const given = Buffer.from(parts[2], 'base64url');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return 'invalid signature';
    if (!claims || typeof claims !== 'object') return 'malformed token';
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp <= now) return 'token expired';
    if (claims.sub !== user.user_id) return 'token issued for a different user';
    if (claims.iss !== detourUrl) return 'unexpected issuer';
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (audiences.indexOf(ruleIssuer) === -1) return 'unexpected audience';
    return claims;
  }

  if (!/^https?:\/\//.test(detourUrl) || !secret || !ruleIssuer || !termsVersion) {
    return deny('the Detour rule is misconfigured (DETOUR_URL, SESSION_TOKEN_SECRET, SESSION_TOKEN_ISSUER, TERMS_VERSION).');
  }

  if (context.protocol === 'redirect-callback') {
    const body = (context.request && context.request.body) || {};
    const claims = verify(body.token);
    if (typeof claims === 'string') return deny("Detour's answer could not be verified (" + claims + ').');
    const completed = Array.isArray(claims.completed) ? claims.completed : [];
    if (completed.indexOf('terms') === -1) return deny('Detour did not report the terms step as completed.');
    if (!claims.terms || claims.terms.version !== termsVersion) {
      return deny('Detour reported terms version ' + (claims.terms && claims.terms.version) + ', expected ' + termsVersion + '.');
    }
    return callback(null, user, context);
  }

  const appMetadata = user.app_metadata || {};
  if (appMetadata.terms_accepted_version === termsVersion) return callback(null, user, context);

  const query = (context.request && context.request.query) || {};
  const interactive =
    ['oauth2-resource-owner', 'oauth2-password', 'oauth2-refresh-token'].indexOf(context.protocol) === -1 &&
    query.prompt !== 'none' &&
    !context.redirect;
  if (!interactive) return deny('terms version ' + termsVersion + ' must be accepted in an interactive login.');

  const iat = Math.floor(Date.now() / 1000);
  const token = sign({
    sub: user.user_id,
    iss: ruleIssuer,
    aud: detourUrl,
    jti: crypto.randomBytes(16).toString('base64url'),
    iat: iat,
    exp: iat + lifetimeSeconds,
    steps: ['terms'],
    email: user.email,
    name: user.name,
    connection: context.connection,
  });
  context.redirect = { url: detourUrl + '/start?token=' + token };
  return callback(null, user, context);
}
