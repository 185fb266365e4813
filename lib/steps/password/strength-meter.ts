import type { PasswordBrowserData } from './browser-data';
import { element } from './form-errors';
import type { StrengthEstimate } from './strength';

export type StrengthState = { status: 'empty' } | { status: 'checking' } | { status: 'unavailable' } | { status: 'ready'; estimate: StrengthEstimate };

const DEBOUNCE_MS = 150;

/**
 * zxcvbn's verdict on what is typed, in the page's polite live region (`data-testid="password-strength"`). zxcvbn and
 * its dictionaries (~1 MB) are a dynamic import of strength.ts, so they are separate chunks fetched once the person
 * starts typing, never with the page. `onChange` hears every state (the checklist's strength rule follows it).
 */
export function strengthMeter(container: HTMLElement, data: PasswordBrowserData, onChange: (state: StrengthState) => void) {
  let latest = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const show = (state: StrengthState) => {
    render(container, state, data.text);
    onChange(state);
  };
  return (password: string) => {
    latest = password;
    clearTimeout(timer);
    if (password === '') return show({ status: 'empty' });
    if (container.dataset.status !== 'checking') show({ status: 'checking' });
    // The dictionaries start downloading with the first keystroke; only the scoring waits for a pause in typing.
    const loading = import('./strength');
    loading.then(({ loadStrengthEstimator }) => loadStrengthEstimator(data.locale)).catch(() => {
      // Reported by the estimate below, as "unavailable".
    });
    timer = setTimeout(() => {
      loading
        .then(({ estimateStrength }) => estimateStrength(password, data.personal, data.locale))
        .then(
          (estimate) => {
            if (latest === password) show({ status: 'ready', estimate });
          },
          () => {
            if (latest === password) show({ status: 'unavailable' });
          },
        );
    }, DEBOUNCE_MS);
  };
}

function render(container: HTMLElement, state: StrengthState, text: PasswordBrowserData['text']): void {
  container.dataset.status = state.status;
  if (state.status === 'ready') container.dataset.score = String(state.estimate.score);
  else delete container.dataset.score;
  const paragraph = (className: string, words: string) => element('p', { class: className }, words);
  if (state.status === 'empty') return container.replaceChildren();
  if (state.status !== 'ready') return container.replaceChildren(paragraph('password-strength-text', state.status === 'checking' ? text.checking : text.unavailable));
  const { score, warning, suggestions } = state.estimate;
  // The words say the score; the bar is only its picture.
  const meter = element('meter', { class: 'password-meter', min: '0', max: '4', low: '2', high: '3', optimum: '4', value: String(score), 'aria-hidden': 'true' });
  const parts: HTMLElement[] = [meter, paragraph('password-strength-text', text.scores[score] ?? '')];
  const warningText = warning ? text.feedback[`warnings.${warning}`] : undefined;
  if (warningText) parts.push(paragraph('password-feedback', warningText));
  const advice = suggestions.map((key) => text.feedback[`suggestions.${key}`]).filter((words): words is string => Boolean(words));
  if (advice.length > 0) {
    const list = element('ul', { class: 'password-suggestions' });
    for (const words of advice) list.append(element('li', {}, words));
    parts.push(list);
  }
  container.replaceChildren(...parts);
}
