import type { PasswordField } from './form-check';

/**
 * The browser's side of components/feedback.tsx: the same error summary and field errors, built in the DOM when the
 * page's script stops a post, and taken away field by field as the person edits. Text only (textContent), never HTML.
 */

const errorId = (field: PasswordField) => `${field}-error`;

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string>, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function describedBy(input: HTMLElement, id: string, present: boolean): void {
  const ids = new Set((input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  if (present) ids.add(id);
  else ids.delete(id);
  if (ids.size > 0) input.setAttribute('aria-describedby', [...ids].join(' '));
  else input.removeAttribute('aria-describedby');
}

/** Takes away one field's errors (under it and in the summary); the summary goes when it has nothing left. */
export function clearFieldErrors(form: HTMLFormElement, field: PasswordField): void {
  const input = form.elements.namedItem(field);
  if (input instanceof HTMLInputElement) {
    input.removeAttribute('aria-invalid');
    describedBy(input, errorId(field), false);
  }
  form.querySelector(`#${errorId(field)}`)?.remove();
  const summary = form.querySelector('.error-summary');
  summary?.querySelectorAll(`a[href="#${field}"]`).forEach((link) => link.closest('li')?.remove());
  if (summary && !summary.querySelector('li')) summary.remove();
}

/** Shows these errors instead of any before them, and returns the summary (the caller moves the focus there). */
export function showFieldErrors(form: HTMLFormElement, errors: Record<PasswordField, string[]>, summaryTitle: string): HTMLElement {
  const fields = Object.keys(errors) as PasswordField[];
  for (const field of fields) clearFieldErrors(form, field);
  form.querySelector('.error-summary')?.remove();

  const list = element('ul', {});
  for (const field of fields) {
    const texts = [...new Set(errors[field])];
    if (texts.length === 0) continue;
    for (const text of texts) {
      const item = element('li', {});
      item.append(element('a', { href: `#${field}` }, text));
      list.append(item);
    }
    const under = element('div', { class: 'field-error', id: errorId(field), 'data-error-code': 'validation_failed' });
    for (const text of texts) under.append(element('p', {}, text));
    form.querySelector(`[data-field="${field}"]`)?.append(under);
    const input = form.elements.namedItem(field);
    if (input instanceof HTMLInputElement) {
      input.setAttribute('aria-invalid', 'true');
      describedBy(input, errorId(field), true);
    }
  }
  const summary = element('div', {
    role: 'alert',
    class: 'alert error-summary',
    'data-error-code': 'validation_failed',
    'data-testid': 'error-summary',
    tabindex: '-1',
    'aria-labelledby': 'error-summary-title',
  });
  summary.append(element('h2', { id: 'error-summary-title' }, summaryTitle), list);
  const alert = form.querySelector('.form-alert');
  if (alert) alert.after(summary);
  else form.prepend(summary);
  return summary;
}

/** A summary link puts the caret in its field, with the field's label in view (a plain #link only scrolls). */
export function focusFieldFromSummary(event: MouseEvent): void {
  const link = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>('.error-summary a[href^="#"]') : null;
  const field = link ? document.getElementById(link.hash.slice(1)) : null;
  if (!field) return;
  event.preventDefault();
  (field.closest('[data-field]') ?? field).scrollIntoView({ block: 'start' });
  field.focus({ preventScroll: true });
}
