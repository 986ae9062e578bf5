/**
 * Welcoming newcomers (issue 11): the « Premiers pas » card on the fil (for a member whose account
 * is less than 30 days old, until they hide it), the link to the tour in a welcome message, and
 * the list of newcomers for the coopilotes and the secretaries (docs/api.md « Newcomers »).
 */
import { apiFetch, type Membership, type Profile } from './api.ts';
import { element } from './labels.ts';

/** The tour's address. */
export const FIRST_STEPS_PATH = '/bienvenue/';

const NEW_FOR_MS = 30 * 24 * 3600 * 1000;

/** Is the account less than 30 days old? */
export function isNewMember(member: Pick<Profile, 'createdAt'>, now = Date.now()): boolean {
  const created = Date.parse(member.createdAt);
  return !Number.isNaN(created) && now - created < NEW_FOR_MS;
}

/**
 * The card's dismissal is remembered in this browser only (localStorage, one key per member), until
 * sign-out, which clears the storage (a shared computer keeps no trace of the member): it is a
 * convenience, not a setting — another browser, or the next sign-in, shows the card again.
 */
const dismissalKey = (memberId: string) => `coopol:premiers-pas-masques:${memberId}`;

export function firstStepsDismissed(memberId: string): boolean {
  try {
    return window.localStorage.getItem(dismissalKey(memberId)) === 'oui';
  } catch {
    return false;
  }
}

export function dismissFirstSteps(memberId: string): void {
  try {
    window.localStorage.setItem(dismissalKey(memberId), 'oui');
  } catch {
    // Storage refused (private browsing): the card stays hidden on this page only.
  }
}

/**
 * A message's text as a paragraph, where the tour's address — written in the section's default
 * welcome — becomes a link. Only that exact path of this site: members' words stay plain text.
 */
export function messageTextWithTourLink(text: string, className: string): HTMLParagraphElement {
  const p = element('p', undefined, className);
  const parts = text.split(/(?<=^|\s)(\/bienvenue\/)(?=$|[\s.,;:!?)])/);
  for (const [i, part] of parts.entries()) {
    if (i % 2 === 1) {
      const link = element('a', 'Premiers pas sur la coopol');
      link.href = FIRST_STEPS_PATH;
      p.append(link);
    } else if (part) p.append(part);
  }
  return p;
}

// ————— The newcomers list —————

export interface NewcomerCard {
  id: string;
  firstName: string;
  lastName: string;
  membership: Membership;
  joinedAt: string;
}

export interface NewcomerGroup {
  section: { id: string; name: string } | null;
  members: NewcomerCard[];
}

export interface Newcomers {
  sectionId: string | null;
  since: string;
  groups: NewcomerGroup[];
  more: boolean;
}

/** The newcomers: party-wide (a coopilote, no section) or one section's. */
export function loadNewcomers(sectionId: string | null): Promise<Newcomers> {
  const query = sectionId ? `?${new URLSearchParams({ section: sectionId })}` : '';
  return apiFetch<Newcomers>(`/api/newcomers${query}`);
}

/** The address of the newcomers page, for one section or the whole party. */
export function newcomersHref(sectionId?: string): string {
  return sectionId ? `/nouveaux/?${new URLSearchParams({ section: sectionId })}` : '/nouveaux/';
}
