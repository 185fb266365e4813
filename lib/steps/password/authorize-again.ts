import type { AllowListEntry } from '../../tokens/issuer-allow-list';

/**
 * The legacy force-password-change path (reference: Auth0's "Redirect Users from Within Rules"): a Rule put an
 * `authorize_again` URL in the token, and after the password is changed the browser starts a new `/authorize`
 * there instead of going back to `/continue`.
 *
 * That claim is signed but free-form, and docs/design.md lets no free-form claim pick where the browser goes on its
 * own: the URL is used only when its origin is exactly the tenant's or the custom domain's as configured (https,
 * or the configured http loopback origin in tests), it carries no credentials, and the password step is done.
 * Otherwise null, and the flow hands back to `/continue` as usual.
 */
export function authorizeAgainTarget(
  flow: { authorize_again?: string | undefined; completed: readonly string[] },
  config: { tenant: AllowListEntry; customDomain: AllowListEntry | null },
): string | null {
  if (!flow.authorize_again || !flow.completed.includes('password')) return null;
  let url: URL;
  try {
    url = new URL(flow.authorize_again);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username !== '' || url.password !== '') return null;
  const allowed = [config.tenant, config.customDomain].filter((entry): entry is AllowListEntry => entry !== null);
  return allowed.some((entry) => entry.origin === url.origin) ? url.href : null;
}
