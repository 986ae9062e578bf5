import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { mayManageEvent, mayOrganiseEvent, maySeeAttendee } from '../../auth/policy.ts';
import { failedConditionIndex, getAll, type TxWrite, transact } from '../../data/client.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import {
  type AgendaEvent,
  cancelEventWrite,
  eventWithAnswers,
  getEvent,
  newEventWrites,
  type Rsvp,
  saveEventWrite,
} from '../../data/events.ts';
import {
  type Group,
  type GroupMembership,
  groupFromItem,
  groupKey,
  groupMembershipCheck,
  groupMembershipKey,
  membershipFromItem,
} from '../../data/groups.ts';
import type { Audience } from '../../data/posts.ts';
import { sectionFromItem, sectionKey } from '../../data/sections.ts';
import { queueTaskWrite } from '../../data/tasks.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import { LOCAL_DATE_TIME, parisToUtc } from '../../time.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { AudienceInput } from '../posts/posts.ts';
import { freeText } from '../schemas.ts';
import { EVENT_FANOUT_TASK, EVENT_PROMOTE_TASK, type FanOutReason } from './fan-out.ts';
import {
  type EventView,
  eventView,
  type LoadedEvents,
  loadEventsFor,
  mayReadEvent,
  type PersonView,
  personView,
  relationTo,
} from './view.ts';

/**
 * Events (SPEC §4, issue 6): a title, a description, a start and an end typed in Paris time and
 * stored in UTC, a place or an online link, an audience (the audiences of posts, the organiser as
 * the author: ADR 008, ADR 010) and an optional capacity. Creating one queues its fan-out (the
 * circle's agendas and `event.new`); changing its time or place, or cancelling it, queues the
 * notices to the members who answered.
 */

const LocalDateTime = z
  .string()
  .check(z.regex(LOCAL_DATE_TIME, 'Date et heure attendues au format AAAA-MM-JJTHH:mm (heure de Paris).'));
const Title = z.pipe(freeText(150), z.string().check(z.minLength(1, 'Donnez un titre à l’évènement.')));
const Url = z.string().check(
  z.trim(),
  z.maxLength(500, 'Lien trop long : 500 caractères au plus.'),
  z.refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'Lien invalide : une adresse commençant par https:// est attendue.'),
);
const Capacity = z
  .int()
  .check(
    z.gte(1, 'La capacité est d’au moins une place.'),
    z.lte(10_000, 'La capacité est de 10 000 places au plus.'),
  );

const eventFields = {
  title: Title,
  description: z.optional(freeText(5000)),
  /** Paris wall-clock times, as a form sends them. */
  start: LocalDateTime,
  end: LocalDateTime,
  location: z.optional(z.nullable(freeText(300))),
  onlineUrl: z.optional(z.nullable(Url)),
  /** Places for « oui »; absent or null = no limit. */
  capacity: z.optional(z.nullable(Capacity)),
};

export const EventInput = z.strictObject({ audience: AudienceInput, ...eventFields });
export const EditEventInput = z.strictObject(eventFields);
export const AttendeesQuery = z.strictObject({ cursor: z.optional(z.string().check(z.maxLength(1024))) });

const NOT_FOUND = () =>
  new NotFoundError('event.not_found', 'Cet évènement n’existe pas ou ne vous est pas visible.');

const REFUSALS = {
  visibility_too_low: () =>
    new ForbiddenError(
      'event.visibility_too_low',
      'Pour organiser un évènement, choisissez d’abord d’être visible des adhérent·es ou de tous (Paramètres).',
    ),
  audience_wider_than_profile: () =>
    new ForbiddenError(
      'event.audience_wider_than_profile',
      'Cet évènement serait vu par des membres qui ne voient pas votre profil : rendez votre profil visible de tous, ou choisissez un autre public.',
    ),
  not_in_audience: () =>
    new ForbiddenError(
      'event.not_in_audience',
      'Vous ne pouvez pas organiser d’évènement à cet endroit (réservé aux adhérent·es confirmé·es de la section, ou aux membres du groupe).',
    ),
} as const;

/** An event lasts at most this long (a congress, a summer school). */
const MAX_DAYS = 31;
/** Answers shown with the event; the next ones come with the cursor. */
const ANSWERS_PAGE = 30;

