/**
 * The header follows the session kept in this tab: Inscription/Connexion when signed out;
 * Le fil, Ma section (for a member with a section), Groupes, Agenda, Missions, Annuaire, Coopains, Messages, Notifications
 * (with the unread count, from the first page of `GET /api/notifications`, shared with the notifications
 * page), Mon profil, Paramètres and « Se déconnecter » when signed in, and Secrétariat for a section's
 * secretary or an admin, Modération for a coopilote and the moderation journal for an admin (known
 * from `GET /api/me`, shared with the page's own script).
 */
import type { Profile } from './api.ts';
import { signOutOnServer } from './api.ts';
import { hasSecretariat, loadMe, ME_EVENT } from './me.ts';
import { loadNotifications, UNREAD_EVENT, unreadText } from './notifications.ts';
import { clearSession, isSignedIn, SESSION_EVENT } from './session.ts';

let secretariat = false;
/** « Modération » for the coopilotes; « Journal de modération » for an admin who is not one. */
let coopilote = false;
let auditOnly = false;
/** A suspended member only reads their decisions and appeals (SPEC §6): no link to anything else. */
let suspended = false;
/** My section's page (`/section/` opens it), once `GET /api/me` says I have one. */
let mySection: string | null = null;

function render(): void {
  const signedIn = isSignedIn();
  for (const item of document.querySelectorAll<HTMLElement>('[data-when]')) {
    const shown = item.dataset.when === (signedIn ? 'signed-in' : 'signed-out');
    item.hidden =
      !shown ||
      (item.dataset.secretariat !== undefined && !secretariat) ||
      (item.dataset.mySection !== undefined && !mySection) ||
      (item.dataset.coopilote !== undefined && !coopilote) ||
      (item.dataset.auditOnly !== undefined && !auditOnly) ||
      (suspended && item.dataset.when === 'signed-in' && !item.querySelector('[data-sign-out]'));
  }
}

window.addEventListener(ME_EVENT, (event) => {
  const member = (event as CustomEvent<Profile>).detail;
  secretariat = hasSecretariat(member);
  coopilote = member.roles.coopilote;
  auditOnly = member.roles.admin && !member.roles.coopilote;
  suspended = member.state === 'suspended';
  mySection = member.section?.id ?? member.roles.secretaryOf[0] ?? null;
  render();
});

/**
 * The badge of « Notifications »: the count is shown, and the link is named « Notifications, 3 non
 * lues » (a label that starts with the visible word, so voice control finds it).
 */
function showUnread(count: number): void {
  for (const link of document.querySelectorAll<HTMLElement>('[data-notifications-link]')) {
    const badge = link.querySelector<HTMLElement>('[data-unread-count]');
    if (badge) {
      badge.textContent = count > 99 ? '99+' : String(count);
      badge.hidden = count === 0;
    }
    if (count === 0) link.removeAttribute('aria-label');
    else link.setAttribute('aria-label', `Notifications, ${unreadText(count)}`);
  }
}

window.addEventListener(UNREAD_EVENT, (event) => showUnread((event as CustomEvent<number>).detail));

function loadUnread(fresh = false): void {
  loadNotifications(null, fresh).catch(() => {
    // No count without a usable session or API: the link still leads to the notifications.
  });
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
window.addEventListener('pageshow', (event) => {
  render();
  // Back to a page kept in the back-forward cache: its unread count may have changed since.
  if (event.persisted && isSignedIn()) loadUnread(true);
});
render();
if (isSignedIn()) {
  // The page's script may need the profile too: whoever asks first fetches it, once.
  loadMe().catch(() => {
    // No secretariat link without a usable session; the page says what went wrong.
  });
  loadUnread();
}
