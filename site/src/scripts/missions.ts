/**
 * Missions (issue 6, docs/api.md « Missions »): the API's shapes, the calls, the French words and
 * the cards. Times are read in Paris; every member's text is set with `textContent`.
 */
import { apiFetch, type Page } from './api.ts';
import { formatSpan, formatTime, formatWhen, parisDayOf, sectionLabel } from './events.ts';
import { element, fullName } from './labels.ts';

export const MISSION_KINDS = ['tractage', 'porte-a-porte', 'phoning', 'collage', 'reunion', 'autre'] as const;
export type MissionKind = (typeof MISSION_KINDS)[number];

export const KIND_LABELS: Record<MissionKind, string> = {
  tractage: 'Tractage',
  'porte-a-porte': 'Porte-à-porte',
  phoning: 'Phoning',
  collage: 'Collage d’affiches',
  reunion: 'Réunion',
  autre: 'Autre',
};

export type MissionAudience =
  | { kind: 'section-public'; sectionId: string }
  | { kind: 'section-private'; sectionId: string }
  | { kind: 'group'; groupId: string };

export interface Person {
  id: string;
  firstName: string;
  lastName: string;
}

/** `MissionCard`. */
export interface MissionCard {
  id: string;
  title: string;
  kind: MissionKind;
  place: string;
  placeName: string;
  audience: MissionAudience;
  organiser: Person | null;
  status: 'open' | 'done' | 'cancelled';
  start: string;
  end: string;
  startsAt: string;
  endsAt: string;
  needed: number;
  signedUp: number;
  closedAt: string | null;
  cancelReason: string | null;
}

export interface Volunteer extends Person {
  attended?: boolean | null;
}

export interface SlotView {
  id: string;
  start: string;
  end: string;
  startsAt: string;
  endsAt: string;
  needed: number;
  signedUp: number;
  mine: boolean;
  open: boolean;
  volunteers: Volunteer[];
}

/** `MissionDetail`. */
export interface MissionDetail extends MissionCard {
  description: string;
  slots: SlotView[];
  can: { manage: boolean; signUp: boolean };
}

/** A line of « Mes inscriptions ». */
export interface MySignUp {
  mission: MissionCard;
  slot: { id: string; start: string; end: string; startsAt: string; endsAt: string };
  at: string;
  attended: boolean | null;
}

export function missionHref(missionId: string): string {
  return `/mission/?id=${encodeURIComponent(missionId)}`;
}

export function missionPath(missionId: string, rest = ''): string {
  return `/api/missions/${encodeURIComponent(missionId)}${rest}`;
}

export function slotPath(missionId: string, slotId: string, rest: string): string {
  return missionPath(missionId, `/slots/${encodeURIComponent(slotId)}${rest}`);
}

export function listMissions(
  params: Record<string, string>,
  cursor: string | null,
): Promise<Page<MissionCard>> {
  const query = new URLSearchParams(params);
  if (cursor) query.set('cursor', cursor);
  const qs = query.toString();
  return apiFetch(qs ? `/api/missions?${qs}` : '/api/missions');
}

export function mySignUps(
  cursor: string | null,
  when: 'upcoming' | 'past' = 'upcoming',
): Promise<Page<MySignUp>> {
  const query = new URLSearchParams({ when });
  if (cursor) query.set('cursor', cursor);
  return apiFetch(`/api/me/mission-sign-ups?${query}`);
}

// — Words —

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind as MissionKind] ?? kind;
}

/** « 3 / 5 volontaires ». */
export function coverageLabel(signedUp: number, needed: number): string {
  return `${signedUp.toLocaleString('fr-FR')} / ${needed.toLocaleString('fr-FR')} volontaire${needed > 1 ? 's' : ''}`;
}

/** « Section Paris 11e — son cercle », « Groupe Vélo ». */
export function missionAudienceLabel(mission: Pick<MissionCard, 'audience' | 'placeName'>): string {
  switch (mission.audience.kind) {
    case 'section-public':
      return `${sectionLabel(mission.placeName)} — ouverte à tous les membres`;
    case 'section-private':
      return `${sectionLabel(mission.placeName)} — réservée aux adhérent·es de la section`;
    case 'group':
      return `Groupe ${mission.placeName}`;
  }
}

export function statusLabel(mission: Pick<MissionCard, 'status' | 'endsAt'>): string | null {
  if (mission.status === 'done') return 'Terminée';
  if (mission.status === 'cancelled') return 'Annulée';
  if (Date.parse(mission.endsAt) <= Date.now()) return 'Passée';
  return null;
}

/** A slot's time: « samedi 16 mai 2026, de 09:00 à 12:00 ». */
export function slotLabel(slot: { startsAt: string; endsAt: string }): string {
  return formatSpan(slot.startsAt, slot.endsAt);
}

/** Short: « 09:00–12:00 » (same day) or the full span. */
export function slotShort(slot: { startsAt: string; endsAt: string }): string {
  return parisDayOf(slot.startsAt) === parisDayOf(slot.endsAt)
    ? `${formatTime(slot.startsAt)}–${formatTime(slot.endsAt)}`
    : `${formatWhen(slot.startsAt)} – ${formatWhen(slot.endsAt)}`;
}

/** A bar that shows the coverage (the text beside it says it: the bar is for the eyes only). */
export function coverageBar(signedUp: number, needed: number): HTMLElement {
  const bar = element('span', undefined, 'coverage-bar');
  bar.setAttribute('aria-hidden', 'true');
  const fill = element('span', undefined, 'coverage-fill');
  const ratio = needed > 0 ? Math.min(1, signedUp / needed) : 0;
  // A class per tenth: the CSP forbids inline styles.
  fill.classList.add(`w${Math.round(ratio * 10)}`);
  if (ratio >= 1) fill.classList.add('full');
  bar.append(fill);
  return bar;
}

/** A mission in a list: kind, title (a link), date, place, coverage. */
export function missionCard(mission: MissionCard, extra?: HTMLElement[]): HTMLElement {
  const card = element('article', undefined, 'mission-card');
  card.dataset.missionId = mission.id;
  const top = element('p', undefined, 'mission-top');
  top.append(element('span', kindLabel(mission.kind), 'badge kind'));
  const status = statusLabel(mission);
  if (status)
    top.append(
      ' ',
      element('span', status, `badge ${mission.status === 'cancelled' ? 'stopped' : 'pending'}`),
    );
  const heading = element('h3', undefined, 'mission-title');
  const link = element('a', mission.title);
  link.href = missionHref(mission.id);
  heading.append(link);
  const when = element('p', undefined, 'mission-when');
  const time = element('time', formatSpan(mission.startsAt, mission.endsAt));
  time.dateTime = mission.startsAt;
  when.append(time);
  const where = element('p', `${mission.place} · ${mission.placeName}`, 'mission-where');
  const coverage = element('p', undefined, 'coverage');
  coverage.append(
    coverageBar(mission.signedUp, mission.needed),
    element('span', coverageLabel(mission.signedUp, mission.needed)),
  );
  card.append(top, heading, when, where, coverage, ...(extra ?? []));
  if (mission.organiser)
    card.append(element('p', `Organisée par ${fullName(mission.organiser)}`, 'muted small'));
  return card;
}
