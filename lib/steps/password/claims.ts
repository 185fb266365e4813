import { plainText } from '../../tokens/session-claims-schema';
import { isLoopbackHost } from '../../tokens/issuer-allow-list';

/** https, or http for a loopback host, with no credentials. Whether the flow follows it is decided at the hand-back. */
function isAuthorizeAgainUrl(value: string): boolean {
  if (!/^https?:\/\/\S+$/i.test(value) || !URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.username !== '' || url.password !== '') return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.host));
}

/**
 * What the password step reads from the session token: the database connection that holds the password (Auth0's
 * PATCH needs it), and a legacy Rule's `authorize_again` URL (lib/steps/password/authorize-again.ts).
 */
export const passwordTokenClaims = {
  connection: plainText(128).min(1).optional(),
  authorize_again: plainText(2048).refine(isAuthorizeAgainUrl, 'authorize_again_url').optional(),
};
