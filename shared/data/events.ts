import { createHash, timingSafeEqual } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../errors.ts';
import { db, getAll, type IndexName, queryPage, type TxWrite, tableName } from './client.ts';
import type { Audience } from './posts.ts';

/**
 * E1–E3 — events, their answers (RSVPs), the members' agendas and their iCalendar tokens (issue 6,
 * ADR 010). An event is one item with the agenda it is on (gsi1: a section's, a group's, or the
 * party's for events to every member or to the adherents), its organiser (gsi2) and, for events to
 * every member, the sympathisants' party agenda (gsi3). Its answers live in its partition after it
 * (`RSVP#…` sorts after `META`), so an event and its first answers are one Query; the waiting list
 * is a sparse index (gsi1) in order of arrival. The counts (`going`, `maybe`, `waiting`) sit on the
 * event item and move in the transaction of each answer, under conditions that guard the capacity.
 * A member's agenda is small references in their own partition (fan-out, TTL after the event).
 */

export type RsvpStatus = 'yes' | 'maybe' | 'no' | 'waiting';

export interface AgendaEvent {
  id: string;
  organiserId: string;
  audience: Audience;
  /** The section's or the group's name, denormalised at creation (null for the party and coopains). */
  placeName: string | null;
  title: string;
  description: string;
  /** UTC ISO-8601. */
  startAt: string;
  endAt: string;
  location: string | null;
  onlineUrl: string | null;
  /** Places for « oui »; null = no limit. */
  capacity: number | null;
  going: number;
  maybe: number;
  waiting: number;
  cancelled: boolean;
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Bumped by every change of time or place and by the cancellation (fan-out and notification guard). */
  rev: number;
}

export interface Rsvp {
  eventId: string;
  memberId: string;
  status: RsvpStatus;
  /** When the member gave this answer (the order of the waiting list). */
  at: string;
  /** The event's organiser and audience (never change): a later page of answers is checked without the event. */
  organiserId: string;
  audience: Audience;
  /** The event's `rev` this member was last told about (change and cancellation notices go once). */
  notifiedRev: number;
}

/** A reference in a member's agenda (E1): enough to fetch and check the event in one BatchGet. */
export interface AgendaEntry {
  eventId: string;
  organiserId: string;
  audience: Audience;
  startAt: string;
  rev: number;
}

const eventKey = (id: string) => ({ pk: `EVENT#${id}`, sk: 'META' });
const rsvpKey = (eventId: string, memberId: string) => ({ pk: `EVENT#${eventId}`, sk: `RSVP#${memberId}` });
const agendaKey = (memberId: string, startAt: string, eventId: string) => ({
  pk: `MEMBER#${memberId}`,
  sk: `AGENDA#${startAt}#${eventId}`,
});
const icalKey = (memberId: string) => ({ pk: `MEMBER#${memberId}`, sk: 'ICAL' });

export const eventItemKey = eventKey;
export const rsvpItemKey = rsvpKey;
export const icalItemKey = icalKey;

/** An agenda entry stays 30 days after its event has ended (the feed shows the recent past). */
const ENTRY_AFTER_END_SECONDS = 30 * 24 * 3600;

/** The agenda an event is on (gsi1): a section's, a group's, or the party's (all and adherents). */
function agendaPartitionOf(audience: Audience): string | null {
  switch (audience.kind) {
    case 'section-public':
    case 'section-private':
      return `AGENDA#SECTION#${audience.sectionId}`;
    case 'group':
      return `AGENDA#GROUP#${audience.groupId}`;
    case 'all':
    case 'adherents':
      // The adherents circle reads one partition with both; sympathisants read gsi3 `AGENDA#PARTY#ALL`.
      return 'AGENDA#PARTY#ADH';
    case 'coopains':
      return null;
  }
}

