/** The French words and date formats every page uses for the same facts. */
import type { Mandate, Membership, Visibility } from './api.ts';

export const MEMBERSHIP_LABELS: Record<Membership, string> = {
  adherent: 'Adhérent·e PS',
  mjs: 'Membre du MJS',
  sympathisant: 'Sympathisant·e',
};

/** Short names of the visibility levels, for tables and summaries. */
export const VISIBILITY_SHORT: Record<Visibility, string> = {
  section: 'Ma section uniquement',
  adherents: 'Les adhérent·es',
  all: 'Tous les membres',
};

/** The same levels seen by a secretary, about someone else. */
export const VISIBILITY_OF_MEMBER: Record<Visibility, string> = {
  section: 'Section uniquement',
  adherents: 'Adhérent·es',
  all: 'Tous les membres',
};

export function membershipLabel(membership: string): string {
  return MEMBERSHIP_LABELS[membership as Membership] ?? membership;
}

export function fullName(person: { firstName: string; lastName: string }): string {
  return `${person.firstName} ${person.lastName}`;
}

const PARIS = 'Europe/Paris';
const dateTimeFormat = new Intl.DateTimeFormat('fr-FR', {
  timeZone: PARIS,
  dateStyle: 'long',
  timeStyle: 'short',
});
const dayFormat = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** An instant, as read in France: « 12 mars 2026 à 14:05 ». */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

/** A calendar day `YYYY-MM-DD` (no time zone to shift it): « 1 mars 2020 ». */
export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : dayFormat.format(date);
}

/** « depuis le 1 mars 2020 » or « du 1 mars 2020 au 30 juin 2026 ». */
export function mandatePeriod(mandate: Pick<Mandate, 'startDate' | 'endDate'>): string {
  return mandate.endDate
    ? `du ${formatDay(mandate.startDate)} au ${formatDay(mandate.endDate)}`
    : `depuis le ${formatDay(mandate.startDate)}`;
}

/** An element with text, built without innerHTML (names and bios are the members' own words). */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}
