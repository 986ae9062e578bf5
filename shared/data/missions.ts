import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../errors.ts';
import { db, queryPage, type TxWrite, tableName } from './client.ts';
import type { Audience } from './posts.ts';

/**
 * S1 — missions (volunteer tasks, SPEC §4). A mission, its slots and its sign-ups share one
 * partition (`MISSION#mid`: `META`, `SIGNUP#…`, `SLOT#…`), so the mission page is one Query. The
 * mission is listed by its place and status (gsi1), by its organiser (gsi2, D1) and — open and
 * for a section's public — by department (gsi3, « près de chez moi »). A sign-up is listed among
 * its member's sign-ups (gsi2). The fan-out task writes a small entry in each concerned member's
 * partition (`MISSION#<endsAt>#mid`): « mes missions » is one Query, whatever the groups.
 * Lists are ordered by the time a mission ends (its last slot): « à venir » = not over yet.
 */

export const MISSION_KINDS = ['tractage', 'porte-a-porte', 'phoning', 'collage', 'reunion', 'autre'] as const;
export type MissionKind = (typeof MISSION_KINDS)[number];
export type MissionStatus = 'open' | 'done' | 'cancelled';
/** A mission is for a section (its circle, or its public too) or for a group. */
export type MissionAudience = Extract<Audience, { kind: 'section-public' | 'section-private' | 'group' }>;

export interface Mission {
  id: string;
  title: string;
  description: string;
  kind: MissionKind;
  /** Where (an address, « marché d’Aligre », « en ligne »). */
  place: string;
  audience: MissionAudience;
  /** The section's or the group's name, denormalised at creation. */
  placeName: string;
  /** The section's department (section missions), for « près de chez moi ». */
  department: string | null;
  organiserId: string;
  status: MissionStatus;
  /** First slot's start and last slot's end, UTC ISO. */
  startsAt: string;
  endsAt: string;
  /** Volunteers needed and signed up, over every slot (kept with each sign-up and withdrawal). */
  needed: number;
  signedUp: number;
  createdAt: string;
  closedAt: string | null;
  cancelReason: string | null;
}

export interface Slot {
  missionId: string;
  id: string;
  startsAt: string;
  endsAt: string;
  needed: number;
  signedUp: number;
}

export interface SignUp {
  missionId: string;
  slotId: string;
  memberId: string;
  at: string;
  /** Marked by the organiser: present, absent, or not yet. */
  attended: boolean | null;
  /** Copied from the slot and the mission (never change): « mes inscriptions » needs no other read. */
  slotStartsAt: string;
  slotEndsAt: string;
  organiserId: string;
  audience: MissionAudience;
}

/** A reference in a member's own partition: « mes missions » (written by the fan-out task). */
export interface MissionEntry {
  missionId: string;
  organiserId: string;
  audience: MissionAudience;
}

const partition = (missionId: string) => `MISSION#${missionId}`;
const missionKey = (id: string) => ({ pk: partition(id), sk: 'META' });
const slotKey = (missionId: string, slotId: string) => ({ pk: partition(missionId), sk: `SLOT#${slotId}` });
const signUpKey = (missionId: string, slotId: string, memberId: string) => ({
  pk: partition(missionId),
  sk: `SIGNUP#${slotId}#${memberId}`,
});
const entryKey = (memberId: string, m: Pick<Mission, 'id' | 'endsAt'>) => ({
  pk: `MEMBER#${memberId}`,
  sk: `MISSION#${m.endsAt}#${m.id}`,
});

/** The mission item's key (for reads batched with other entities' items). */
export const missionItemKey = missionKey;

/** Entries and sign-ups stay a month after the mission ends (history), then expire. */
const KEEP_AFTER_END_SECONDS = 31 * 24 * 3600;
const expiry = (endsAt: string) => Math.floor(Date.parse(endsAt) / 1000) + KEEP_AFTER_END_SECONDS;

const placeOf = (a: MissionAudience) =>
  a.kind === 'group' ? `GROUP#${a.groupId}` : `SECTION#${a.sectionId}`;