function eventIndexes(e: Pick<AgendaEvent, 'id' | 'organiserId' | 'audience' | 'startAt'>) {
  const sort = `${e.startAt}#${e.id}`;
  const agenda = agendaPartitionOf(e.audience);
  return {
    ...(agenda ? { gsi1pk: agenda, gsi1sk: sort } : {}),
    gsi2pk: `ORGANISER#${e.organiserId}#EVENTS`,
    gsi2sk: sort,
    ...(e.audience.kind === 'all' ? { gsi3pk: 'AGENDA#PARTY#ALL', gsi3sk: sort } : {}),
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** The `#name` placeholders of expressions: several attribute names here are reserved words (capacity…). */
function namesIn(...expressions: string[]): Record<string, string> {
  const names: Record<string, string> = {};
  for (const e of expressions) for (const m of e.matchAll(/#(\w+)/g)) names[`#${m[1]}`] = String(m[1]);
  return names;
}

export function eventFromItem(i: Record<string, unknown>): AgendaEvent {
  return {
    id: String(i.id),
    organiserId: String(i.organiserId),
    audience: i.audience as Audience,
    placeName: str(i.placeName),
    title: String(i.title ?? ''),
    description: String(i.description ?? ''),
    startAt: String(i.startAt),
    endAt: String(i.endAt),
    location: str(i.location),
    onlineUrl: str(i.onlineUrl),
    capacity: typeof i.capacity === 'number' ? i.capacity : null,
    going: num(i.going),
    maybe: num(i.maybe),
    waiting: num(i.waiting),
    cancelled: i.cancelled === true,
    cancelledAt: str(i.cancelledAt),
    createdAt: String(i.createdAt),
    updatedAt: String(i.updatedAt),
    rev: num(i.rev),
  };
}

export function rsvpFromItem(i: Record<string, unknown>): Rsvp {
  return {
    eventId: String(i.eventId),
    memberId: String(i.memberId),
    status: i.status as RsvpStatus,
    at: String(i.at),
    organiserId: String(i.organiserId),
    audience: i.audience as Audience,
    notifiedRev: num(i.notifiedRev),
  };
}

const isEventItem = (i: Record<string, unknown>) => i.type === 'event';
const isRsvpItem = (i: Record<string, unknown>) => i.type === 'rsvp';

export { isEventItem, isRsvpItem };

/** The agenda entry of one member for an event, at the event's current start (idempotent key). */
function agendaEntryItem(
  memberId: string,
  e: Pick<AgendaEvent, 'id' | 'organiserId' | 'audience' | 'startAt' | 'endAt' | 'rev'>,
) {
  return {
    ...agendaKey(memberId, e.startAt, e.id),
    type: 'agenda-entry',
    eventId: e.id,
    organiserId: e.organiserId,
    audience: e.audience,
    startAt: e.startAt,
    rev: e.rev,
    expiresAt: Math.floor(Date.parse(e.endAt) / 1000) + ENTRY_AFTER_END_SECONDS,
  };
}

type EventRef = Pick<AgendaEvent, 'id' | 'organiserId' | 'audience' | 'startAt' | 'endAt' | 'rev'>;

/** Puts a member's agenda entry (overwrites an older one at the same start). */
export function agendaEntryWrite(
  memberId: string,
  e: EventRef,
  opts: { onlyIfAbsent?: boolean } = {},
): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: agendaEntryItem(memberId, e),
      ...(opts.onlyIfAbsent ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
    },
  };
}

/** Removes a member's agenda entry at a start the event has left (no-op when absent). */
export function agendaEntryDelete(memberId: string, startAt: string, eventId: string): TxWrite {
  return { Delete: { TableName: tableName(), Key: agendaKey(memberId, startAt, eventId) } };
}

/** A new event (with no answers yet) and the organiser's own agenda entry. Index of the event put: 0. */
export function newEventWrites(e: AgendaEvent): TxWrite[] {
  return [
    {
      Put: {
        TableName: tableName(),
        Item: { ...eventKey(e.id), type: 'event', ...e, going: 0, maybe: 0, waiting: 0, ...eventIndexes(e) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    agendaEntryWrite(e.organiserId, e),
  ];
}

/**
 * Saves an edit of an event's own fields — never its counts, which answers move concurrently —
 * if nobody changed it since it was read (`rev`, `updatedAt`) and it is not cancelled; a lower
 * capacity may not go under the members already going.
 */
export function saveEventWrite(before: AgendaEvent, after: AgendaEvent): TxWrite {
  const idx = eventIndexes(after);
  const fields: Record<string, unknown> = {
    title: after.title,
    description: after.description,
    startAt: after.startAt,
    endAt: after.endAt,
    location: after.location,
    onlineUrl: after.onlineUrl,
    capacity: after.capacity,
    updatedAt: after.updatedAt,
    rev: after.rev,
    ...idx,
  };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(fields).map(([k, v]) => {
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    return `#${k} = :${k}`;
  });
  values[':prevRev'] = before.rev;
  values[':prevUpdated'] = before.updatedAt;
  values[':false'] = false;
  let condition =
    'attribute_exists(pk) AND #rev = :prevRev AND #updatedAt = :prevUpdated AND #cancelled = :false';
  if (after.capacity !== null) {
    values[':cap'] = after.capacity;
    condition += ' AND #going <= :cap';
  }
  Object.assign(names, namesIn(condition));
  return {
    Update: {
      TableName: tableName(),
      Key: eventKey(after.id),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** Cancels the event (it stays, marked, so that agendas and calendars show it cancelled). */
export function cancelEventWrite(before: AgendaEvent, at: string): TxWrite {
  return {
    Update: {
      TableName: tableName(),
      Key: eventKey(before.id),
      UpdateExpression: 'SET #cancelled = :true, #cancelledAt = :at, #updatedAt = :at, #rev = :next',
      ConditionExpression: 'attribute_exists(pk) AND #rev = :rev AND #cancelled = :false',
      ExpressionAttributeNames: namesIn('#cancelled #cancelledAt #updatedAt #rev'),
      ExpressionAttributeValues: {
        ':true': true,
        ':false': false,
        ':at': at,
        ':rev': before.rev,
        ':next': before.rev + 1,
      },
    },
  };
}

/** E1 — one event (strongly consistent). */
export async function getEvent(id: string): Promise<AgendaEvent | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: tableName(), Key: eventKey(id), ConsistentRead: true }),
  );
  return out.Item ? eventFromItem(out.Item) : undefined;
}

/** E1 + E2 — an event and the member's own answer in one BatchGet (with any other keys). */
export async function eventWithRsvp(
  eventId: string,
  memberId: string,
  extraKeys: readonly Record<string, unknown>[] = [],
): Promise<{ event?: AgendaEvent; rsvp?: Rsvp; extra: Record<string, unknown>[] }> {
  const items = await getAll([eventKey(eventId), rsvpKey(eventId, memberId), ...extraKeys], true);
  const meta = items.find((i) => i.pk === `EVENT#${eventId}` && i.sk === 'META');
  const mine = items.find((i) => i.pk === `EVENT#${eventId}` && i.sk === `RSVP#${memberId}`);
  return {
    ...(meta ? { event: eventFromItem(meta) } : {}),
    ...(mine ? { rsvp: rsvpFromItem(mine) } : {}),
    extra: items.filter((i) => i !== meta && i !== mine),
  };
}

/**
 * E2 — an event and a page of its answers in one Query (the event sorts first); answers `no` are
 * left out. With a cursor the page starts after it and the event is not in it.
 */
export async function eventWithAnswers(
  eventId: string,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ event?: AgendaEvent; answers: Rsvp[]; lastKey?: Record<string, unknown> }> {
  if (opts.startKey && opts.startKey.pk !== `EVENT#${eventId}`)
    throw new ValidationError('request.invalid_cursor', 'Curseur de pagination invalide.', 'cursor');
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      FilterExpression: 'attribute_not_exists(#status) OR #status <> :no',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': `EVENT#${eventId}`, ':from': 'META', ':to': 'RSVP$', ':no': 'no' },
      Limit: opts.limit + (opts.startKey ? 0 : 1),
      ExclusiveStartKey: opts.startKey,
      ConsistentRead: true,
    }),
  );
  const items = out.Items ?? [];
  const meta = items.find(isEventItem);
  return {
    ...(meta ? { event: eventFromItem(meta) } : {}),
    answers: items.filter(isRsvpItem).map(rsvpFromItem),
    lastKey: out.LastEvaluatedKey,
  };
}

/** E2 — every answer of an event, a page at a time (the change and cancellation notices). */
export async function answersOf(
  eventId: string,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ answers: Rsvp[]; lastKey?: Record<string, unknown> }> {
  const page = await queryPage({
    partition: `EVENT#${eventId}`,
    prefix: 'RSVP#',
    consistent: true,
    ...opts,
  });
  return { answers: page.items.map(rsvpFromItem), lastKey: page.lastKey };
}

/** E2 — the waiting list, first arrived first. */
export async function waitingListOf(eventId: string, limit: number): Promise<Rsvp[]> {
  const page = await queryPage({ index: 'gsi1', partition: `EVENT#${eventId}#WAITLIST`, limit });
  return page.items.map(rsvpFromItem);
}

function rsvpItem(r: Rsvp, startAt: string) {
  return {
    ...rsvpKey(r.eventId, r.memberId),
    type: 'rsvp',
    ...r,
    ...(r.status === 'waiting'
      ? { gsi1pk: `EVENT#${r.eventId}#WAITLIST`, gsi1sk: `${r.at}#${r.memberId}` }
      : {}),
    gsi2pk: `MEMBER#${r.memberId}#RSVPS`,
    gsi2sk: `${startAt}#${r.eventId}`,
  };
}

/** How an answer moves the event's counts. */
const COUNTER: Record<RsvpStatus, 'going' | 'maybe' | 'waiting' | null> = {
  yes: 'going',
  maybe: 'maybe',
  waiting: 'waiting',
  no: null,
};

/**
 * A member's answer: the answer item (only if it is still the one read: none, or the same status)
 * and the counts moved with it, under the conditions that guard the capacity — a « oui » takes a
 * place only while one is free and nobody waits for it; joining the waiting list only while no
 * place is free for the member (or others wait already). Index of the answer write: 0; of the
 * event update: 1 (absent when no count moves).
 */
export function rsvpWrites(
  event: Pick<AgendaEvent, 'id' | 'startAt' | 'capacity'>,
  before: Rsvp | undefined,
  after: Rsvp,
): TxWrite[] {
  const answer: TxWrite = {
    Put: {
      TableName: tableName(),
      Item: rsvpItem(after, event.startAt),
      ...(before
        ? {
            ConditionExpression: '#status = :prev',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':prev': before.status },
          }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  };
  const from = before ? COUNTER[before.status] : null;
  const to = COUNTER[after.status];
  if (from === to) return [answer];
  const adds: string[] = [];
  const values: Record<string, unknown> = { ':false': false };
  if (from) {
    adds.push(`#${from} :minus`);
    values[':minus'] = -1;
  }
  if (to) {
    adds.push(`#${to} :plus`);
    values[':plus'] = 1;
  }
  let condition = 'attribute_exists(pk) AND #cancelled = :false';
  if (to === 'going' && event.capacity !== null) {
    values[':zero'] = 0;
    condition += ' AND #going < #capacity AND #waiting = :zero';
  }
  if (to === 'waiting') {
    values[':zero'] = 0;
    condition += ' AND (#going >= #capacity OR #waiting > :zero)';
  }
  const update = `ADD ${adds.join(', ')}`;
  return [
    answer,
    {
      Update: {
        TableName: tableName(),
        Key: eventKey(event.id),
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeNames: namesIn(update, condition),
        ExpressionAttributeValues: values,
      },
    },
  ];
}

/**
 * The first waiter takes a free place: the count moves only while a place is free, the answer only
 * if the member still waits. Index of the event update: 0; of the answer: 1.
 */
export function promoteWrites(
  event: Pick<AgendaEvent, 'id' | 'startAt' | 'capacity'>,
  waiter: Rsvp,
  at: string,
): TxWrite[] {
  const promoted: Rsvp = { ...waiter, status: 'yes', at };
  // No limit any more (the organiser removed it): every waiter comes in.
  const limited = event.capacity === null ? '' : ' AND #going < #capacity';
  return [
    {
      Update: {
        TableName: tableName(),
        Key: eventKey(event.id),
        UpdateExpression: 'ADD #going :plus, #waiting :minus',
        ConditionExpression: `attribute_exists(pk) AND #cancelled = :false${limited}`,
        ExpressionAttributeNames: namesIn(`#going #waiting #cancelled${limited}`),
        ExpressionAttributeValues: { ':plus': 1, ':minus': -1, ':false': false },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: rsvpItem(promoted, event.startAt),
        ConditionExpression: '#status = :waiting',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':waiting': 'waiting' },
      },
    },
  ];
}

/**
 * Records that the member was told about this revision of the event (change or cancellation) and
 * moves their answer to the event's current start; fails if they were told already (a step redone).
 */
export function noticeGuardWrite(answer: Rsvp, event: Pick<AgendaEvent, 'startAt' | 'rev'>): TxWrite {
  return {
    Update: {
      TableName: tableName(),
      Key: rsvpKey(answer.eventId, answer.memberId),
      UpdateExpression: 'SET notifiedRev = :rev, gsi2sk = :sk',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(notifiedRev) OR notifiedRev < :rev)',
      ExpressionAttributeValues: { ':rev': event.rev, ':sk': `${event.startAt}#${answer.eventId}` },
    },
  };
}

