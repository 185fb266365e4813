/**
 * The profile page's progressive enhancement (the page works without it; view.tsx renders everything):
 * - a conditional field (`data-show-when`) is shown only while its condition holds; hidden, its controls are
 *   disabled, so they are neither checked nor posted (what they hold stays, in case the answer changes back);
 * - before posting, each shown field is checked with the browser's own constraint validation plus the few rules
 *   native attributes cannot say (browser-checks.ts); a problem stops the post and is shown as the server would
 *   show it (an error under the field, the summary above the form, focused), with the server's sentences from the
 *   field's `data-checks`. Phone numbers are checked once their rules (libphonenumber metadata) are loaded, which
 *   happens only when a phone field is used. The server checks everything again.
 */
import { VALIDITY_CHECKS, numberProblem, selectedProblem, type CheckName, type FieldChecks } from './browser-checks';
import { conditionHolds } from './condition';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
type PhoneRules = typeof import('./phone');

const form = document.querySelector<HTMLFormElement>('form[data-profile-form]');
if (form) enhance(form);

function enhance(form: HTMLFormElement): void {
  const fields = [...form.querySelectorAll<HTMLElement>('[data-field]')];
  const byId = new Map(fields.map((field) => [field.dataset.field!, field] as const));
  const controlsOf = (field: HTMLElement) => [...field.querySelectorAll<Control>('input, select, textarea')];
  const checksOf = (field: HTMLElement) => JSON.parse(field.dataset.checks ?? '{"messages":{}}') as FieldChecks;

  const isShown = (field: HTMLElement): boolean => {
    if (!field.dataset.showWhen) return true;
    const when = JSON.parse(field.dataset.showWhen) as { field: string; equals: string | number | boolean };
    const controller = byId.get(when.field);
    // A controlling field not on the form was decided by the server, which asked this field only if it holds.
    return !controller || (isShown(controller) && conditionHolds(when.equals, valueOf(controlsOf(controller))));
  };
  const conditional = fields.filter((field) => field.dataset.showWhen);
  for (const field of conditional) {
    // The script shows the field exactly when it is needed, so the sentence saying when is no longer wanted.
    const note = field.querySelector<HTMLElement>(`#field-${field.dataset.field}-condition`);
    if (note) {
      note.hidden = true;
      setToken(describedElement(field), note.id, false);
    }
  }
  const showConditional = () => {
    for (const field of conditional) {
      const shown = isShown(field);
      field.hidden = !shown;
      for (const control of controlsOf(field)) control.disabled = !shown;
      if (!shown) showFieldError(field, null);
    }
  };
  form.addEventListener('change', showConditional);
  form.addEventListener('input', showConditional);
  showConditional();

  let phoneRules: PhoneRules | undefined;
  let phoneLoading: Promise<void> | undefined;
  let phoneSettled = false;
  const loadPhoneRules = () =>
    (phoneLoading ??= import('./phone')
      .then(
        (rules) => void (phoneRules = rules),
        // Offline or blocked: the server checks the number.
        () => undefined,
      )
      .then(() => void (phoneSettled = true)));
  form.addEventListener('focusin', (event) => {
    if (event.target instanceof HTMLInputElement && event.target.type === 'tel') void loadPhoneRules();
  });

  const problemOf = (field: HTMLElement): string | null => {
    const checks = checksOf(field);
    const controls = controlsOf(field);
    const say = (check: CheckName | null) => (check ? (checks.messages[check] ?? null) : null);
    for (const check of VALIDITY_CHECKS) {
      const text = controls.some((control) => control.validity[check]) ? say(check) : null;
      if (text) return text;
    }
    const value = controls[0]?.value.trim() ?? '';
    if (checks.number) return say(numberProblem(value, checks.number));
    if (checks.selected) return say(selectedProblem(controls.filter((control) => (control as HTMLInputElement).checked).length, checks.selected));
    if (checks.phoneRegion !== undefined && value !== '' && phoneRules && !phoneRules.isAcceptedPhone(value, checks.phoneRegion || undefined)) {
      return say('invalidPhone');
    }
    return null;
  };

  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  const buttonText = button?.textContent ?? '';
  let sending = false;
  form.addEventListener('submit', (event) => {
    if (sending) return event.preventDefault();
    const shown = fields.filter((field) => !field.hidden);
    const phoneTyped = shown.some((field) => checksOf(field).phoneRegion !== undefined && controlsOf(field)[0]?.value.trim());
    if (phoneTyped && !phoneSettled) {
      // A number typed before its rules arrived (or filled in by the browser): load them, then submit again.
      event.preventDefault();
      void loadPhoneRules().then(() => submitAgain(form));
      return;
    }
    const problems: [HTMLElement, string][] = [];
    for (const field of shown) {
      const text = problemOf(field);
      showFieldError(field, text);
      if (text) problems.push([field, text]);
    }
    showSummary(form, problems);
    if (problems.length > 0) return event.preventDefault();
    sending = true;
    if (button) {
      button.setAttribute('aria-busy', 'true');
      button.textContent = button.dataset.submittingText ?? buttonText;
    }
  });
  // Back to this page from the next one (the page restored as it was left): the button works again.
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted || !button) return;
    sending = false;
    button.removeAttribute('aria-busy');
    button.textContent = buttonText;
  });

  // A summary link puts the caret in its field, its label in view (a plain link would only scroll to it).
  form.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>('.error-summary a[href^="#field-"]') : null;
    const target = link && document.getElementById(link.hash.slice(1));
    if (!target) return;
    event.preventDefault();
    (target.closest('[data-field]') ?? target).scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  });
}

