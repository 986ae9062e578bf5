/**
 * The behaviour of `components/ConfirmDialog.astro`: asks the member to confirm an action that
 * cannot simply be undone, in a modal that explains what it does (unlike `window.confirm`, it can
 * say several things, in the site's style, and be checked by axe).
 */
import { byId } from './forms.ts';
import { element } from './labels.ts';

export interface Confirmation {
  title: string;
  /** Paragraphs of explanation. */
  text: string[];
  /** The confirming button's text (« Bloquer », « Retirer »…). */
  confirm: string;
  /** Styles the confirming button as destructive. */
  danger?: boolean;
}

/** Resolves true when the member confirms; false on « Annuler » or Échap. */
export function askConfirmation(confirmation: Confirmation): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>('confirm-dialog');
  const yes = byId<HTMLButtonElement>('confirm-dialog-yes');
  const no = byId<HTMLButtonElement>('confirm-dialog-no');
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  byId('confirm-dialog-title').textContent = confirmation.title;
  byId('confirm-dialog-text').replaceChildren(...confirmation.text.map((line) => element('p', line)));
  yes.textContent = confirmation.confirm;
  yes.classList.toggle('danger', confirmation.danger === true);
  return new Promise((resolve) => {
    const onYes = () => dialog.close('yes');
    const onNo = () => dialog.close('no');
    dialog.addEventListener(
      'close',
      () => {
        yes.removeEventListener('click', onYes);
        no.removeEventListener('click', onNo);
        // Back where the member was, unless that button went away meanwhile.
        if (opener?.isConnected) opener.focus();
        resolve(dialog.returnValue === 'yes');
      },
      { once: true },
    );
    yes.addEventListener('click', onYes);
    no.addEventListener('click', onNo);
    dialog.returnValue = '';
    dialog.showModal();
    // The harmless choice first: Entrée by reflex must not block or remove anyone.
    no.focus();
  });
}