/** gsi1: the place's open or closed missions; gsi2: the organiser's; gsi3: open public ones by department. */
function missionIndexes(m: Mission): Record<string, string> {
  const open = m.status === 'open';
  return {
    gsi1pk: `MISSIONS#${placeOf(m.audience)}#${open ? 'OPEN' : 'CLOSED'}`,
    gsi1sk: `${m.endsAt}#${m.id}`,
    gsi2pk: `AUTHOR#${m.organiserId}#MISSIONS`,
    gsi2sk: `${m.createdAt}#${m.id}`,
    ...(open && m.audience.kind === 'section-public' && m.department
      ? { gsi3pk: `MISSIONS#DEPT#${m.department.toUpperCase()}`, gsi3sk: `${m.endsAt}#${m.id}` }
      : {}),
  };
}

export function missionFromItem(i: Record<string, unknown>): Mission {
  return {
    id: String(i.id),
    title: String(i.title),
    description: String(i.description ?? ''),
    kind: i.kind as MissionKind,
    place: String(i.place ?? ''),
    audience: i.audience as MissionAudience,
    placeName: String(i.placeName ?? ''),
    department: typeof i.department === 'string' ? i.department : null,
    organiserId: String(i.organiserId),
    status: i.status as MissionStatus,
    startsAt: String(i.startsAt),
    endsAt: String(i.endsAt),
    needed: Number(i.needed ?? 0),
    signedUp: Number(i.signedUp ?? 0),
    createdAt: String(i.createdAt),
    closedAt: typeof i.closedAt === 'string' ? i.closedAt : null,
    cancelReason: typeof i.cancelReason === 'string' ? i.cancelReason : null,
  };
}

function slotFromItem(i: Record<string, unknown>): Slot {
  return {
    missionId: String(i.missionId),
    id: String(i.id),
    startsAt: String(i.startsAt),
    endsAt: String(i.endsAt),
    needed: Number(i.needed ?? 0),
    signedUp: Number(i.signedUp ?? 0),
  };
}

export function signUpFromItem(i: Record<string, unknown>): SignUp {
  return {
    missionId: String(i.missionId),
    slotId: String(i.slotId),
    memberId: String(i.memberId),
    at: String(i.at),
    attended: typeof i.attended === 'boolean' ? i.attended : null,
    slotStartsAt: String(i.slotStartsAt),
    slotEndsAt: String(i.slotEndsAt),
    organiserId: String(i.organiserId),
    audience: i.audience as MissionAudience,
  };
}

/**
 * A new mission: its item, its slots, the organiser's own entry (« mes missions »). The fan-out
 * task, queued by the caller in the same transaction, writes everyone else's.
 */
export function newMissionWrites(m: Mission, slots: readonly Slot[]): TxWrite[] {
  return [
    {
      Put: {
        TableName: tableName(),
        Item: { ...missionKey(m.id), type: 'mission', ...m, ...missionIndexes(m) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...slots.map((s) => ({
      Put: {
        TableName: tableName(),
        Item: { ...slotKey(m.id, s.id), type: 'mission-slot', ...s },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
    missionEntryWrite(m.organiserId, m),
  ];
}

/** A member's entry for a mission; written once (a fan-out step run twice fails here: nothing twice). */
export function missionEntryWrite(memberId: string, m: Mission): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...entryKey(memberId, m),
        type: 'mission-entry',
        missionId: m.id,
        organiserId: m.organiserId,
        audience: m.audience,
        expiresAt: expiry(m.endsAt),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** S1 — one mission (strongly consistent). */
export async function getMission(id: string): Promise<Mission | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: tableName(), Key: missionKey(id), ConsistentRead: true }),
  );
  return out.Item ? missionFromItem(out.Item) : undefined;
}

/**
 * S1 — a mission with its slots (coverage) and its sign-ups, in one strongly consistent Query of
 * its partition (a mission holds at most ~100 sign-ups: one page; further pages are followed).
 */
export async function missionWithSlots(
  id: string,
): Promise<{ mission?: Mission; slots: Slot[]; signUps: SignUp[] }> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition(id) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  const meta = items.find((i) => i.sk === 'META');
  return {
    ...(meta ? { mission: missionFromItem(meta) } : {}),
    slots: items
      .filter((i) => i.type === 'mission-slot')
      .map(slotFromItem)
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id)),
    signUps: items.filter((i) => i.type === 'mission-signup').map(signUpFromItem),
  };
}

/** S1 — a mission's slots (coverage), without its sign-ups: one Query of the partition's `SLOT#` items. */
export async function slotsOf(missionId: string): Promise<Slot[]> {
  const page = await queryPage({ partition: partition(missionId), prefix: 'SLOT#', limit: 100 });
  return page.items
    .map(slotFromItem)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
}