/** The UTC times of a Paris start and end; refuses what is not a real Paris time (the DST gap). */
function timesOf(input: { start: string; end: string }): { startAt: string; endAt: string } {
  const startAt = parisToUtc(input.start);
  if (!startAt)
    throw new ValidationError(
      'event.invalid_time',
      'Cette date ou cette heure n’existe pas à Paris (par exemple pendant le passage à l’heure d’été).',
      'start',
    );
  const endAt = parisToUtc(input.end);
  if (!endAt)
    throw new ValidationError(
      'event.invalid_time',
      'Cette date ou cette heure n’existe pas à Paris (par exemple pendant le passage à l’heure d’été).',
      'end',
    );
  if (endAt <= startAt)
    throw new ValidationError('event.end_before_start', 'La fin doit venir après le début.', 'end');
  if (Date.parse(endAt) - Date.parse(startAt) > MAX_DAYS * 24 * 3600 * 1000)
    throw new ValidationError('event.too_long', `Un évènement dure ${MAX_DAYS} jours au plus.`, 'end');
  return { startAt, endAt };
}

/** A place, or a link, or both (SPEC §4: « lieu ou lien »). */
function whereOf(input: { location?: string | null | undefined; onlineUrl?: string | null | undefined }) {
  const location = input.location?.trim() ? input.location.trim() : null;
  const onlineUrl = input.onlineUrl?.trim() ? input.onlineUrl.trim() : null;
  if (!location && !onlineUrl)
    throw new ValidationError(
      'event.place_required',
      'Indiquez un lieu ou un lien pour y participer en ligne.',
      'location',
    );
  return { location, onlineUrl };
}

/** The name shown with the event (its section or group) and the organiser's group membership. */
async function placeOf(
  actor: Actor,
  audience: Audience,
): Promise<{ placeName: string | null; membership?: GroupMembership }> {
  if (audience.kind === 'group') {
    const items = await getAll(
      [groupKey(audience.groupId), groupMembershipKey(audience.groupId, actor.memberId)],
      true,
    );
    let group: Group | undefined;
    let membership: GroupMembership | undefined;
    for (const item of items) {
      if (item.type === 'group') group = groupFromItem(item);
      else if (item.type === 'group-membership') membership = membershipFromItem(item);
    }
    if (!group) throw REFUSALS.not_in_audience();
    return { placeName: group.name, ...(membership ? { membership } : {}) };
  }
  if (audience.kind === 'section-public' || audience.kind === 'section-private') {
    // The name of the organiser's own section is on their item; another's (a secretary of
    // several sections) is read.
    if (actor.member.sectionId === audience.sectionId) return { placeName: actor.member.sectionName };
    const [item] = await getAll([sectionKey(audience.sectionId)], true);
    if (!item) throw REFUSALS.not_in_audience();
    return { placeName: sectionFromItem(item).name };
  }
  return { placeName: null };
}

/** The fan-out task of an event (ADR 007): the circle's agendas and notices, a page at a time. */
function fanOutTask(
  id: string,
  event: AgendaEvent,
  reason: FanOutReason,
  actorId: string,
  now: Date,
  fromStart?: string,
): TxWrite {
  return queueTaskWrite(
    {
      id,
      kind: EVENT_FANOUT_TASK,
      payload: {
        eventId: event.id,
        reason,
        rev: event.rev,
        actorId,
        ...(fromStart && fromStart !== event.startAt ? { fromStart } : {}),
      },
    },
    now,
  );
}

/** The task that moves the first waiters up when places free (ADR 007). */
export function promoteTask(id: string, eventId: string, now: Date): TxWrite {
  return queueTaskWrite({ id, kind: EVENT_PROMOTE_TASK, payload: { eventId } }, now);
}

/**
 * Creates an event (SPEC §4): the policy decides where the member may organise; the event, the
 * organiser's own agenda entry and the fan-out task (the circle's agendas and `event.new`) are one
 * transaction. 3 round trips at most: state, place (a group, another section), write.
 */
