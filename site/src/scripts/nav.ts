/**
 * The header follows the session kept in this tab: Inscription/Connexion when signed out,
 * Mon profil and « Se déconnecter » when signed in.
 */
import { signOutOnServer } from './api.ts';
import { clearSession, isSignedIn, SESSION_EVENT } from './session.ts';

function render(): void {
  const signedIn = isSignedIn();
  for (const item of document.querySelectorAll<HTMLElement>('[data-when]')) {
    item.hidden = item.dataset.when !== (signedIn ? 'signed-in' : 'signed-out');
  }
}

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
