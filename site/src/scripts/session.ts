/**
 * The browser side of a session. Only the short-lived ID token is kept, in sessionStorage (it dies
 * with the tab); the refresh token is an HttpOnly cookie set by the API that no script can read.
 */

const TOKEN_KEY = 'coopol.idToken';
/** The address being confirmed, carried from sign-up to confirmation and sign-in (never in a URL). */
const PENDING_EMAIL_KEY = 'coopol.pendingEmail';
/** Fired on `window` whenever the signed-in state changes, so the navigation can follow. */
export const SESSION_EVENT = 'coopol:session';

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage can be disabled by the browser's privacy settings.
    return null;
  }
}

export function getToken(): string | null {
  return storage()?.getItem(TOKEN_KEY) ?? null;
}

export function setToken(token: string): void {
  storage()?.setItem(TOKEN_KEY, token);
  window.dispatchEvent(new Event(SESSION_EVENT));
}

/** Forgets the token only (a session that could not be refreshed). */
export function dropToken(): void {
  storage()?.removeItem(TOKEN_KEY);
  window.dispatchEvent(new Event(SESSION_EVENT));
}

/**
 * Forgets everything this site keeps in the browser (sign-out, account deletion): the tab's
 * sessionStorage (token, pending address, drafts) and the origin's localStorage, where a page may
 * remember a member's choice under their id (the « Premiers pas » card) — on a shared computer it
 * would tell the next user that a member of the party used it. The refresh cookie is HttpOnly:
 * the API clears it (and revokes the token) on `POST /api/auth/sign-out`.
 */
export function clearSession(): void {
  storage()?.clear();
  try {
    window.localStorage.clear();
  } catch {
    // Storage disabled by the browser's privacy settings: nothing was kept there.
  }
  window.dispatchEvent(new Event(SESSION_EVENT));
}

export function isSignedIn(): boolean {
  return getToken() !== null;
}

export function getPendingEmail(): string | null {
  return storage()?.getItem(PENDING_EMAIL_KEY) ?? null;
}

export function setPendingEmail(email: string): void {
  storage()?.setItem(PENDING_EMAIL_KEY, email);
}

export function clearPendingEmail(): void {
  storage()?.removeItem(PENDING_EMAIL_KEY);
}