/** Index in `signUpWrites` of each condition: the sign-up absent, the slot not full, the mission open. */
export const SIGNUP_WRITE = { signUp: 0, slot: 1, mission: 2 } as const;

/**
 * A sign-up (S1): the sign-up (absent), the slot's count (`signedUp < needed`, so a full slot
 * refuses whatever the concurrency), the mission's count (still open) — one transaction.
 */
export function signUpWrites(s: SignUp): TxWrite[] {
  return [
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...signUpKey(s.missionId, s.slotId, s.memberId),
          type: 'mission-signup',
          ...s,
          gsi2pk: `MEMBER#${s.memberId}#SIGNUPS`,
          gsi2sk: `${s.slotEndsAt}#${s.missionId}#${s.slotId}`,
          expiresAt: expiry(s.slotEndsAt),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: slotKey(s.missionId, s.slotId),
        UpdateExpression: 'ADD signedUp :one',
        ConditionExpression: 'attribute_exists(pk) AND signedUp < needed',
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: missionKey(s.missionId),
        UpdateExpression: 'ADD signedUp :one',
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':one': 1, ':open': 'open' },
      },
    },
  ];
}

/** A withdrawal: the sign-up (which must be there) and both counts down; the mission still open. */
export function withdrawWrites(missionId: string, slotId: string, memberId: string): TxWrite[] {
  return [
    {
      Delete: {
        TableName: tableName(),
        Key: signUpKey(missionId, slotId, memberId),
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: slotKey(missionId, slotId),
        UpdateExpression: 'ADD signedUp :minus',
        ConditionExpression: 'attribute_exists(pk) AND signedUp > :zero',
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: missionKey(missionId),
        UpdateExpression: 'ADD signedUp :minus',
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':minus': -1, ':open': 'open' },
      },
    },
  ];
}

/** The organiser marks a volunteer present or absent: the sign-up must be there, the mission not cancelled. */
export function attendanceWrites(
  missionId: string,
  slotId: string,
  memberId: string,
  attended: boolean,
): TxWrite[] {
  return [
    {
      Update: {
        TableName: tableName(),
        Key: signUpKey(missionId, slotId, memberId),
        UpdateExpression: 'SET attended = :attended',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':attended': attended },
      },
    },
    {
      ConditionCheck: {
        TableName: tableName(),
        Key: missionKey(missionId),
        ConditionExpression: '#status <> :cancelled',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':cancelled': 'cancelled' },
      },
    },
  ];
}

/** Closes an open mission (done or cancelled): out of the open lists, into the closed ones. */
export function closeMissionWrite(m: Mission): TxWrite {
  const indexes = missionIndexes(m);
  return {
    Update: {
      TableName: tableName(),
      Key: missionKey(m.id),
      UpdateExpression:
        'SET #status = :status, closedAt = :at, cancelReason = :reason, gsi1pk = :gsi1pk REMOVE gsi3pk, gsi3sk',
      ConditionExpression: '#status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': m.status,
        ':at': m.closedAt,
        ':reason': m.cancelReason,
        ':gsi1pk': indexes.gsi1pk,
        ':open': 'open',
      },
    },
  };
}

/**
 * A guard written once per (notice, member) with the notification it stands for: a step of the
 * « mission changed » task run twice notifies nobody twice. Kept a month.
 */
export function noticeGuardWrite(missionId: string, noticeId: string, memberId: string, at: Date): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        pk: partition(missionId),
        sk: `NOTICE#${noticeId}#${memberId}`,
        type: 'mission-notice',
        expiresAt: Math.floor(at.getTime() / 1000) + KEEP_AFTER_END_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

type Page<T> = { items: T[]; lastKey?: Record<string, unknown> };