/** The answer's index to the event's start, moved without a notice (answers `no`). */
export function moveAnswerWrite(answer: Rsvp, event: Pick<AgendaEvent, 'startAt'>): TxWrite {
  return {
    Update: {
      TableName: tableName(),
      Key: rsvpKey(answer.eventId, answer.memberId),
      UpdateExpression: 'SET gsi2sk = :sk',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':sk': `${event.startAt}#${answer.eventId}` },
    },
  };
}

/** A date range on a sort key, one page (the sort keys start with the UTC start: `<startAt>#…`). */
async function rangePage(opts: {
  index?: IndexName;
  partition: string;
  prefix?: string;
  fromUtc: string;
  toUtc: string;
  limit: number;
  startKey?: Record<string, unknown>;
  consistent?: boolean;
}): Promise<{ items: Record<string, unknown>[]; lastKey?: Record<string, unknown> }> {
  const pk = opts.index ? `${opts.index}pk` : 'pk';
  const sk = opts.index ? `${opts.index}sk` : 'sk';
  if (opts.startKey && opts.startKey[pk] !== opts.partition)
    throw new ValidationError('request.invalid_cursor', 'Curseur de pagination invalide.', 'cursor');
  const prefix = opts.prefix ?? '';
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      ...(opts.index ? { IndexName: opts.index } : {}),
      KeyConditionExpression: `${pk} = :pk AND ${sk} BETWEEN :from AND :to`,
      ExpressionAttributeValues: {
        ':pk': opts.partition,
        ':from': `${prefix}${opts.fromUtc}`,
        // Every key of an instant before `toUtc` sorts before `<toUtc>#` (ids follow a `#`).
        ':to': `${prefix}${opts.toUtc}`,
      },
      Limit: opts.limit,
      ExclusiveStartKey: opts.startKey,
      ...(opts.consistent ? { ConsistentRead: true } : {}),
    }),
  );
  return { items: out.Items ?? [], lastKey: out.LastEvaluatedKey };
}

