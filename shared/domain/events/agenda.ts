import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { inAdherentsCircle } from '../../auth/policy.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import { type AgendaSource, agendaOf, eventsOn, type Range } from '../../data/events.ts';
import { sectionFromItem, sectionKey } from '../../data/sections.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { parisToUtc, utcToParis } from '../../time.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { calendarDay } from '../schemas.ts';
import { type EventView, loadEventsFor, readableViews } from './view.ts';

/**
 * The agendas (SPEC §4, issue 6): the member's own (the events of their section, their groups and
 * their coopains that the fan-out brought, their own, the ones they answered), the party's (events
 * to every member, and to the adherents for the adherents circle — ADR 010, as « Toute la coopol »
 * for posts), a section's and a group's. Each is one Query on a date range and one BatchGet (the
 * base events, their organisers, the viewer's group memberships and own answers), then the policy:
 * with the state check, 3 round trips a page. A page can be shorter than asked when entries were
 * dropped (the event moved, the relation changed): follow the cursor.
 */

const Day = calendarDay();

export const AgendaQuery = z.strictObject({
  /** First day (Paris), included; today by default. */
  from: z.optional(Day),
  /** Last day (Paris), included; a year after `from` by default. */
  to: z.optional(Day),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});

/** Events per page: with their organisers, memberships and answers, one BatchGet of ≤ 100 keys. */
const PAGE = 20;

/** The day after a `YYYY-MM-DD` day, as a calendar date (no time zone involved). */
function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The UTC range of Paris days `from`…`to` (both included): from midnight to the next midnight. */
export function rangeOf(
  query: { from?: string | undefined; to?: string | undefined },
  now: Date,
): {
  fromUtc: string;
  toUtc: string;
} {
  const from = query.from ?? utcToParis(now.toISOString()).slice(0, 10);
  const fromUtc = parisToUtc(`${from}T00:00`);
  if (!fromUtc) throw new ValidationError('agenda.invalid_day', 'Cette date n’existe pas.', 'from');
  const lastDay =
    query.to ?? new Date(Date.parse(`${from}T00:00:00Z`) + 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const toUtc = parisToUtc(`${nextDay(lastDay)}T00:00`);
  if (!toUtc) throw new ValidationError('agenda.invalid_day', 'Cette date n’existe pas.', 'to');
  if (toUtc <= fromUtc)
    throw new ValidationError(
      'agenda.invalid_range',
      'La fin de la période doit venir après son début.',
      'to',
    );
  return { fromUtc, toUtc };
}

interface AgendaPage {
  items: EventView[];
  cursor: string | null;
  /** The period shown, in Paris days and in UTC. */
  range: { from: string; to: string; fromUtc: string; toUtc: string };
}

function pageRange(query: z.infer<typeof AgendaQuery>, now: Date): Range & { view: AgendaPage['range'] } {
  const { fromUtc, toUtc } = rangeOf(query, now);
  const startKey = startKeyOf(query.cursor);
  return {
    fromUtc,
    toUtc,
    limit: PAGE,
    ...(startKey ? { startKey } : {}),
    view: {
      from: utcToParis(fromUtc).slice(0, 10),
      to: utcToParis(new Date(Date.parse(toUtc) - 1).toISOString()).slice(0, 10),
      fromUtc,
      toUtc,
    },
  };
}

/**
 * E1 — « Mon agenda »: what reached the member's agenda, by start. An entry is shown only while
 * it points at the event's current start (a moved event's old entry is dropped; its fan-out puts
 * a new one) and the member may read the event now (a block or a change of audience since).
 */
export async function myAgenda(
  actor: Actor,
  query: z.infer<typeof AgendaQuery>,
  deps: Deps = defaultDeps,
): Promise<AgendaPage> {
  const now = deps.now();
  const { view, ...range } = pageRange(query, now);
  const page = await agendaOf(actor.memberId, range);
  const loaded = await loadEventsFor(actor, page.entries, [], { answers: true });
  const events = page.entries.flatMap((e) => {
    const event = loaded.events.get(e.eventId);
    return event && event.startAt === e.startAt ? [event] : [];
  });
  return {
    items: readableViews(actor, events, loaded, now),
    cursor: encodeCursor(page.lastKey),
    range: view,
  };
}

/** Reads a list of events from an index, then their base items (the index may lag): one BatchGet. */
async function fromIndex(
  actor: Actor,
  source: AgendaSource,
  query: z.infer<typeof AgendaQuery>,
  now: Date,
  extraKeys: Record<string, unknown>[] = [],
) {
  const { view, ...range } = pageRange(query, now);
  const page = await eventsOn(source, range);
  const refs = page.events.map((e) => ({ eventId: e.id, organiserId: e.organiserId, audience: e.audience }));
  const loaded = await loadEventsFor(actor, refs, [], { answers: true, extraKeys });
  const events = page.events.flatMap((e) => {
    const base = loaded.events.get(e.id);
    return base && base.startAt >= range.fromUtc && base.startAt < range.toUtc ? [base] : [];
  });
  return {
    page: {
      items: readableViews(actor, events, loaded, now),
      cursor: encodeCursor(page.lastKey),
      range: view,
    },
    extra: loaded.extra,
  };
}

/** E1 — « Toute la coopol »: events to every member, and to the adherents for the adherents circle. */
export async function partyAgenda(
  actor: Actor,
  query: z.infer<typeof AgendaQuery>,
  deps: Deps = defaultDeps,
): Promise<AgendaPage> {
  const tier = inAdherentsCircle(actor.member) ? 'ADH' : 'ALL';
  return (await fromIndex(actor, { kind: 'party', tier }, query, deps.now())).page;
}

/** E1 — a section's agenda: its public events for every member, its private ones for its circle. */
export async function sectionAgenda(
  actor: Actor,
  sectionId: string,
  query: z.infer<typeof AgendaQuery>,
  deps: Deps = defaultDeps,
): Promise<AgendaPage & { section: { id: string; name: string } }> {
  const { page, extra } = await fromIndex(actor, { kind: 'section', sectionId }, query, deps.now(), [
    sectionKey(sectionId),
  ]);
  const [section] = extra;
  if (!section) throw new NotFoundError('section.not_found', 'Section introuvable.');
  return { section: { id: sectionId, name: sectionFromItem(section).name }, ...page };
}

/** E1 — a group's agenda, for its members (anyone else gets an empty page: nothing is revealed). */
export async function groupAgenda(
  actor: Actor,
  groupId: string,
  query: z.infer<typeof AgendaQuery>,
  deps: Deps = defaultDeps,
): Promise<AgendaPage> {
  return (await fromIndex(actor, { kind: 'group', groupId }, query, deps.now())).page;
}
