/**
 * Accessible form plumbing shared by every page: an error is written in the field's own error
 * element (`[data-error-for=name]`), tied to its controls with `aria-describedby` and
 * `aria-invalid`; form-level news goes to the form's live region (`[data-status]`).
 */
import { ApiError } from './api.ts';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The element (or throw): a missing element is a page bug, better loud at once. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

function controlsOf(form: HTMLFormElement, field: string): Control[] {
  return Array.from(form.querySelectorAll<Control>(`[name="${CSS.escape(field)}"]`));
}

function errorElementOf(form: HTMLFormElement, field: string): HTMLElement | null {
  return form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(field)}"]`);
}

function describedBy(control: Control, id: string, on: boolean): void {
  const ids = new Set((control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean));
  if (on) ids.add(id);
  else ids.delete(id);
  if (ids.size > 0) control.setAttribute('aria-describedby', [...ids].join(' '));
  else control.removeAttribute('aria-describedby');
}

/** True when the form shows an error element for this field name. */
export function hasField(form: HTMLFormElement, field: string): boolean {
  return errorElementOf(form, field) !== null;
}

/** Shows `message` under the field and marks its controls invalid. */
export function showFieldError(form: HTMLFormElement, field: string, message: string): void {
  const errorElement = errorElementOf(form, field);
  if (!errorElement) return;
  errorElement.textContent = message;
  errorElement.hidden = false;
  for (const control of controlsOf(form, field)) {
    control.setAttribute('aria-invalid', 'true');
    describedBy(control, errorElement.id, true);
  }
}

export function clearFieldError(form: HTMLFormElement, field: string): void {
  const errorElement = errorElementOf(form, field);
  if (!errorElement) return;
  errorElement.textContent = '';
  errorElement.hidden = true;
  for (const control of controlsOf(form, field)) {
    control.removeAttribute('aria-invalid');
    describedBy(control, errorElement.id, false);
  }
}

export function clearErrors(form: HTMLFormElement): void {
  for (const element of form.querySelectorAll<HTMLElement>('[data-error-for]')) {
    const field = element.dataset.errorFor;
    if (field) clearFieldError(form, field);
  }
}

/** Moves focus to the first control of `field` (the first radio of a group). */
export function focusField(form: HTMLFormElement, field: string): void {
  controlsOf(form, field)[0]?.focus();
}

/** Writes a form-level message in the form's live region. */
export function announce(
  form: HTMLFormElement,
  message: string,
  kind: 'success' | 'error' | 'info' = 'info',
): void {
  const region = form.querySelector<HTMLElement>('[data-status]');
  if (!region) return;
  region.dataset.kind = kind;
  // Emptying first makes screen readers repeat a message identical to the previous one.
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}

export function clearStatus(form: HTMLFormElement): void {
  const region = form.querySelector<HTMLElement>('[data-status]');
  if (!region) return;
  region.textContent = '';
  delete region.dataset.kind;
}

/** Shows a list of field errors; focuses the first one. Returns false when there were errors. */
export function reportFieldErrors(form: HTMLFormElement, errors: ReadonlyArray<[string, string]>): boolean {
  for (const [field, message] of errors) showFieldError(form, field, message);
  const first = errors[0];
  if (!first) return true;
  announce(
    form,
    errors.length === 1
      ? 'Le formulaire contient une erreur : corrigez le champ signalé.'
      : `Le formulaire contient ${errors.length} erreurs : corrigez les champs signalés.`,
    'error',
  );
  focusField(form, first[0]);
  return false;
}

/**
 * Shows an API failure: next to the named field when the form has it, otherwise in the form's
 * live region. Other errors are shown with a generic message.
 */
export function reportApiError(
  form: HTMLFormElement,
  error: unknown,
  /** Field to show an error code against when the API names none (e.g. `auth.invalid_code` → `code`). */
  fieldByCode: Readonly<Record<string, string>> = {},
): void {
  if (error instanceof ApiError) {
    const field = error.field ?? fieldByCode[error.code];
    if (field && hasField(form, field)) {
      reportFieldErrors(form, [[field, error.message]]);
      return;
    }
    announce(form, error.message, 'error');
    return;
  }
  announce(form, 'Une erreur inattendue est survenue. Réessayez dans un instant.', 'error');
}

/** Disables the submit buttons while a request runs, and says so to assistive technology. */
export async function whileBusy<T>(form: HTMLFormElement, run: () => Promise<T>): Promise<T> {
  const buttons = Array.from(form.querySelectorAll<HTMLButtonElement>('button'));
  form.setAttribute('aria-busy', 'true');
  for (const button of buttons) button.disabled = true;
  try {
    return await run();
  } finally {
    form.removeAttribute('aria-busy');
    for (const button of buttons) button.disabled = false;
  }
}

/** The value of a control (the checked one for a radio group), as typed. */
export function rawFieldValue(form: HTMLFormElement, name: string): string {
  const control = form.elements.namedItem(name);
  if (
    control instanceof HTMLInputElement ||
    control instanceof HTMLTextAreaElement ||
    control instanceof HTMLSelectElement
  ) {
    return control.value;
  }
  if (control instanceof RadioNodeList) return control.value;
  return '';
}

/** The trimmed value of a control. */
export function fieldValue(form: HTMLFormElement, name: string): string {
  return rawFieldValue(form, name).trim();
}

/** Clears a field's error as soon as the member changes it. */
export function clearErrorsOnEdit(form: HTMLFormElement): void {
  const clear = (event: Event) => {
    const target = event.target;
    if (
      target instanceof HTMLInputElement ||
      target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement
    ) {
      if (target.name && target.getAttribute('aria-invalid') === 'true') clearFieldError(form, target.name);
    }
  };
  form.addEventListener('input', clear);
  form.addEventListener('change', clear);
}

/** Whether a checkbox is checked. */
export function isChecked(form: HTMLFormElement, name: string): boolean {
  const control = form.elements.namedItem(name);
  return control instanceof HTMLInputElement && control.checked;
}

/** A plausible email address (the API has the last word). */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}