/** Submits as the button would, through the checks again; a browser without requestSubmit (Safari < 16) posts as it is. */
function submitAgain(form: HTMLFormElement): void {
  const request = form.requestSubmit as ((this: HTMLFormElement) => void) | undefined;
  if (request) request.call(form);
  else form.submit();
}

/** What a controlling field holds: a single box's tick, the chosen radio button, or the control's value. */
function valueOf(controls: Control[]): string | boolean {
  const first = controls[0];
  if (first instanceof HTMLInputElement && first.type === 'checkbox') return first.checked;
  if (first instanceof HTMLInputElement && first.type === 'radio') return controls.find((control) => (control as HTMLInputElement).checked)?.value ?? '';
  return first?.value ?? '';
}

/** The element the field's hint and error describe: the group for radio buttons and boxes, else the control. */
function describedElement(field: HTMLElement): HTMLElement | null {
  return field instanceof HTMLFieldSetElement ? field : field.querySelector<HTMLElement>(`#field-${field.dataset.field}`);
}

function setToken(element: HTMLElement | null, token: string, present: boolean): void {
  if (!element) return;
  const tokens = (element.getAttribute('aria-describedby') ?? '').split(' ').filter((t) => t && t !== token);
  if (present) tokens.push(token);
  if (tokens.length > 0) element.setAttribute('aria-describedby', tokens.join(' '));
  else element.removeAttribute('aria-describedby');
}

/** The error under a field, as view.tsx renders it: after the hint and condition, tied to the control. */
function showFieldError(field: HTMLElement, text: string | null): void {
  const errorId = `field-${field.dataset.field}-error`;
  document.getElementById(errorId)?.remove();
  setToken(describedElement(field), errorId, text !== null);
  for (const control of field.querySelectorAll('input, select, textarea')) {
    if (text) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  }
  if (!text) return;
  const box = element('div', { class: 'field-error', id: errorId, 'data-error-code': 'validation_failed' }, element('p', {}, text));
  const notes = field.querySelectorAll(':scope > .profile-hint');
  (notes[notes.length - 1] ?? field.firstElementChild)?.after(box);
}

/** "There is a problem" with a link to each field, as components/feedback.tsx renders it, focused. */
function showSummary(form: HTMLFormElement, problems: [HTMLElement, string][]): void {
  form.querySelector('[data-testid="error-summary"]')?.remove();
  if (problems.length === 0) return;
  const items = problems.map(([field, text]) =>
    element('li', {}, element('a', { href: `#field-${field.dataset.field}` }, `${field.dataset.label}: ${text}`)),
  );
  const summary = element(
    'div',
    { role: 'alert', class: 'alert error-summary', 'data-error-code': 'validation_failed', 'data-testid': 'error-summary', tabindex: '-1', 'aria-labelledby': 'error-summary-title' },
    element('h2', { id: 'error-summary-title' }, form.dataset.summaryTitle ?? ''),
    element('ul', {}, ...items),
  );
  const alert = form.querySelector('.form-alert');
  if (alert) alert.after(summary);
  else form.prepend(summary);
  summary.focus();
}

function element(tag: string, attributes: Record<string, string>, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
