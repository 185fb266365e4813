import { DetourError } from '../errors';

/**
 * docs/design.md rule 5: a form post must come from our own pages: a foreign Origin is refused, and so are a missing Origin, `Origin: null` and `Sec-Fetch-Site: cross-site`.
 */
export function assertSameOriginPost(headers: Headers, appBaseUrl: string): void {
  const origin = headers.get('origin');
  const fetchSite = headers.get('sec-fetch-site');
  let reason: string | null = null;
  if (origin === null) reason = 'origin_missing';
  else if (origin === 'null') reason = 'origin_null';
  else if (origin !== new URL(appBaseUrl).origin) reason = 'origin_foreign';
  else if (fetchSite === 'cross-site') reason = 'fetch_site_cross_site';
  if (reason) {
    throw new DetourError('origin_rejected', 403, 'This form was sent from somewhere we do not trust, so nothing was saved. Go back to the page and try again.', { reason });
  }
}
