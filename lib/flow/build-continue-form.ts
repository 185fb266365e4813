import 'server-only';
import { escapeHtml } from '../http/html';

export interface ContinueForm {
  action: string;
  fields: Record<string, string>;
}

/**
 * The hand-back: a form that POSTs the return token to /continue (Auth0 recommends POST so the token never
 * sits in a URL). A nonce'd script submits it; without JavaScript the visible button does.
 */
export interface ContinueFormText {
  title: string;
  body: string;
  button: string;
  noscript: string;
}

export function buildContinueFormHtml(form: ContinueForm, text: ContinueFormText) {
  const hidden = Object.entries(form.fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const body = `<h1>${escapeHtml(text.title)}</h1><p class="muted">${escapeHtml(text.body)}</p>
<form id="continue" method="post" action="${escapeHtml(form.action)}">${hidden}
<noscript><p>${escapeHtml(text.noscript)}</p></noscript>
<div class="actions"><button type="submit" class="button">${escapeHtml(text.button)}</button></div></form>`;
  return { body, script: `document.getElementById('continue').submit();` };
}