export interface Range {
  fromUtc: string;
  toUtc: string;
  limit: number;
  startKey?: Record<string, unknown>;
}

/** E1 — the member's agenda: their entries (fan-out, own events, answers) starting in the range. */
export async function agendaOf(
  memberId: string,
  range: Range,
): Promise<{ entries: AgendaEntry[]; lastKey?: Record<string, unknown> }> {
  const page = await rangePage({
    partition: `MEMBER#${memberId}`,
    prefix: 'AGENDA#',
    consistent: true,
    ...range,
  });
  return {
    entries: page.items.map((i) => ({
      eventId: String(i.eventId),
      organiserId: String(i.organiserId),
      audience: i.audience as Audience,
      startAt: String(i.startAt),
      rev: num(i.rev),
    })),
    lastKey: page.lastKey,
  };
}

export type AgendaSource =
  | { kind: 'section'; sectionId: string }
  | { kind: 'group'; groupId: string }
  | { kind: 'party'; tier: 'ADH' | 'ALL' };

/** E1 — the events on a section's, a group's or the party's agenda, starting in the range, by start. */
export async function eventsOn(
  source: AgendaSource,
  range: Range,
): Promise<{ events: AgendaEvent[]; lastKey?: Record<string, unknown> }> {
  const where =
    source.kind === 'section'
      ? { index: 'gsi1' as const, partition: `AGENDA#SECTION#${source.sectionId}` }
      : source.kind === 'group'
        ? { index: 'gsi1' as const, partition: `AGENDA#GROUP#${source.groupId}` }
        : source.tier === 'ADH'
          ? { index: 'gsi1' as const, partition: 'AGENDA#PARTY#ADH' }
          : { index: 'gsi3' as const, partition: 'AGENDA#PARTY#ALL' };
  const page = await rangePage({ ...where, ...range });
  return { events: page.items.map(eventFromItem), lastKey: page.lastKey };
}