export async function createEvent(
  actor: Actor,
  input: z.infer<typeof EventInput>,
  deps: Deps = defaultDeps,
): Promise<EventView> {
  const now = deps.now();
  const { startAt, endAt } = timesOf(input);
  if (Date.parse(startAt) <= now.getTime())
    throw new ValidationError('event.in_the_past', 'L’évènement doit commencer dans le futur.', 'start');
  const where = whereOf(input);
  const place = await placeOf(actor, input.audience);
  const refusal = mayOrganiseEvent(actor.member, input.audience, { group: place.membership });
  if (refusal) throw REFUSALS[refusal]();
  const at = now.toISOString();
  const event: AgendaEvent = {
    id: deps.newId(),
    organiserId: actor.memberId,
    audience: input.audience,
    placeName: place.placeName,
    title: input.title,
    description: input.description ?? '',
    startAt,
    endAt,
    ...where,
    capacity: input.capacity ?? null,
    going: 0,
    maybe: 0,
    waiting: 0,
    cancelled: false,
    cancelledAt: null,
    createdAt: at,
    updatedAt: at,
    rev: 0,
  };
  await transact([...newEventWrites(event), fanOutTask(event.id, event, 'new', actor.memberId, now)]);
  return eventView(actor, event, loadedWith(actor, place.membership), now);
}

const loadedWith = (actor: Actor, membership?: GroupMembership): LoadedEvents => ({
  events: new Map(),
  members: new Map([[actor.memberId, actor.member]]),
  groups: new Map(membership ? [[membership.groupId, membership]] : []),
  answers: new Map(),
  extra: [],
});

export interface AttendeeView {
  member: PersonView;
  answer: 'yes' | 'maybe' | 'waiting';
  at: string;
}

/** The answers the viewer may see (SPEC §2: a hidden member's only by the organiser and secretaries). */
function attendeeViews(
  actor: Actor,
  event: AgendaEvent,
  answers: readonly Rsvp[],
  loaded: LoadedEvents,
  now: Date,
) {
  return answers.flatMap((a): AttendeeView[] => {
    const member = loaded.members.get(a.memberId);
    if (!member || a.status === 'no') return [];
    const relation = relationTo(actor, a.memberId, event.audience, loaded);
    if (!maySeeAttendee(actor.member, member, event, relation, now)) return [];
    return [{ member: personView(member), answer: a.status, at: a.at }];
  });
}

/**
 * An event the viewer may read, with a page of the answers they may see; 404 otherwise (existence
 * not revealed). The first page comes with the event in one Query; a later page starts after the
 * cursor, and the event is fetched in the BatchGet of the members (each answer names its event's
 * organiser and audience, so that one BatchGet has every key). 3 round trips.
 */
async function readableEvent(actor: Actor, eventId: string, now: Date, startKey?: Record<string, unknown>) {
  const page = await eventWithAnswers(eventId, { limit: ANSWERS_PAGE, ...(startKey ? { startKey } : {}) });
  const first = page.answers[0];
  if (!page.event && !first) {
    if (startKey) return undefined;
    throw NOT_FOUND();
  }
  const refs = page.event
    ? []
    : first
      ? [{ eventId, organiserId: first.organiserId, audience: first.audience }]
      : [];
  const loaded = await loadEventsFor(actor, refs, page.event ? [page.event] : [], {
    answers: true,
    otherMembers: page.answers.map((a) => a.memberId),
  });
  const event = page.event ?? loaded.events.get(eventId);
  if (!event || !mayReadEvent(actor, event, loaded, now)) throw NOT_FOUND();
  return { event, answers: page.answers, lastKey: page.lastKey, loaded };
}

/** E1 + E2 — an event page: the event, the viewer's answer and the first answers they may see. */
export async function getEventPage(
  actor: Actor,
  eventId: string,
  deps: Deps = defaultDeps,
): Promise<{ event: EventView; attendees: AttendeeView[]; cursor: string | null }> {
  const now = deps.now();
  const found = await readableEvent(actor, eventId, now);
  if (!found) throw NOT_FOUND();
  return {
    event: eventView(actor, found.event, found.loaded, now),
    attendees: attendeeViews(actor, found.event, found.answers, found.loaded, now),
    cursor: encodeCursor(found.lastKey),
  };
}

/** E2 — the next pages of answers. */
export async function listAttendees(
  actor: Actor,
  eventId: string,
  query: z.infer<typeof AttendeesQuery>,
  deps: Deps = defaultDeps,
): Promise<{ items: AttendeeView[]; cursor: string | null }> {
  const now = deps.now();
  const found = await readableEvent(actor, eventId, now, startKeyOf(query.cursor));
  if (!found) return { items: [], cursor: null };
  return {
    items: attendeeViews(actor, found.event, found.answers, found.loaded, now),
    cursor: encodeCursor(found.lastKey),
  };
}

