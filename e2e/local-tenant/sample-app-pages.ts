// Plain HTML pages of the sample application (no script): the outcome pages keep the testids the e2e tests read.
import { escapeHtml, layout } from './pages';
import type { PublicUser } from './users';

const SITE = 'Sample application';

export function homePage(tenantOrigin: string, clientId: string): string {
  return layout(
    'Home',
    `<main data-testid="sample-app"><h1>Local sample application</h1>
<p class="note">A regular web application (client ${escapeHtml(clientId)}) that signs in at the local tenant ${escapeHtml(tenantOrigin)}, as a real one signs in at Auth0.</p>
<p><a href="/login" data-testid="sign-in">Sign in</a></p>
<p class="note"><a href="${escapeHtml(tenantOrigin)}/mailbox" data-testid="mailbox-link">Mailbox</a>: the codes Detour sends land here.</p></main>`,
    SITE,
  );
}

export interface SignedIn {
  claims: Record<string, unknown>;
  user: PublicUser;
  /** Set when the password changed after this browser started the sign-in; the password itself is never shown. */
  passwordChangedAt?: string;
}

const json = (value: unknown) => escapeHtml(JSON.stringify(value));

export function signedInPage({ claims, user, passwordChangedAt }: SignedIn): string {
  const rootAttributes = { given_name: user.given_name, family_name: user.family_name };
  return layout(
    'Signed in',
    `<main data-testid="outcome" data-outcome="completed" data-user-id="${escapeHtml(user.user_id)}">
<h1>Signed in as ${escapeHtml(user.nickname || user.email || user.user_id)}</h1>
${passwordChangedAt ? `<p data-testid="password-changed">Password changed at ${escapeHtml(passwordChangedAt)}</p>` : ''}
<p>id token claims <code data-testid="id-token-claims">${json(claims)}</code></p>
<p>app_metadata now <code data-testid="app-metadata">${json(user.app_metadata)}</code></p>
<p>user_metadata now <code data-testid="user-metadata">${json(user.user_metadata)}</code></p>
<p>root attributes now <code data-testid="root-attributes">${json(rootAttributes)}</code></p>
<p><a href="/login" data-testid="start-over">Sign in again</a></p></main>`,
    SITE,
  );
}

/** The callback's `?error=`: Auth0 names neither the user nor its metadata, so neither shows here. */
export function deniedPage(error: string, description: string | null): string {
  return layout(
    'Access denied',
    `<main data-testid="outcome" data-outcome="denied" data-error="${escapeHtml(error)}">
<h1>Access denied: <span data-testid="deny-reason">${escapeHtml(description || error)}</span></h1>
<p><a href="/login" data-testid="start-over">Sign in again</a></p></main>`,
    SITE,
  );
}

export function appErrorPage(code: string, description: string): string {
  return layout(
    code,
    `<main data-testid="error" data-error="${escapeHtml(code)}"><h1>Sign-in failed: ${escapeHtml(code)}</h1>
<p data-testid="error-description">${escapeHtml(description)}</p><p><a href="/login" data-testid="start-over">Sign in again</a></p></main>`,
    SITE,
  );
}
