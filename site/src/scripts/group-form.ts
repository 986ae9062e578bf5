/** The fields of `components/GroupFields.astro`: read, filled, checked, and the API's errors shown. */
import { ApiError } from './api.ts';
import { fieldValue, showFieldError } from './forms.ts';
import type { Group, GroupInput, GroupVisibility, JoinPolicy } from './groups.ts';

export function readGroupForm(form: HTMLFormElement): GroupInput {
  const description = fieldValue(form, 'description');
  return {
    name: fieldValue(form, 'name'),
    ...(description ? { description } : {}),
    joinPolicy: (fieldValue(form, 'joinPolicy') || 'open') as JoinPolicy,
    visibility: (fieldValue(form, 'visibility') || 'all') as GroupVisibility,
  };
}

export function fillGroupForm(form: HTMLFormElement, group: Group): void {
  (form.elements.namedItem('name') as HTMLInputElement).value = group.name;
  (form.elements.namedItem('description') as HTMLTextAreaElement).value = group.description;
  for (const name of ['joinPolicy', 'visibility'] as const) {
    const value = group[name];
    const radio = form.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`);
    if (radio) radio.checked = true;
  }
}

/** The field errors found before asking the API. */
export function groupProblems(input: GroupInput): Array<[string, string]> {
  const errors: Array<[string, string]> = [];
  if (input.name.length < 3) errors.push(['name', 'Le nom du groupe doit faire au moins 3 caractères.']);
  else if (input.name.length > 80) errors.push(['name', 'Le nom du groupe dépasse 80 caractères.']);
  if ((input.description ?? '').length > 2000)
    errors.push(['description', 'La description dépasse 2 000 caractères.']);
  return errors;
}

/** Shows errors under their fields and a summary in the form's alert; focuses the first. */
export function showGroupErrors(
  form: HTMLFormElement,
  errors: Array<[string, string]>,
  summary: string,
): void {
  for (const [field, message] of errors) showFieldError(form, field, message);
  const alert = form.querySelector<HTMLElement>('[data-alert]');
  if (alert) {
    alert.dataset.kind = 'error';
    alert.textContent = '';
    window.setTimeout(() => {
      alert.textContent = summary;
    }, 50);
  }
  const first = errors[0];
  if (first) form.querySelector<HTMLElement>(`[name="${first[0]}"]`)?.focus();
}

/** The API's refusal: under its field when the form has it, in the alert in any case. */
export function showGroupApiError(form: HTMLFormElement, error: unknown, fallback: string): void {
  if (error instanceof ApiError) {
    const field = error.field && form.querySelector(`[data-error-for="${error.field}"]`) ? error.field : null;
    showGroupErrors(form, field ? [[field, error.message]] : [], error.message);
  } else showGroupErrors(form, [], fallback);
}