// ————— iCalendar feed tokens (E3) —————

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** The member's feed token, stored as its SHA-256 only (a leaked table read gives no feed URL). */
export function icalTokenWrite(memberId: string, token: string, at: string): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...icalKey(memberId), type: 'ical-token', memberId, tokenHash: sha256(token), createdAt: at },
    },
  };
}

export function icalTokenDelete(memberId: string): TxWrite {
  return { Delete: { TableName: tableName(), Key: icalKey(memberId) } };
}

/** Whether a stored token item matches the token presented (constant-time comparison of the hashes). */
export function icalTokenMatches(item: Record<string, unknown> | undefined, token: string): boolean {
  if (!item || typeof item.tokenHash !== 'string') return false;
  const stored = Buffer.from(item.tokenHash, 'hex');
  const given = Buffer.from(sha256(token), 'hex');
  return stored.length === given.length && timingSafeEqual(stored, given);
}

/** The member's feed token item (when it was made), or undefined. */
export async function getIcalToken(memberId: string): Promise<{ createdAt: string } | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: tableName(), Key: icalKey(memberId), ConsistentRead: true }),
  );
  return out.Item ? { createdAt: String(out.Item.createdAt) } : undefined;
}

// ————— Erasure (SPEC §7, D1) —————

/** Every item of an event's partition: the event and its answers (an erased organiser's event goes whole). */
export async function eventPartition(eventId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await queryPage({ partition: eventKey(eventId).pk, limit: 500, consistent: true, startKey });
    items.push(...page.items);
    startKey = page.lastKey;
  } while (startKey);
  return items;
}

/** An erased member's answer goes, and the count it held with it (no capacity condition: a place frees). */
export function eraseRsvpWrites(answer: Rsvp): TxWrite[] {
  const counter = COUNTER[answer.status];
  return [
    {
      Delete: {
        TableName: tableName(),
        Key: rsvpKey(answer.eventId, answer.memberId),
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
    ...(counter
      ? [
          {
            Update: {
              TableName: tableName(),
              Key: eventKey(answer.eventId),
              UpdateExpression: `ADD #${counter} :minus`,
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { [`#${counter}`]: counter },
              ExpressionAttributeValues: { ':minus': -1 },
            },
          },
        ]
      : []),
  ];
}

/** The keys of these members' agenda entries for an event. */
export function agendaEntryKeys(memberIds: readonly string[], e: Pick<AgendaEvent, 'id' | 'startAt'>) {
  return memberIds.map((m) => agendaKey(m, e.startAt, e.id));
}
