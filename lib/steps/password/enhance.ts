import type { PasswordBrowserData } from './browser-data';
import { formProblems, type PasswordField } from './form-check';
import { clearFieldErrors, focusFieldFromSummary, showFieldErrors } from './form-errors';
import { evaluateRules, type PasswordRuleId } from './policy';
import { strengthMeter, type StrengthState } from './strength-meter';

/**
 * The password page's progressive enhancement (the page works without it, view.tsx): the checklist ticks as the
 * person types, a show/hide button, zxcvbn's meter, and the server's checks run before posting so a broken rule
 * is said at once. No framework; every sentence comes from the page (browser-data.ts).
 */
const form = document.querySelector<HTMLFormElement>('form[data-password-form]');
if (form) enhance(form, JSON.parse(form.dataset.passwordForm ?? '{}') as PasswordBrowserData);

function enhance(form: HTMLFormElement, data: PasswordBrowserData): void {
  const { policy, personal, text } = data;
  const input = (field: PasswordField) => form.elements.namedItem(field) as HTMLInputElement;
  const password = input('password');
  const confirmation = input('confirm_password');
  let strength: StrengthState = { status: 'empty' };

  const tickRules = () => {
    const value = password.value;
    const met = evaluateRules(value, policy, personal);
    for (const item of form.querySelectorAll<HTMLElement>('[data-rule]')) {
      const rule = item.dataset.rule as PasswordRuleId | 'strength';
      const done = rule === 'strength' ? strength.status === 'ready' && strength.estimate.score >= policy.minScore : value !== '' && met[rule];
      if (item.dataset.met === String(done)) continue;
      item.dataset.met = String(done);
      item.className = done ? 'password-met' : 'password-unmet';
      item.querySelector('[aria-hidden]')!.textContent = done ? '✓' : '•';
      item.querySelector('[data-rule-state]')!.textContent = ` (${done ? text.met : text.unmet})`;
    }
  };
  const scoreStrength = strengthMeter(form.querySelector<HTMLElement>('[data-testid="password-strength"]')!, data, (state) => {
    strength = state;
    tickRules();
  });

  password.addEventListener('input', () => {
    // The last verdict (the server's or the browser's) was about what was there before.
    clearFieldErrors(form, 'password');
    tickRules();
    scoreStrength(password.value);
  });
  confirmation.addEventListener('input', () => clearFieldErrors(form, 'confirm_password'));

  const toggle = form.querySelector<HTMLButtonElement>('[data-password-toggle]');
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener('click', () => {
      const reveal = password.type === 'password';
      for (const field of [password, confirmation]) field.type = reveal ? 'text' : 'password';
      // The label says what the next press does.
      toggle.textContent = reveal ? text.hide : text.show;
    });
  }

  form.addEventListener('click', focusFieldFromSummary);
  const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  const submitLabel = submit?.textContent ?? '';
  form.addEventListener('submit', (event) => {
    const problems = formProblems({ password: password.value, confirm_password: confirmation.value }, policy, personal);
    if (problems.password.length + problems.confirm_password.length > 0) {
      event.preventDefault();
      const say = (keys: string[]) => keys.map((key) => text.errors[key] ?? key);
      showFieldErrors(form, { password: say(problems.password), confirm_password: say(problems.confirm_password) }, text.summaryTitle).focus();
      return;
    }
    if (submit?.disabled) return event.preventDefault();
    // One post at a time: a second press would count as a second attempt against the limits.
    if (submit) {
      submit.disabled = true;
      submit.textContent = text.submitting;
    }
  });
  // Back to this page from the browser's cache: the button works again.
  window.addEventListener('pageshow', () => {
    if (!submit) return;
    submit.disabled = false;
    submit.textContent = submitLabel;
  });
}
