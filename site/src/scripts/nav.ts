/**
 * The header follows the session kept in this tab: Inscription/Connexion when signed out;
 * Le fil, Ma section (for a member with a section), Groupes, Annuaire, Coopains, Messages, Mon profil, Paramètres
 * and « Se déconnecter » when signed in, and Secrétariat for a section's secretary or an admin (known from
 * `GET /api/me`, shared with the page's own script).
 */
import type { Profile } from './api.ts';
import { signOutOnServer } from './api.ts';
import { hasSecretariat, loadMe, ME_EVENT } from './me.ts';
import { clearSession, isSignedIn, SESSION_EVENT } from './session.ts';

let secretariat = false;
/** My section's page (`/section/` opens it), once `GET /api/me` says I have one. */
let mySection: string | null = null;

function render(): void {
  const signedIn = isSignedIn();
  for (const item of document.querySelectorAll<HTMLElement>('[data-when]')) {
    const shown = item.dataset.when === (signedIn ? 'signed-in' : 'signed-out');
    item.hidden =
      !shown ||
      (item.dataset.secretariat !== undefined && !secretariat) ||
      (item.dataset.mySection !== undefined && !mySection);
  }
}

window.addEventListener(ME_EVENT, (event) => {
  const member = (event as CustomEvent<Profile>).detail;
  secretariat = hasSecretariat(member);
  mySection = member.section?.id ?? member.roles.secretaryOf[0] ?? null;
  render();
});

async function signOut(button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  button.textContent = 'Déconnexion…';
  try {
    await signOutOnServer();
  } catch {
    // Leave anyway: the tab forgets its token even if the server could not be told.
  }
  clearSession();
  window.location.assign('/?deconnexion=ok');
}

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-sign-out]')) {
  button.addEventListener('click', () => void signOut(button));
}
window.addEventListener(SESSION_EVENT, render);
// Another tab of the same session cannot change sessionStorage, but a restored page (bfcache) can be stale.
window.addEventListener('pageshow', render);
render();
if (isSignedIn()) {
  // The page's script may need the profile too: whoever asks first fetches it, once.
  loadMe().catch(() => {
    // No secretariat link without a usable session; the page says what went wrong.
  });
}
