/**
 * Events and agendas (issue 6, docs/api.md « Agenda and events »): the API's shapes, the calls,
 * the French words and dates (always read in Paris), the event cards, the list by day and the
 * month grid. Every text that comes from members (titles, places, names) is set with
 * `textContent`.
 */
import { apiFetch } from './api.ts';
import { element, fullName } from './labels.ts';
import type { Audience } from './posts.ts';
import { groupHref, sectionHref } from './posts.ts';

export type Answer = 'yes' | 'maybe' | 'no' | 'waiting';

export interface Person {
  id: string;
  firstName: string;
  lastName: string;
}

/** `EventView`. */
export interface EventView {
  id: string;
  title: string;
  description: string;
  audience: Audience;
  placeName: string | null;
  /** UTC instants. */
  startAt: string;
  endAt: string;
  /** Paris wall-clock, `YYYY-MM-DDTHH:mm` (what a `datetime-local` input holds). */
  startLocal: string;
  endLocal: string;
  location: string | null;
  onlineUrl: string | null;
  capacity: number | null;
  counts: { going: number; maybe: number; waiting: number };
  placesLeft: number | null;
  cancelled: boolean;
  organiser: Person;
  myAnswer: Answer | null;
  can: { edit: boolean; cancel: boolean; rsvp: boolean };
}

/** `Attendee`. */
export interface Attendee {
  member: Person;
  answer: 'yes' | 'maybe' | 'waiting';
  at: string;
}

export interface AgendaPage {
  items: EventView[];
  cursor: string | null;
  range: { from: string; to: string; fromUtc: string; toUtc: string };
}

/** The body of `events.create` (and, without `audience`, of `events.update`). */
export interface EventInput {
  audience?: Audience;
  title: string;
  description?: string;
  start: string;
  end: string;
  location: string | null;
  onlineUrl: string | null;
  capacity: number | null;
}

export function eventHref(eventId: string): string {
  return `/evenement/?id=${encodeURIComponent(eventId)}`;
}

export function eventPath(eventId: string, rest = ''): string {
  return `/api/events/${encodeURIComponent(eventId)}${rest}`;
}

/** Which agenda a page shows. */
export type AgendaSource =
  | { kind: 'mine' }
  | { kind: 'party' }
  | { kind: 'section'; sectionId: string }
  | { kind: 'group'; groupId: string };

export function agendaPath(source: AgendaSource): string {
  switch (source.kind) {
    case 'mine':
      return '/api/agenda';
    case 'party':
      return '/api/agenda/party';
    case 'section':
      return `/api/sections/${encodeURIComponent(source.sectionId)}/events`;
    case 'group':
      return `/api/groups/${encodeURIComponent(source.groupId)}/events`;
  }
}

/** One page of an agenda between two Paris days (both included). */
export function agendaPage(
  source: AgendaSource,
  range: { from?: string; to?: string },
  cursor: string | null,
): Promise<AgendaPage & { section?: { id: string; name: string } }> {
  const query = new URLSearchParams();
  if (range.from) query.set('from', range.from);
  if (range.to) query.set('to', range.to);
  if (cursor) query.set('cursor', cursor);
  const qs = query.toString();
  return apiFetch(`${agendaPath(source)}${qs ? `?${qs}` : ''}`);
}

/** Every event of a period (a month: a few pages at most; a page can be short with a cursor). */
export async function agendaAll(
  source: AgendaSource,
  range: { from: string; to: string },
): Promise<{ items: EventView[]; section: { id: string; name: string } | null }> {
  const items: EventView[] = [];
  let section: { id: string; name: string } | null = null;
  let cursor: string | null = null;
  for (let pages = 0; pages < 15; pages++) {
    const page: AgendaPage & { section?: { id: string; name: string } } = await agendaPage(
      source,
      range,
      cursor,
    );
    items.push(...page.items);
    section ??= page.section ?? null;
    cursor = page.cursor;
    if (!cursor) break;
  }
  return { items, section };
}

// — Days and times, in Paris —

const PARIS = 'Europe/Paris';
const dayKeyFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: PARIS,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const longDayFormat = new Intl.DateTimeFormat('fr-FR', {
  timeZone: PARIS,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const timeFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, hour: '2-digit', minute: '2-digit' });
const monthFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', month: 'long', year: 'numeric' });
const plainDayFormat = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'UTC',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** Today's date in Paris, `YYYY-MM-DD`. */
export function parisToday(now = new Date()): string {
  return dayKeyFormat.format(now);
}

/** The Paris day of an instant, `YYYY-MM-DD`. */
export function parisDayOf(iso: string): string {
  return dayKeyFormat.format(new Date(iso));
}

/** « mardi 12 mai 2026 » for a Paris day `YYYY-MM-DD` (a calendar day: no zone to shift it). */
export function formatLongDay(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : plainDayFormat.format(date);
}

