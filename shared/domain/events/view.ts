import type { Actor } from '../../auth/actor.ts';
import { blockedEitherWay, mayManageEvent, mayReadContent, mayRsvp } from '../../auth/policy.ts';
import { getAll } from '../../data/client.ts';
import {
  type AgendaEvent,
  eventFromItem,
  eventItemKey,
  isEventItem,
  isRsvpItem,
  type Rsvp,
  type RsvpStatus,
  rsvpFromItem,
  rsvpItemKey,
} from '../../data/events.ts';
import { type GroupMembership, groupMembershipKey, membershipFromItem } from '../../data/groups.ts';
import { type Member, memberFromItem, memberKey } from '../../data/members.ts';
import type { Audience } from '../../data/posts.ts';
import { utcToParis } from '../../time.ts';

/**
 * Reading events for a viewer (issue 6): whatever lists them (the member's agenda, a section's, a
 * group's, the party's, the calendar feed), the events are checked here against the one policy —
 * `mayReadContent` with the organiser as the author, as for posts (ADR 008) — with everything the
 * check needs fetched in ONE BatchGet: the events not in hand, their organisers, the viewer's
 * membership of their groups and the viewer's own answers. The viewer's coopains and blocks came
 * with the actor.
 */

export interface EventRef {
  eventId: string;
  organiserId: string;
  audience: Audience;
}

export interface LoadedEvents {
  events: Map<string, AgendaEvent>;
  members: Map<string, Member>;
  groups: Map<string, GroupMembership>;
  /** The viewer's answers, by event id. */
  answers: Map<string, Rsvp>;
  extra: Record<string, unknown>[];
}

const groupIdOf = (a: Audience) => (a.kind === 'group' ? a.groupId : undefined);

/** The viewer as the policy sees them (an actor, or the owner of a calendar feed). */
export type Viewer = Pick<Actor, 'memberId' | 'member' | 'blocks' | 'coopains'>;

/** One BatchGet (100 keys a call: callers keep pages at ≤ 25 events). */
export async function loadEventsFor(
  viewer: Viewer,
  refs: readonly EventRef[],
  given: readonly AgendaEvent[] = [],
  opts: {
    answers?: boolean;
    otherMembers?: readonly string[];
    extraKeys?: readonly Record<string, unknown>[];
  } = {},
): Promise<LoadedEvents> {
  const events = new Map(given.map((e) => [e.id, e]));
  const all = [
    ...refs,
    ...given.map((e) => ({ eventId: e.id, organiserId: e.organiserId, audience: e.audience })),
  ];
  const eventIds = [...new Set(refs.map((r) => r.eventId))].filter((id) => !events.has(id));
  const memberIds = [...new Set([...all.map((r) => r.organiserId), ...(opts.otherMembers ?? [])])];
  const groupIds = [...new Set(all.map((r) => groupIdOf(r.audience)))].filter(
    (g): g is string => g !== undefined,
  );
  const answerIds = opts.answers ? [...new Set(all.map((r) => r.eventId))] : [];
  const extraKeys = opts.extraKeys ?? [];
  const keys = [
    ...eventIds.map(eventItemKey),
    ...memberIds.map(memberKey),
    ...groupIds.map((g) => groupMembershipKey(g, viewer.memberId)),
    ...answerIds.map((id) => rsvpItemKey(id, viewer.memberId)),
    ...extraKeys,
  ];
  const items = keys.length ? await getAll(keys, true) : [];
  const loaded: LoadedEvents = {
    events,
    members: new Map(),
    groups: new Map(),
    answers: new Map(),
    extra: [],
  };
  const isExtra = (i: Record<string, unknown>) => extraKeys.some((k) => k.pk === i.pk && k.sk === i.sk);
  for (const item of items) {
    if (isExtra(item)) loaded.extra.push(item);
    else if (isEventItem(item)) events.set(String(item.id), eventFromItem(item));
    else if (isRsvpItem(item)) loaded.answers.set(String(item.eventId), rsvpFromItem(item));
    else if (item.sk === 'PROFILE') loaded.members.set(String(item.id), memberFromItem(item));
    else if (item.type === 'group-membership')
      loaded.groups.set(String(item.groupId), membershipFromItem(item));
  }
  return loaded;
}

