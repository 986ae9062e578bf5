/**
 * The behaviour of `components/ReportDialog.astro`: « Signaler » buttons that open the dialog for
 * one target (`post:<id>`, `comment:<post>:<id>`, `message:<conversation>:<id>`, `member:<id>`,
 * `group:<id>`, `event:<id>`, `mission:<id>`), and the sending of the report (`POST /api/reports`).
 * Every refusal of the API (already reported, too many reports today, no longer visible) is shown in
 * the dialog.
 */
import { ApiError, apiFetch } from './api.ts';
import {
  byId,
  clearErrors,
  clearErrorsOnEdit,
  fieldValue,
  hasField,
  rawFieldValue,
  reportFieldErrors,
  whileBusy,
} from './forms.ts';
import { element } from './labels.ts';
import { isSessionLost, messageOf, toSignIn } from './me.ts';

const THANKS = 'Merci, les coopilotes vont examiner votre signalement.';
const COMMENT_MAX = 1000;

/** The report in progress: its target, and where the focus goes back. */
let current: { target: string; opener: HTMLElement | null } | null = null;
let wired = false;

function dialog(): HTMLDialogElement | null {
  return document.getElementById('report-dialog') as HTMLDialogElement | null;
}

function status(): HTMLElement {
  return byId('report-status');
}

function setStatus(message: string, kind: 'success' | 'error' | 'info'): void {
  const region = status();
  region.dataset.kind = kind;
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}

function wire(box: HTMLDialogElement): void {
  if (wired) return;
  wired = true;
  const form = byId<HTMLFormElement>('report-form');
  clearErrorsOnEdit(form);
  for (const close of box.querySelectorAll<HTMLButtonElement>('[data-report-close]'))
    close.addEventListener('click', () => box.close());
  box.addEventListener('close', () => {
    const opener = current?.opener;
    current = null;
    if (opener?.isConnected) opener.focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!current) return;
    clearErrors(form);
    status().textContent = '';
    const category = rawFieldValue(form, 'category');
    const comment = fieldValue(form, 'comment');
    const problems: Array<[string, string]> = [];
    if (!category) problems.push(['category', 'Choisissez un motif.']);
    if (comment.length > COMMENT_MAX)
      problems.push([
        'comment',
        `Vos précisions dépassent ${COMMENT_MAX.toLocaleString('fr-FR')} caractères.`,
      ]);
    if (problems.length > 0) {
      reportFieldErrors(form, problems);
      setStatus(problems[0]?.[1] ?? '', 'error');
      return;
    }
    const target = current.target;
    try {
      await whileBusy(form, () =>
        apiFetch('/api/reports', {
          method: 'POST',
          body: { target, category, ...(comment ? { comment } : {}) },
        }),
      );
    } catch (error) {
      if (isSessionLost(error)) {
        toSignIn('expiree');
        return;
      }
      // 409 (already reported), 429 (too many today), 404 (no longer visible), 400 (own content):
      // the API's own words, next to the field it names or in the dialog's live region.
      if (error instanceof ApiError && error.field && hasField(form, error.field))
        reportFieldErrors(form, [[error.field, error.message]]);
      setStatus(messageOf(error), 'error');
      return;
    }
    form.hidden = true;
    byId('report-done').hidden = false;
    setStatus(THANKS, 'success');
    byId('report-done').querySelector<HTMLButtonElement>('button')?.focus();
  });
}

/** Opens the dialog for `target`; `subject` says what is reported (« le billet de Camille Martin »). */
export function openReport(target: string, subject: string): void {
  const box = dialog();
  if (!box) return;
  wire(box);
  const form = byId<HTMLFormElement>('report-form');
  form.reset();
  clearErrors(form);
  form.hidden = false;
  byId('report-done').hidden = true;
  const region = status();
  region.textContent = '';
  delete region.dataset.kind;
  byId('report-dialog-subject').textContent = `Vous signalez ${subject}.`;
  current = {
    target,
    opener: document.activeElement instanceof HTMLElement ? document.activeElement : null,
  };
  box.showModal();
  form.querySelector<HTMLInputElement>('input[name="category"]')?.focus();
}

/**
 * A « Signaler » button for `target`, or null when the page has no report dialog. `subject` ends
 * the button's accessible name (« Signaler le commentaire de Camille Martin »), so that many
 * buttons of one page are told apart and voice control still finds the visible word.
 */
export function reportButton(
  target: string,
  subject: string,
  className = 'button small secondary',
): HTMLButtonElement | null {
  if (!dialog()) return null;
  const button = element('button', 'Signaler', `${className} report-button`);
  button.type = 'button';
  button.setAttribute('aria-label', `Signaler ${subject}`);
  button.setAttribute('aria-haspopup', 'dialog');
  button.addEventListener('click', () => openReport(target, subject));
  return button;
}