/** One page of a range Query (`sk >= from` ascending, or `sk < to` descending) on the table or an index. */
async function rangePage(opts: {
  index?: 'gsi1' | 'gsi2' | 'gsi3';
  partition: string;
  /** `after`: ascending from `bound`; `before`: descending from just below `bound`. */
  direction: 'after' | 'before';
  bound: string;
  /** Stay inside this sort-key prefix (the member's partition holds other items). */
  prefix?: string;
  limit: number;
  startKey?: Record<string, unknown>;
}): Promise<Page<Record<string, unknown>>> {
  const pk = opts.index ? `${opts.index}pk` : 'pk';
  const sk = opts.index ? `${opts.index}sk` : 'sk';
  if (opts.startKey && opts.startKey[pk] !== opts.partition)
    throw new ValidationError('request.invalid_cursor', 'Curseur de pagination invalide.', 'cursor');
  const prefix = opts.prefix ?? '';
  const input: QueryCommandInput = {
    TableName: tableName(),
    ...(opts.index ? { IndexName: opts.index } : {}),
    KeyConditionExpression: `${pk} = :pk AND ${sk} BETWEEN :from AND :to`,
    ExpressionAttributeValues: {
      ':pk': opts.partition,
      // `0` sorts before and `~` after every character of an ISO time or an id.
      ':from': opts.direction === 'after' ? `${prefix}${opts.bound}` : `${prefix}0`,
      ':to': opts.direction === 'after' ? `${prefix}~` : `${prefix}${opts.bound}`,
    },
    ScanIndexForward: opts.direction === 'after',
    Limit: opts.limit,
    ExclusiveStartKey: opts.startKey,
  };
  const out = await db().send(new QueryCommand(input));
  return { items: out.Items ?? [], lastKey: out.LastEvaluatedKey };
}

export type PlaceState = 'upcoming' | 'over' | 'closed';

/**
 * S1 — the missions of a section or a group: `upcoming` (open, not over, soonest first), `over`
 * (open, over: attendance to mark and to close, latest first), `closed` (done or cancelled, latest first).
 */
export async function missionsOfPlace(
  place: { kind: 'section'; sectionId: string } | { kind: 'group'; groupId: string },
  state: PlaceState,
  now: Date,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<Page<Mission>> {
  const where = place.kind === 'group' ? `GROUP#${place.groupId}` : `SECTION#${place.sectionId}`;
  const page = await rangePage({
    index: 'gsi1',
    partition: `MISSIONS#${where}#${state === 'closed' ? 'CLOSED' : 'OPEN'}`,
    direction: state === 'upcoming' ? 'after' : 'before',
    bound: state === 'closed' ? '~' : now.toISOString(),
    ...opts,
  });
  return { items: page.items.map(missionFromItem), lastKey: page.lastKey };
}

/** S1 « près de chez moi » — open missions for the public of the sections of a department, soonest first. */
export async function openMissionsNear(
  department: string,
  now: Date,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<Page<Mission>> {
  const page = await rangePage({
    index: 'gsi3',
    partition: `MISSIONS#DEPT#${department.toUpperCase()}`,
    direction: 'after',
    bound: now.toISOString(),
    ...opts,
  });
  return { items: page.items.map(missionFromItem), lastKey: page.lastKey };
}

/** S1 « mes missions » — the member's entries of missions not over yet, soonest first. */
export async function missionEntriesOf(
  memberId: string,
  now: Date,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<Page<MissionEntry>> {
  const page = await rangePage({
    partition: `MEMBER#${memberId}`,
    prefix: 'MISSION#',
    direction: 'after',
    bound: now.toISOString(),
    ...opts,
  });
  return {
    items: page.items.map((i) => ({
      missionId: String(i.missionId),
      organiserId: String(i.organiserId),
      audience: i.audience as MissionAudience,
    })),
    lastKey: page.lastKey,
  };
}

/** S1 — a member's sign-ups: `upcoming` (slots not over, soonest first) or `past` (latest first). */
export async function signUpsOf(
  memberId: string,
  when: 'upcoming' | 'past',
  now: Date,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<Page<SignUp>> {
  const page = await rangePage({
    index: 'gsi2',
    partition: `MEMBER#${memberId}#SIGNUPS`,
    direction: when === 'upcoming' ? 'after' : 'before',
    bound: now.toISOString(),
    ...opts,
  });
  return { items: page.items.map(signUpFromItem), lastKey: page.lastKey };
}

// ————— Erasure (SPEC §7, D1) —————

/** Every item of a mission's partition: the mission, its slots, sign-ups and notices. */
export async function missionPartition(missionId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await queryPage({ partition: partition(missionId), limit: 500, consistent: true, startKey });
    items.push(...page.items);
    startKey = page.lastKey;
  } while (startKey);
  return items;
}

/** The keys of these members' « mes missions » entries for a mission. */
export function missionEntryKeys(memberIds: readonly string[], m: Pick<Mission, 'id' | 'endsAt'>) {
  return memberIds.map((id) => entryKey(id, m));
}