/** The relation the policy needs between the viewer and a member, at the event's place. */
export function relationTo(
  viewer: Viewer,
  memberId: string,
  audience: Audience,
  loaded: Pick<LoadedEvents, 'groups'>,
) {
  const groupId = groupIdOf(audience);
  return {
    coopains: viewer.coopains.has(memberId),
    blocked: blockedEitherWay(viewer.blocks, memberId),
    group: groupId ? loaded.groups.get(groupId) : undefined,
  };
}

/** May the viewer read this event (the organiser as the author, ADR 008)? A cancelled event stays readable. */
export function mayReadEvent(viewer: Viewer, event: AgendaEvent, loaded: LoadedEvents, now: Date): boolean {
  return mayReadContent(
    viewer.member,
    loaded.members.get(event.organiserId),
    event.audience,
    relationTo(viewer, event.organiserId, event.audience, loaded),
    now,
  );
}

export interface PersonView {
  id: string;
  firstName: string;
  lastName: string;
}

export const personView = (m: Member): PersonView => ({
  id: m.id,
  firstName: m.firstName,
  lastName: m.lastName,
});

export interface EventView {
  id: string;
  title: string;
  description: string;
  audience: Audience;
  /** Where it is on an agenda: the section's or the group's name (null for the party and coopains). */
  placeName: string | null;
  /** UTC instants, and the same in Paris wall-clock time (`YYYY-MM-DDTHH:mm`) as forms show them. */
  startAt: string;
  endAt: string;
  startLocal: string;
  endLocal: string;
  location: string | null;
  onlineUrl: string | null;
  capacity: number | null;
  /** Counts include every answer, hidden members' too: a number reveals nobody. */
  counts: { going: number; maybe: number; waiting: number };
  /** Places left for « oui » (null: no limit). */
  placesLeft: number | null;
  cancelled: boolean;
  organiser: PersonView;
  /** The viewer's own answer (`waiting` = on the waiting list), or null. */
  myAnswer: RsvpStatus | null;
  can: { edit: boolean; cancel: boolean; rsvp: boolean };
}

export function eventView(viewer: Viewer, event: AgendaEvent, loaded: LoadedEvents, now: Date): EventView {
  const organiser = loaded.members.get(event.organiserId);
  const relation = relationTo(viewer, event.organiserId, event.audience, loaded);
  const manages = !event.cancelled && mayManageEvent(viewer.member, event, relation);
  return {
    id: event.id,
    title: event.title,
    description: event.description,
    audience: event.audience,
    placeName: event.placeName,
    startAt: event.startAt,
    endAt: event.endAt,
    startLocal: utcToParis(event.startAt),
    endLocal: utcToParis(event.endAt),
    location: event.location,
    onlineUrl: event.onlineUrl,
    capacity: event.capacity,
    counts: { going: event.going, maybe: event.maybe, waiting: event.waiting },
    placesLeft: event.capacity === null ? null : Math.max(0, event.capacity - event.going),
    cancelled: event.cancelled,
    organiser: organiser
      ? personView(organiser)
      : { id: event.organiserId, firstName: 'Membre', lastName: 'supprimé' },
    myAnswer: loaded.answers.get(event.id)?.status ?? null,
    can: {
      edit: manages,
      cancel: manages,
      rsvp: mayRsvp(viewer.member, organiser, event, relation, now),
    },
  };
}

/** The events of a list the viewer may read, in the list's order (stale or refused ones dropped). */
export function readableViews(
  viewer: Viewer,
  events: Iterable<AgendaEvent>,
  loaded: LoadedEvents,
  now: Date,
): EventView[] {
  return [...events]
    .filter((e) => mayReadEvent(viewer, e, loaded, now))
    .map((e) => eventView(viewer, e, loaded, now));
}
