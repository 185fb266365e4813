import 'server-only';
import { escapeHtml } from '../http/html';

export interface ContinueForm {
  /** Auth0's /continue, with `state` in the query. */
  action: string;
  fields: Record<string, string>;
  /**
   * Where the visible button posts instead of Auth0: Detour's own /complete, which mints a fresh return token at that
   * moment (DESIGN "Return token": slow hands). Absent, the button submits the hand-back form itself.
   */
  reissueAction?: string;
}

export interface ContinueFormText {
  title: string;
  body: string;
  button: string;
  noscript: string;
}

/**
 * The hand-back: a form that POSTs the return token to /continue (Auth0 recommends POST so the token never sits in a
 * URL), submitted at once by a nonce'd script. The visible button is for browsers without JavaScript and for people
 * who come back to the page later: on the first page it asks Detour for a fresh token, so a click minutes later
 * still finishes the sign-in.
 */
export function buildContinueFormHtml(form: ContinueForm, text: ContinueFormText) {
  const hidden = Object.entries(form.fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const button = `<noscript><p>${escapeHtml(text.noscript)}</p></noscript>
<div class="actions"><button type="submit" class="button">${escapeHtml(text.button)}</button></div>`;
  const handBack = `<form id="continue" method="post" action="${escapeHtml(form.action)}">${hidden}${form.reissueAction ? '' : `\n${button}`}</form>`;
  const reissue = form.reissueAction ? `\n<form method="post" action="${escapeHtml(form.reissueAction)}">\n${button}</form>` : '';
  const body = `<h1>${escapeHtml(text.title)}</h1><p class="muted">${escapeHtml(text.body)}</p>\n${handBack}${reissue}`;
  return { body, script: `document.getElementById('continue').submit();` };
}