/** « 19:00 », as read in Paris. */
export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

/** « mardi 12 mai 2026 à 19:00 » (an instant read in Paris). */
export function formatWhen(iso: string): string {
  return `${longDayFormat.format(new Date(iso))} à ${formatTime(iso)}`;
}

/** « mardi 12 mai 2026, de 19:00 à 21:00 », or over several days « du … à 19:00 au … à 12:00 ». */
export function formatSpan(startIso: string, endIso: string): string {
  if (parisDayOf(startIso) === parisDayOf(endIso))
    return `${longDayFormat.format(new Date(startIso))}, de ${formatTime(startIso)} à ${formatTime(endIso)}`;
  return `du ${formatWhen(startIso)} au ${formatWhen(endIso)}`;
}

/** « mai 2026 » for a month `YYYY-MM`. */
export function formatMonth(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? month : monthFormat.format(date);
}

/** The month `YYYY-MM` moved by `delta` months. */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const date = new Date(Date.UTC(y, m - 1 + delta, 1));
  return date.toISOString().slice(0, 7);
}

/** The last day of a month `YYYY-MM`, `YYYY-MM-DD`. */
export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export function isMonth(value: string | null): value is string {
  return value !== null && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

// — Words —

/** « Section Paris 11e » (a section already named « Section … » is not named twice). */
export function sectionLabel(name: string): string {
  return /^section\b/i.test(name) ? name : `Section ${name}`;
}

/** Who is invited, in words. */
export function audienceLabel(event: Pick<EventView, 'audience' | 'placeName'>): string {
  const name = event.placeName ?? '';
  switch (event.audience.kind) {
    case 'all':
      return 'Tous les membres de la coopol';
    case 'adherents':
      return 'Les adhérent·es (PS et MJS)';
    case 'coopains':
      return 'Les coopains de l’organisateur ou de l’organisatrice';
    case 'section-public':
      return `${sectionLabel(name)} — ouvert à tous les membres`;
    case 'section-private':
      return `${sectionLabel(name)} — réservé aux adhérent·es de la section`;
    case 'group':
      return `Groupe ${name}`;
  }
}

/** Where the audience leads (the section's or group's page), or null. */
export function audienceHref(audience: Audience): string | null {
  switch (audience.kind) {
    case 'section-public':
      return sectionHref(audience.sectionId);
    case 'section-private':
      return sectionHref(audience.sectionId, 'private');
    case 'group':
      return groupHref(audience.groupId);
    default:
      return null;
  }
}

export const ANSWER_LABELS: Record<Answer, string> = {
  yes: 'Oui',
  maybe: 'Peut-être',
  no: 'Non',
  waiting: 'Sur liste d’attente',
};

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('fr-FR')} ${count === 1 ? one : many}`;
}

/** « 12 participant·es · 3 peut-être · 2 en attente ». */
export function countsLabel(event: Pick<EventView, 'counts'>): string {
  const parts = [plural(event.counts.going, 'participant·e', 'participant·es')];
  if (event.counts.maybe > 0) parts.push(`${event.counts.maybe.toLocaleString('fr-FR')} peut-être`);
  if (event.counts.waiting > 0) parts.push(`${event.counts.waiting.toLocaleString('fr-FR')} en attente`);
  return parts.join(' · ');
}

/** « 30 places, 4 restantes », « Complet », or null without a limit. */
export function capacityLabel(event: Pick<EventView, 'capacity' | 'placesLeft'>): string | null {
  if (event.capacity === null) return null;
  const total = plural(event.capacity, 'place', 'places');
  if (event.placesLeft === 0) return `${total} — complet`;
  return `${total}, ${plural(event.placesLeft ?? 0, 'restante', 'restantes')}`;
}

/** My answer, as the card says it. */
export function myAnswerLabel(answer: Answer | null): string | null {
  switch (answer) {
    case 'yes':
      return 'Vous participez';
    case 'maybe':
      return 'Vous participerez peut-être';
    case 'no':
      return 'Vous ne participez pas';
    case 'waiting':
      return 'Vous êtes sur liste d’attente';
    default:
      return null;
  }
}

// — Cards —

function whereText(event: Pick<EventView, 'location' | 'onlineUrl'>): string {
  if (event.location && event.onlineUrl) return `${event.location} et en ligne`;
  return event.location ?? 'En ligne';
}

/** An event in a list: time, title (a link), place, audience, counts, my answer. */
export function eventCard(event: EventView, headingLevel: 3 | 4 = 3): HTMLElement {
  const card = element('article', undefined, 'event-card');
  card.dataset.eventId = event.id;
  if (event.cancelled) card.classList.add('cancelled');
  const time = element('p', undefined, 'event-time');
  const start = element('time', formatTime(event.startAt));
  start.dateTime = event.startAt;
  const end = element(
    'time',
    parisDayOf(event.endAt) === parisDayOf(event.startAt) ? formatTime(event.endAt) : formatWhen(event.endAt),
  );
  end.dateTime = event.endAt;
  time.append(start, ' – ', end);
  const heading = element(`h${headingLevel}`, undefined, 'event-title');
  const link = element('a', event.title);
  link.href = eventHref(event.id);
  heading.append(link);
  const body = element('div', undefined, 'event-card-body');
  body.append(heading);
  if (event.cancelled) body.append(element('p', 'Annulé', 'badge stopped'));
  body.append(element('p', whereText(event), 'event-where'));
  const meta = element('p', undefined, 'event-meta');
  meta.append(audienceLabel(event), ' · ', countsLabel(event));
  const capacity = capacityLabel(event);
  if (capacity) meta.append(' · ', capacity);
  body.append(meta);
  const mine = myAnswerLabel(event.myAnswer);
  if (mine) body.append(element('p', mine, `badge ${event.myAnswer === 'no' ? 'pending' : 'ok'}`));
  card.append(time, body);
  return card;
}

/** Appends events to a list grouped by Paris day (`<li>` per day, an `h3` and the day's cards). */
export function appendByDay(list: HTMLElement, events: readonly EventView[]): HTMLElement[] {
  const added: HTMLElement[] = [];
  for (const event of events) {
    if (list.querySelector(`[data-event-id="${CSS.escape(event.id)}"]`)) continue;
    const day = event.startLocal.slice(0, 10);
    let group = list.querySelector<HTMLElement>(`li[data-day="${day}"]`);
    if (!group) {
      group = element('li', undefined, 'agenda-day');
      group.dataset.day = day;
      const heading = element('h3', formatLongDay(day), 'agenda-day-title');
      const dayList = element('ul', undefined, 'event-list');
      group.append(heading, dayList);
      list.append(group);
    }
    const item = element('li');
    item.append(eventCard(event, 4));
    group.querySelector('ul')?.append(item);
    added.push(item);
  }
  return added;
}

const WEEKDAYS = ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche'];
const WEEKDAYS_SHORT = ['Lun.', 'Mar.', 'Mer.', 'Jeu.', 'Ven.', 'Sam.', 'Dim.'];

/**
 * A month as a real table: a caption, the days of the week as column headers (`abbr` gives the
 * full name), one cell per day with its number and its events as links.
 */
export function monthTable(month: string, events: readonly EventView[], today: string): HTMLTableElement {
  const table = element('table', undefined, 'month-grid');
  // The section's heading shows the month already: the caption names the table for screen readers.
  const caption = element('caption', `Évènements de ${formatMonth(month)}`, 'visually-hidden');
  table.append(caption);
  const head = element('thead');
  const headRow = element('tr');
  WEEKDAYS.forEach((name, i) => {
    const th = element('th', WEEKDAYS_SHORT[i]);
    th.scope = 'col';
    th.abbr = name;
    headRow.append(th);
  });
  head.append(headRow);
  table.append(head);

  const byDay = new Map<string, EventView[]>();
  for (const event of events) {
    const day = event.startLocal.slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), event]);
  }
  const body = element('tbody');
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1, 1));
  // Monday first, as in France.
  const offset = (first.getUTCDay() + 6) % 7;
  const days = Number(lastDayOf(month).slice(8, 10));
  let row = element('tr');
  for (let i = 0; i < offset; i++) row.append(element('td', undefined, 'outside'));
  for (let d = 1; d <= days; d++) {
    const day = `${month}-${String(d).padStart(2, '0')}`;
    const cell = element('td');
    if (day === today) {
      cell.classList.add('today');
      cell.setAttribute('aria-current', 'date');
    }
    const number = element('span', String(d), 'day-number');
    const label = formatLongDay(day);
    number.setAttribute('aria-hidden', 'true');
    cell.append(number, element('span', label, 'visually-hidden'));
    const dayEvents = byDay.get(day) ?? [];
    if (dayEvents.length > 0) {
      const list = element('ul', undefined, 'day-events');
      for (const event of dayEvents) {
        const item = element('li');
        const link = element('a');
        link.href = eventHref(event.id);
        const when = element('span', formatTime(event.startAt), 'day-event-time');
        link.append(when, ' ', event.title);
        if (event.cancelled) {
          link.classList.add('cancelled');
          link.append(' (annulé)');
        }
        item.append(link);
        list.append(item);
      }
      cell.append(list);
    }
    row.append(cell);
    if ((offset + d) % 7 === 0) {
      body.append(row);
      row = element('tr');
    }
  }
  if (row.children.length > 0) {
    while (row.children.length < 7) row.append(element('td', undefined, 'outside'));
    body.append(row);
  }
  table.append(body);
  return table;
}

/** The organiser's name. */
export function organiserName(event: Pick<EventView, 'organiser'>): string {
  return fullName(event.organiser);
}
