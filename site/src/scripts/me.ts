/**
 * The signed-in member, loaded once per page (`GET /api/me`) and shared by the page's script and
 * the navigation, and the way member pages send a visitor without a session to sign in.
 */
import { ApiError, apiFetch, type Profile } from './api.ts';
import { isSignedIn } from './session.ts';

/** Fired on `window` with the new profile whenever the page learns it. */
export const ME_EVENT = 'coopol:me';

let current: Promise<Profile> | null = null;

/** My profile; the first caller fetches it, the others share the answer. */
export function loadMe(): Promise<Profile> {
  if (!current) {
    const loading = apiFetch<{ member: Profile }>('/api/me').then(({ member }) => {
      window.dispatchEvent(new CustomEvent<Profile>(ME_EVENT, { detail: member }));
      return member;
    });
    loading.catch(() => {
      if (current === loading) current = null;
    });
    current = loading;
  }
  return current;
}

/** Keeps the profile an update answered (so the navigation follows a role or section change). */
export function rememberMe(member: Profile): void {
  current = Promise.resolve(member);
  window.dispatchEvent(new CustomEvent<Profile>(ME_EVENT, { detail: member }));
}

/** May this member open the secretariat (a section's secretary, or an admin)? */
export function hasSecretariat(member: Profile): boolean {
  return member.roles.secretaryOf.length > 0 || member.roles.admin;
}

/**
 * Sends the visitor to the sign-in page, which brings them back here afterwards (a path of this
 * site only; `/fil/` is where sign-in leads anyway).
 */
export function toSignIn(reason: 'requise' | 'expiree'): void {
  const back = `${window.location.pathname}${window.location.search}`;
  const params = new URLSearchParams({ session: reason });
  if (window.location.pathname !== '/fil/') params.set('retour', back);
  window.location.replace(`/connexion/?${params}`);
}

/** False (and on its way to sign-in) when the tab has no session. */
export function requireSession(): boolean {
  if (isSignedIn()) return true;
  toSignIn('requise');
  return false;
}

/** A 401 that survived the refresh: the session is over. */
export function isSessionLost(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** A French message for any failure. */
export function messageOf(error: unknown): string {
  return error instanceof ApiError
    ? error.message
    : 'Une erreur inattendue est survenue. Réessayez dans un instant.';
}
