/** Small behaviours shared by several forms. */
import { clearFieldError } from './forms.ts';

/** « Afficher le mot de passe »: a toggle button (aria-pressed) that switches the input's type. */
export function wirePasswordToggles(root: ParentNode = document): void {
  for (const button of root.querySelectorAll<HTMLButtonElement>('[data-toggle-password]')) {
    const input = document.getElementById(button.getAttribute('aria-controls') ?? '');
    if (!(input instanceof HTMLInputElement)) continue;
    button.addEventListener('click', () => {
      const show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      button.setAttribute('aria-pressed', String(show));
    });
  }
}

/** Shows the consent box only while `all` is chosen (the API requires consent for `all`). */
export function wireVisibility(form: HTMLFormElement): void {
  const consent = form.querySelector<HTMLElement>('[data-consent]');
  if (!consent) return;
  const sync = () => {
    const all = visibilityOf(form) === 'all';
    consent.hidden = !all;
    if (!all) clearFieldError(form, 'consentVisibilityAll');
  };
  for (const radio of form.querySelectorAll<HTMLInputElement>('input[name="visibility"]')) {
    radio.addEventListener('change', sync);
  }
  sync();
}

export function visibilityOf(form: HTMLFormElement): string {
  return form.querySelector<HTMLInputElement>('input[name="visibility"]:checked')?.value ?? '';
}

/** Selects a radio of a group by value, then lets listeners react. */
export function checkRadio(form: HTMLFormElement, name: string, value: string): void {
  const radio = form.querySelector<HTMLInputElement>(
    `input[name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`,
  );
  if (!radio) return;
  radio.checked = true;
  radio.dispatchEvent(new Event('change', { bubbles: true }));
}
