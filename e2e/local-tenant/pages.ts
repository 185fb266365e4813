// Plain HTML pages of the local tenant (inline CSS only, no script, no external assets).
import type { PendingLogin } from './authorize';
import type { CaughtMail } from './mail-catcher';
import type { StoredUser } from './users';

export const escapeHtml = (value: unknown) =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const CSS = `body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1f2937}
h1{font-size:1.4rem}button{font:inherit;padding:.5rem 1rem;margin:.25rem 0;cursor:pointer;border:1px solid #4f46e5;border-radius:.375rem;background:#eef2ff}
code,pre{background:#f3f4f6;padding:.1rem .3rem;border-radius:.25rem;white-space:pre-wrap;word-break:break-all}
.user{display:flex;gap:1rem;align-items:center;justify-content:space-between;border-bottom:1px solid #e5e7eb;padding:.5rem 0}
.note{color:#6b7280;font-size:.9rem}label{display:block;margin:.5rem 0}
.mail{border-bottom:1px solid #e5e7eb;padding:.5rem 0}.mail h2{font-size:1.1rem;margin:.25rem 0}`;

export function layout(title: string, body: string, site = 'Local tenant'): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(site)}</title><style>${CSS}</style></head><body>${body}</body></html>`;
}

export interface LoginPageInfo {
  protocol: 'actions' | 'rules';
  detourUrl: string;
  termsVersion: string;
  /** REQUIRED_PROFILE_FIELDS and PROFILE_FIELDS as the tenant runs them, for the per-user hints. */
  requiredProfileFields: string[];
  rootFields: string[];
  /** The /authorize login this page submits (its `state` goes with the form). */
  login: PendingLogin;
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
  const { login } = info;
  // The application's prompt is preselected; the select lets a tester change it.
  const prompts = [['', '(none given)'], ['login', 'login'], ['none', 'none']]
    .map(([value, label]) => `<option value="${value}"${(login.prompt ?? '') === value ? ' selected' : ''}>${label}</option>`)
    .join('');
  return layout(
    'Log in',
    `<main data-testid="login-page"><h1>Local tenant — log in</h1>
<p class="note">Plays Auth0 for Detour (${escapeHtml(info.detourUrl)}) using the ${info.protocol === 'rules' ? 'legacy Rule' : 'post-login Action'}; current terms ${escapeHtml(info.termsVersion)}.</p>
<p class="note" data-testid="login-client" data-client-id="${escapeHtml(login.clientId)}">Signing in to ${escapeHtml(login.clientId)}, back to ${escapeHtml(login.redirectUri)}.</p>
<form method="post" action="/login" data-testid="login-form">
<input type="hidden" name="state" value="${escapeHtml(login.state)}">
<label>Browser language <select name="language" data-testid="login-language">${languages}</select></label>
<label>Prompt <select name="prompt" data-testid="login-prompt">${prompts}</select></label>
${rows}
</form></main>`,
  );
}

export function errorPage(code: string, description: string): string {
  return layout(
    code,
    `<main data-testid="error" data-error="${escapeHtml(code)}"><h1>${escapeHtml(code)}</h1>
<p data-testid="error-description">${escapeHtml(description)}</p><p><a href="/" data-testid="start-over">Log in again</a></p></main>`,
  );
}

/** GET /authorize replayed by the legacy Rule's authorize_again after a password change: a new login starts. */
export function authorizeAgainPage(clientId: string, loginState: string): string {
  return layout(
    'Authorize',
    `<main data-testid="authorize-again" data-client-id="${escapeHtml(clientId)}">
<h1>New authorization started for client ${escapeHtml(clientId)}</h1>
<p class="note">A real tenant would find the session and run the Rule again; sign in again with the new password.</p>
<p><a href="/?state=${encodeURIComponent(loginState)}" data-testid="authorize-login">Log in</a></p></main>`,
  );
}

/**
 * GET /mailbox: what the catcher holds, newest first. Mail is untrusted input (Detour renders names and text into it),
 * so only the plain-text part is shown, escaped, in a <pre>; the HTML part is never rendered.
 */
export function mailboxPage(messages: readonly CaughtMail[], mailUrl: string): string {
  const items = messages
    .map(
      (mail) => `<article class="mail" data-testid="mail" data-mail-id="${mail.id}">
<h2 data-testid="mail-subject">${escapeHtml(mail.subject || '(no subject)')}</h2>
<p class="note">To <span data-testid="mail-to">${escapeHtml(mail.to.join(', '))}</span> · from <span data-testid="mail-from">${escapeHtml(mail.from || '(none)')}</span>
· received <time data-testid="mail-received" datetime="${escapeHtml(mail.receivedAt)}">${escapeHtml(mail.receivedAt)}</time></p>
<pre data-testid="mail-text">${escapeHtml(mail.text)}</pre></article>`,
    )
    .join('\n');
  return layout(
    'Mailbox',
    `<main data-testid="mailbox"><h1>Mailbox</h1>
<p class="note">Mail sent to the local tenant's SMTP catcher (${escapeHtml(mailUrl)}, Detour's <code>SMTP_URL</code>), newest first; kept in
memory until the tenant stops or <code>/__reset</code>. <a href="/mailbox" data-testid="mailbox-reload">Reload</a></p>
<form method="post" action="/mailbox/clear"><button type="submit" data-testid="mailbox-clear">Empty the mailbox</button></form>
${items || '<p data-testid="mailbox-empty">No mail yet.</p>'}
</main>`,
    'Local tenant',
  );
}