/**
 * The event for a change by one who manages it (SPEC §4): its organiser, the secretary of its
 * section, a group's admins (their role is checked when the write commits). Anyone else gets the
 * 404 of an event they cannot see (whether they can is not worth a read here).
 */
async function eventToManage(
  actor: Actor,
  eventId: string,
): Promise<{ event: AgendaEvent; checks: TxWrite[] }> {
  const event = await getEvent(eventId);
  if (!event) throw NOT_FOUND();
  if (mayManageEvent(actor.member, event, {})) return { event, checks: [] };
  if (event.audience.kind === 'group')
    return { event, checks: [groupMembershipCheck(event.audience.groupId, actor.memberId, { admin: true })] };
  throw NOT_FOUND();
}

const CANCELLED = () => new ConflictError('event.cancelled', 'Cet évènement est annulé.');
const CHANGED = () =>
  new ConflictError(
    'event.conflict',
    'Cet évènement a changé entre-temps : rechargez la page et recommencez.',
  );

/**
 * Edits an event. A change of time or place bumps its revision and queues the notices to the
 * members who answered (`event.changed`) and the move of the agenda entries; more places (or no
 * limit any more) queue the promotion of the waiting list. 3 round trips: state, event, write
 * (the page reads the event again: naming an organiser who is not the editor would cost a fourth).
 */
export async function editEvent(
  actor: Actor,
  eventId: string,
  input: z.infer<typeof EditEventInput>,
  deps: Deps = defaultDeps,
): Promise<void> {
  const now = deps.now();
  const { event, checks } = await eventToManage(actor, eventId);
  if (event.cancelled) throw CANCELLED();
  const { startAt, endAt } = timesOf(input);
  if (Date.parse(endAt) <= now.getTime())
    throw new ValidationError('event.in_the_past', 'L’évènement doit finir dans le futur.', 'end');
  const where = whereOf(input);
  const capacity = input.capacity ?? null;
  if (capacity !== null && capacity < event.going)
    throw new ConflictError(
      'event.capacity_below_going',
      `${event.going} personnes ont déjà répondu « oui » : la capacité ne peut pas être inférieure.`,
    );
  const moved = startAt !== event.startAt || endAt !== event.endAt;
  const relocated = where.location !== event.location || where.onlineUrl !== event.onlineUrl;
  const after: AgendaEvent = {
    ...event,
    title: input.title,
    description: input.description ?? '',
    startAt,
    endAt,
    ...where,
    capacity,
    updatedAt: now.toISOString(),
    rev: moved || relocated ? event.rev + 1 : event.rev,
  };
  const morePlaces =
    event.capacity !== null && event.waiting > 0 && (capacity === null || capacity > event.capacity);
  try {
    await transact([
      saveEventWrite(event, after),
      ...checks,
      ...(moved || relocated
        ? [fanOutTask(deps.newId(), after, 'changed', actor.memberId, now, event.startAt)]
        : []),
      ...(morePlaces ? [promoteTask(deps.newId(), event.id, now)] : []),
    ]);
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === 0) throw CHANGED();
    if (failed > 0 && failed <= checks.length) throw NOT_FOUND();
    throw error;
  }
}

/**
 * Cancels an event: it stays on the agendas, marked cancelled (calendars show STATUS:CANCELLED),
 * and the members who answered « oui », « peut-être » or wait are told (`event.cancelled`) by the
 * fan-out task. 3 round trips.
 */
export async function cancelEvent(actor: Actor, eventId: string, deps: Deps = defaultDeps): Promise<void> {
  const now = deps.now();
  const { event, checks } = await eventToManage(actor, eventId);
  if (event.cancelled) throw CANCELLED();
  const at = now.toISOString();
  const after: AgendaEvent = {
    ...event,
    cancelled: true,
    cancelledAt: at,
    updatedAt: at,
    rev: event.rev + 1,
  };
  try {
    await transact([
      cancelEventWrite(event, at),
      ...checks,
      fanOutTask(deps.newId(), after, 'cancelled', actor.memberId, now),
    ]);
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === 0) throw CHANGED();
    if (failed > 0 && failed <= checks.length) throw NOT_FOUND();
    throw error;
  }
}
