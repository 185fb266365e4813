/**
 * The verify page's one enhancement (the page works without it): the wait before a new code may be asked for
 * counts down in the sentence the server wrote, and the button stays disabled until then. The server enforces the
 * wait. The sentences come from the page (`data-wait-text` with `{duration}` in it, `data-ready-text`) and the
 * duration is written by Intl in the page's language, so nothing here is in a language.
 */
const note = document.querySelector<HTMLElement>('#resend-wait');
const button = document.querySelector<HTMLButtonElement>('form.resend button[name="intent"]');
if (note && button && Number(note.dataset.wait) > 0) countDown(note, button);

function countDown(note: HTMLElement, button: HTMLButtonElement): void {
  const until = Date.now() + Number(note.dataset.wait) * 1000;
  const seconds = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: 'unit', unit: 'second', unitDisplay: 'long' });
  const template = note.dataset.waitText ?? '';
  // Each second is written without being announced; the end is (the note is aria-live="polite" again).
  note.setAttribute('aria-live', 'off');
  button.disabled = true;
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    if (left > 0) {
      note.textContent = template.replace('{duration}', seconds.format(left));
      window.setTimeout(tick, 1000);
      return;
    }
    note.setAttribute('aria-live', 'polite');
    note.textContent = note.dataset.readyText ?? '';
    button.disabled = false;
  };
  tick();
}
