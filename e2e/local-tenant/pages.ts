// Plain HTML pages of the local tenant (inline CSS only, no script, no external assets).
import type { PublicUser, StoredUser } from './users';

export const escapeHtml = (value: unknown) =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const CSS = `body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1f2937}
h1{font-size:1.4rem}button{font:inherit;padding:.5rem 1rem;margin:.25rem 0;cursor:pointer;border:1px solid #4f46e5;border-radius:.375rem;background:#eef2ff}
code,pre{background:#f3f4f6;padding:.1rem .3rem;border-radius:.25rem;white-space:pre-wrap;word-break:break-all}
.user{display:flex;gap:1rem;align-items:center;justify-content:space-between;border-bottom:1px solid #e5e7eb;padding:.5rem 0}
.note{color:#6b7280;font-size:.9rem}label{display:block;margin:.5rem 0}`;

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Local tenant</title><style>${CSS}</style></head><body>${body}</body></html>`;
}

export interface LoginPageInfo {
  protocol: 'actions' | 'rules';
  detourUrl: string;
  termsVersion: string;
  /** REQUIRED_PROFILE_FIELDS and PROFILE_FIELDS as the tenant runs them, for the per-user hints. */
  requiredProfileFields: string[];
  rootFields: string[];
  /** A client_id to log in to (from /authorize), instead of the default application. */
  clientId?: string;
}

/** A hint of the user's state; the Action alone decides what the login needs. */
function userStatus(u: StoredUser, info: LoginPageInfo): string {
  const accepted = u.app_metadata.terms_accepted_version;
  const parts = [accepted === info.termsVersion ? 'current terms accepted' : accepted ? `accepted ${String(accepted)}` : 'no terms accepted'];
  const value = (id: string) => (info.rootFields.includes(id) ? (u as unknown as Record<string, unknown>)[id] : u.user_metadata[id]);
  const missing = info.requiredProfileFields.filter((id) => value(id) === undefined || value(id) === '');
  if (missing.length) parts.push(`profile missing ${missing.join(', ')}`);
  if (u.app_metadata.force_password_change === true) parts.push('password change forced');
  return parts.join(' · ');
}

export function loginPage(users: StoredUser[], info: LoginPageInfo): string {
  const rows = users
    .map((u) => {
      return `<div class="user"><span><strong>${escapeHtml(u.nickname)}</strong> &lt;${escapeHtml(u.email)}&gt;
<span class="note">${escapeHtml(u.identities[0]?.connection ?? '')} · ${escapeHtml(userStatus(u, info))}</span></span>
<button type="submit" name="user_id" value="${escapeHtml(u.user_id)}" data-testid="login-${escapeHtml(u.nickname)}">Log in as ${escapeHtml(u.nickname)}</button></div>`;
    })
    .join('\n');
  const languages = ['en', 'de', 'fr', 'es', 'ja', 'ar'].map((l) => `<option value="${l}">${l}</option>`).join('');
  return layout(
    'Log in',
    `<main data-testid="login-page"><h1>Local tenant — log in</h1>
<p class="note">Plays Auth0 for Detour (${escapeHtml(info.detourUrl)}) using the ${info.protocol === 'rules' ? 'legacy Rule' : 'post-login Action'}; current terms ${escapeHtml(info.termsVersion)}.</p>
<form method="post" action="/login" data-testid="login-form">
${info.clientId ? `<input type="hidden" name="client_id" value="${escapeHtml(info.clientId)}">` : ''}
<label>Browser language <select name="language" data-testid="login-language">${languages}</select></label>
<label>Prompt <select name="prompt" data-testid="login-prompt"><option value="">(none given)</option><option value="login">login</option><option value="none">none</option></select></label>
${rows}
</form></main>`,
  );
}

function displayName(user: PublicUser): string {
  return user.nickname || user.email || user.user_id;
}

export function completedPage(user: PublicUser, details: { passwordChangedAt?: string } = {}): string {
  const profile = { given_name: user.given_name, family_name: user.family_name };
  return layout(
    'Login completed',
    `<main data-testid="outcome" data-outcome="completed" data-user-id="${escapeHtml(user.user_id)}">
<h1>Login completed for ${escapeHtml(displayName(user))}</h1>
${details.passwordChangedAt ? `<p data-testid="password-changed">Password changed at ${escapeHtml(details.passwordChangedAt)}</p>` : ''}
<p>app_metadata now <code data-testid="app-metadata">${escapeHtml(JSON.stringify(user.app_metadata))}</code></p>
<p>user_metadata now <code data-testid="user-metadata">${escapeHtml(JSON.stringify(user.user_metadata))}</code></p>
<p>root attributes now <code data-testid="root-attributes">${escapeHtml(JSON.stringify(profile))}</code></p>
<p><a href="/" data-testid="start-over">Log in again</a></p></main>`,
  );
}

export function deniedPage(user: PublicUser | undefined, reason: string): string {
  return layout(
    'Access denied',
    `<main data-testid="outcome" data-outcome="denied" data-user-id="${escapeHtml(user?.user_id ?? '')}">
<h1>Access denied: <span data-testid="deny-reason">${escapeHtml(reason)}</span></h1>
${user ? `<p>app_metadata now <code data-testid="app-metadata">${escapeHtml(JSON.stringify(user.app_metadata))}</code></p>` : ''}
<p><a href="/" data-testid="start-over">Log in again</a></p></main>`,
  );
}

export function errorPage(code: string, description: string): string {
  return layout(
    code,
    `<main data-testid="error" data-error="${escapeHtml(code)}"><h1>${escapeHtml(code)}</h1>
<p data-testid="error-description">${escapeHtml(description)}</p><p><a href="/" data-testid="start-over">Log in again</a></p></main>`,
  );
}

/** GET /authorize: where the legacy Rule's authorize_again lands after a password change (a new login starts). */
export function authorizePage(clientId: string): string {
  return layout(
    'Authorize',
    `<main data-testid="authorize-again" data-client-id="${escapeHtml(clientId)}">
<h1>New authorization started for client ${escapeHtml(clientId || '(none given)')}</h1>
<p class="note">A real tenant would show its login page here; sign in again with the new password.</p>
<p><a href="/?client_id=${encodeURIComponent(clientId)}" data-testid="authorize-login">Log in</a></p></main>`,
  );
}
