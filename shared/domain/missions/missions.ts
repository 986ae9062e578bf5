import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import {
  blockedEitherWay,
  type MissionRefusal,
  mayManageMission,
  mayOrganiseMission,
  mayReadMission,
  maySeeVolunteer,
  mayVolunteer,
  profileAccess,
} from '../../auth/policy.ts';
import { failedConditionIndex, getAll, type TxWrite, transact } from '../../data/client.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import {
  type GroupMembership,
  groupFromItem,
  groupKey,
  groupMembershipCheck,
  groupMembershipKey,
  membershipFromItem,
} from '../../data/groups.ts';
import { type Member, memberFromItem, memberKey } from '../../data/members.ts';
import {
  attendanceWrites,
  closeMissionWrite,
  getMission,
  MISSION_KINDS,
  type Mission,
  type MissionAudience,
  missionEntriesOf,
  missionFromItem,
  missionItemKey,
  missionsOfPlace,
  missionWithSlots,
  newMissionWrites,
  openMissionsNear,
  SIGNUP_WRITE,
  type SignUp,
  type Slot,
  signUpsOf,
  signUpWrites,
  withdrawWrites,
} from '../../data/missions.ts';
import { newcomerDelete } from '../../data/newcomers.ts';
import type { Audience } from '../../data/posts.ts';
import { sectionFromItem, sectionKey } from '../../data/sections.ts';
import { queueTaskWrite } from '../../data/tasks.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from '../../errors.ts';
import { logger } from '../../log.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { readChecks } from '../posts/read.ts';
import { freeText, Id } from '../schemas.ts';
import { MISSION_CHANGED_TASK, MISSION_NEW_TASK } from './fan-out.ts';
import { MAX_SLOTS, parseSlots, SlotInput, slotTimes } from './slots.ts';

/**
 * Missions (SPEC §4, issue 6): volunteer tasks with timeslots, organised by a section's secretary
 * or a group's admin; members sign up to a slot and withdraw; those who run the mission see the
 * coverage and the volunteers, mark attendance, close or cancel it. Who sees what is the policy's
 * (`mayReadMission`, `maySeeVolunteer`): the organiser is the mission's author. Every route costs
 * ≤ 3 round trips; notifying the circle is the fan-out task's (ADR 007).
 */

/**
 * The audiences of `posts.create` (`AudienceInput`), restated here: importing it from
 * posts/posts.ts would bundle markdown-it into every missions function (196 kB minified instead of ~95).
 * The kinds a mission cannot have are parsed, then refused with a clear `mission.invalid_audience`.
 */
const MissionAudienceInput = z.union([
  z.strictObject({ kind: z.enum(['all', 'adherents', 'coopains']) }),
  z.strictObject({ kind: z.enum(['section-public', 'section-private']), sectionId: Id }),
  z.strictObject({ kind: z.literal('group'), groupId: Id }),
]);

export const MissionInput = z.strictObject({
  title: z.pipe(freeText(120), z.string().check(z.minLength(1, 'Donnez un titre à la mission.'))),
  description: z.optional(freeText(4000)),
  kind: z.enum(MISSION_KINDS),
  place: z.pipe(freeText(200), z.string().check(z.minLength(1, 'Indiquez le lieu de la mission.'))),
  audience: MissionAudienceInput,
  slots: z
    .array(SlotInput)
    .check(
      z.minLength(1, 'Ajoutez au moins un créneau.'),
      z.maxLength(MAX_SLOTS, `${MAX_SLOTS} créneaux au plus.`),
    ),
});

export const MissionsQuery = z.strictObject({
  section: z.optional(Id),
  group: z.optional(Id),
  near: z.optional(z.string().check(z.regex(/^(\d{2,3}|2[abAB])$/, 'Code de département invalide.'))),
  state: z.optional(z.enum(['upcoming', 'over', 'closed'])),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});

export const SignUpsQuery = z.strictObject({
  when: z.optional(z.enum(['upcoming', 'past'])),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});

export const AttendanceInput = z.strictObject({ attended: z.boolean() });

export const CloseInput = z.strictObject({
  outcome: z.enum(['done', 'cancelled']),
  reason: z.optional(freeText(300)),
});

const PAGE = 20;

const NOT_FOUND = () =>
  new NotFoundError('mission.not_found', 'Cette mission n’existe pas ou ne vous est pas visible.');
const CLOSED = () => new ConflictError('mission.closed', 'Cette mission est close.');
const FULL = () => new ConflictError('mission.slot_full', 'Ce créneau est complet.');

const REFUSALS: Record<MissionRefusal, () => Error> = {
  not_in_audience: () =>
    new ValidationError(
      'mission.invalid_audience',
      'Une mission est proposée à une section (son cercle, ou aussi son public) ou à un groupe.',
      'audience',
    ),
  not_organiser: () =>
    new ForbiddenError(
      'mission.not_organiser',
      'Les missions d’une section sont créées par ses secrétaires, celles d’un groupe par ses admins.',
    ),
  visibility_too_low: () =>
    new ForbiddenError(
      'mission.visibility_too_low',
      'Pour organiser une mission, choisissez d’abord d’être visible des adhérent·es ou de tous (Paramètres).',
    ),
  audience_wider_than_profile: () =>
    new ForbiddenError(
      'mission.audience_wider_than_profile',
      'Une mission ouverte au public de la section montre son organisateur ou son organisatrice à tous les membres : rendez votre profil visible de tous, ou réservez-la au cercle de la section.',
    ),
};

// ————— Views —————

export interface Person {
  id: string;
  firstName: string;
  lastName: string;
}

/** A mission in a list: what a card shows, with its coverage. */
export interface MissionCard {
  id: string;
  title: string;
  kind: Mission['kind'];
  place: string;
  placeName: string;
  audience: MissionAudience;
  organiser: Person | null;
  status: Mission['status'];
  /** First slot's start and last slot's end, in Paris time (`start`, `end`) and UTC. */
  start: string;
  end: string;
  startsAt: string;
  endsAt: string;
  needed: number;
  signedUp: number;
  closedAt: string | null;
  cancelReason: string | null;
}

export interface VolunteerView extends Person {
  /** Only for those who run the mission: present, absent, not marked yet. */
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
  /** The viewer signed up to it. */
  mine: boolean;
  /** The viewer may sign up to it now (open, not begun, not full, not theirs). */
  open: boolean;
  /** The volunteers the viewer may see (the count includes everyone). */
  volunteers: VolunteerView[];
}

export interface MissionDetail extends MissionCard {
  description: string;
  slots: SlotView[];
  can: { manage: boolean; signUp: boolean };
}

const person = (m: Member): Person => ({ id: m.id, firstName: m.firstName, lastName: m.lastName });

/** Who the viewer is to a member, for the policy. */
function relationTo(actor: Actor, memberId: string, group?: GroupMembership) {
  return {
    coopains: actor.coopains.has(memberId),
    blocked: blockedEitherWay(actor.blocks, memberId),
    group,
  };
}

/** The organiser's name, when the viewer may see them (a manager across no block). */
function organiserOf(actor: Actor, organiser: Member | undefined, runs: boolean, now: Date) {
  if (!organiser) return null;
  const relation = relationTo(actor, organiser.id);
  const seen =
    organiser.id === actor.memberId ||
    profileAccess(actor.member, organiser, relation, now) !== null ||
    (runs && !relation.blocked);
  return seen ? person(organiser) : null;
}

function card(
  actor: Actor,
  m: Mission,
  organiser: Member | undefined,
  runs: boolean,
  now: Date,
): MissionCard {
  const { start, end } = slotTimes(m);
  return {
    id: m.id,
    title: m.title,
    kind: m.kind,
    place: m.place,
    placeName: m.placeName,
    audience: m.audience,
    organiser: organiserOf(actor, organiser, runs, now),
    status: m.status,
    start,
    end,
    startsAt: m.startsAt,
    endsAt: m.endsAt,
    needed: m.needed,
    signedUp: m.signedUp,
    closedAt: m.closedAt,
    cancelReason: m.cancelReason,
  };
}

function detail(
  actor: Actor,
  m: Mission,
  slots: readonly Slot[],
  signUps: readonly SignUp[],
  members: ReadonlyMap<string, Member>,
  group: GroupMembership | undefined,
  now: Date,
): MissionDetail {
  const organiser = members.get(m.organiserId);
  const runs = mayManageMission(actor.member, m, { group });
  const relation = relationTo(actor, m.organiserId, group);
  const views = slots.map((s): SlotView => {
    const ofSlot = signUps.filter((u) => u.slotId === s.id);
    const mine = ofSlot.some((u) => u.memberId === actor.memberId);
    return {
      id: s.id,
      ...slotTimes(s),
      needed: s.needed,
      signedUp: s.signedUp,
      mine,
      open: !mine && s.signedUp < s.needed && mayVolunteer(actor.member, organiser, m, s, relation, now),
      volunteers: ofSlot.flatMap((u) => {
        const v = members.get(u.memberId);
        if (!v || !maySeeVolunteer(actor.member, v, runs, relationTo(actor, v.id), now)) return [];
        return [{ ...person(v), ...(runs ? { attended: u.attended } : {}) }];
      }),
    };
  });
  return {
    ...card(actor, m, organiser, runs, now),
    description: m.description,
    slots: views,
    can: { manage: runs, signUp: views.some((v) => v.open) },
  };
}

const groupIdOf = (a: Audience) => (a.kind === 'group' ? a.groupId : undefined);
const sectionIdOf = (a: Audience) =>
  a.kind === 'section-public' || a.kind === 'section-private' ? a.sectionId : undefined;

/** Profiles and the viewer's group memberships in one BatchGet (plus any other items asked for). */
async function load(
  actor: Actor,
  memberIds: Iterable<string>,
  groupIds: Iterable<string>,
  extraKeys: readonly Record<string, unknown>[] = [],
) {
  const ids = [...new Set(memberIds)].filter((id) => id !== actor.memberId);
  const groups = [...new Set(groupIds)];
  const keys = [
    ...extraKeys,
    ...ids.map(memberKey),
    ...groups.map((g) => groupMembershipKey(g, actor.memberId)),
  ];
  const items = keys.length ? await getAll(keys, true) : [];
  const members = new Map<string, Member>([[actor.memberId, actor.member]]);
  const memberships = new Map<string, GroupMembership>();
  const extra: Record<string, unknown>[] = [];
  for (const item of items) {
    if (item.type === 'member') members.set(String(item.id), memberFromItem(item));
    else if (item.type === 'group-membership') {
      const m = membershipFromItem(item);
      memberships.set(m.groupId, m);
    } else extra.push(item);
  }
  return { members, memberships, extra };
}

// ————— Creating —————

/**
 * A secretary creates a mission for their section, or a group's admin for the group (3 round
 * trips: state, the place, one transaction with the slots and the fan-out task that notifies the
 * circle — never a blocked member — and fills their « mes missions »).
 */
export async function createMission(
  actor: Actor,
  input: z.infer<typeof MissionInput>,
  deps: Deps = defaultDeps,
): Promise<MissionDetail> {
  const now = deps.now();
  const audience = input.audience;
  if (audience.kind !== 'section-public' && audience.kind !== 'section-private' && audience.kind !== 'group')
    throw REFUSALS.not_in_audience();
  const parsed = parseSlots(input.slots, now);
  const groupId = groupIdOf(audience);
  const sectionId = sectionIdOf(audience);
  const items = await getAll(
    groupId
      ? [groupKey(groupId), groupMembershipKey(groupId, actor.memberId)]
      : sectionId
        ? [sectionKey(sectionId)]
        : [],
    true,
  );
  const group = items.find((i) => i.type === 'group');
  const section = items.find((i) => i.type === 'section');
  const membershipItem = items.find((i) => i.type === 'group-membership');
  const membership = membershipItem ? membershipFromItem(membershipItem) : undefined;
  const refusal = mayOrganiseMission(actor.member, audience, { group: membership });
  if (refusal) throw REFUSALS[refusal]();
  if (sectionId && !section) throw new NotFoundError('section.not_found', 'Section introuvable.');
  if (groupId && !group) throw REFUSALS.not_organiser();
  const mission: Mission = {
    id: deps.newId(),
    title: input.title,
    description: input.description ?? '',
    kind: input.kind,
    place: input.place,
    audience,
    placeName: group ? groupFromItem(group).name : section ? sectionFromItem(section).name : '',
    department: section ? sectionFromItem(section).department : null,
    organiserId: actor.memberId,
    status: 'open',
    startsAt: parsed[0]?.startsAt ?? '',
    endsAt:
      parsed
        .map((s) => s.endsAt)
        .sort()
        .at(-1) ?? '',
    needed: parsed.reduce((sum, s) => sum + s.needed, 0),
    signedUp: 0,
    createdAt: now.toISOString(),
    closedAt: null,
    cancelReason: null,
  };
  const slots: Slot[] = parsed.map((s) => ({ missionId: mission.id, id: deps.newId(), ...s, signedUp: 0 }));
  await transact([
    ...newMissionWrites(mission, slots),
    queueTaskWrite({ id: mission.id, kind: MISSION_NEW_TASK, payload: { missionId: mission.id } }, now),
  ]);
  return detail(actor, mission, slots, [], new Map([[actor.memberId, actor.member]]), membership, now);
}

// ————— Reading —————

/**
 * A mission's page (3 round trips: state, its partition, one BatchGet of the organiser, the
 * volunteers and the viewer's group membership): coverage per slot for every reader, the
 * volunteers the viewer may see, attendance for those who run it. 404 for anyone else.
 */
export async function getMissionDetail(
  actor: Actor,
  missionId: string,
  deps: Deps = defaultDeps,
): Promise<MissionDetail> {
  const now = deps.now();
  const { mission, slots, signUps } = await missionWithSlots(missionId);
  if (!mission) throw NOT_FOUND();
  const groupId = groupIdOf(mission.audience);
  const { members, memberships } = await load(
    actor,
    [mission.organiserId, ...signUps.map((s) => s.memberId)],
    groupId ? [groupId] : [],
  );
  const group = groupId ? memberships.get(groupId) : undefined;
  const relation = relationTo(actor, mission.organiserId, group);
  if (!mayReadMission(actor.member, members.get(mission.organiserId), mission, relation, now))
    throw NOT_FOUND();
  return detail(actor, mission, slots, signUps, members, group, now);
}

/** Keeps the missions the viewer may see, with the organisers and memberships loaded. */
function readable(
  actor: Actor,
  missions: readonly Mission[],
  loaded: { members: Map<string, Member>; memberships: Map<string, GroupMembership> },
  now: Date,
): MissionCard[] {
  return missions.flatMap((m) => {
    const groupId = groupIdOf(m.audience);
    const group = groupId ? loaded.memberships.get(groupId) : undefined;
    const organiser = loaded.members.get(m.organiserId);
    if (!mayReadMission(actor.member, organiser, m, relationTo(actor, m.organiserId, group), now)) return [];
    return [card(actor, m, organiser, mayManageMission(actor.member, m, { group }), now)];
  });
}

/**
 * S1 — lists of missions, 20 a page, each filtered by the policy after paging (a page can be
 * shorter, with a cursor): by default « mes missions » (the open missions of my section and my
 * groups, not over, soonest first); `section` / `group`: that place's missions (`state`:
 * `upcoming`, `over` — open, to close —, `closed`); `near`: open missions for the public of the
 * sections of a department. 3 round trips each.
 */
export async function listMissions(
  actor: Actor,
  query: z.infer<typeof MissionsQuery>,
  deps: Deps = defaultDeps,
): Promise<{ items: MissionCard[]; cursor: string | null }> {
  const now = deps.now();
  const places = [query.section, query.group, query.near].filter((p) => p !== undefined);
  if (places.length > 1)
    throw new ValidationError('mission.one_list', 'Une liste à la fois : section, groupe ou département.');
  if (query.state && !query.section && !query.group)
    throw new ValidationError(
      'mission.state_needs_place',
      'L’état se choisit pour la liste d’une section ou d’un groupe.',
      'state',
    );
  const opts = { limit: PAGE, startKey: startKeyOf(query.cursor) };
  if (query.section || query.group) {
    const place = query.group
      ? ({ kind: 'group', groupId: query.group } as const)
      : ({ kind: 'section', sectionId: query.section ?? '' } as const);
    const page = await missionsOfPlace(place, query.state ?? 'upcoming', now, opts);
    const loaded = await load(
      actor,
      page.items.map((m) => m.organiserId),
      query.group ? [query.group] : [],
    );
    return { items: readable(actor, page.items, loaded, now), cursor: encodeCursor(page.lastKey) };
  }
  if (query.near) {
    const page = await openMissionsNear(query.near, now, opts);
    const loaded = await load(
      actor,
      page.items.map((m) => m.organiserId),
      [],
    );
    return { items: readable(actor, page.items, loaded, now), cursor: encodeCursor(page.lastKey) };
  }
  // « Mes missions »: the entries carry the organiser and the audience, so one BatchGet brings the
  // missions, their organisers and my memberships of their groups.
  const page = await missionEntriesOf(actor.memberId, now, opts);
  const loaded = await load(
    actor,
    page.items.map((e) => e.organiserId),
    page.items.flatMap((e) => groupIdOf(e.audience) ?? []),
    page.items.map((e) => missionItemKey(e.missionId)),
  );
  const missions = loaded.extra
    .filter((i) => i.type === 'mission')
    .map(missionFromItem)
    .filter((m) => m.status === 'open');
  const byId = new Map(missions.map((m) => [m.id, m]));
  const ordered = page.items.flatMap((e) => byId.get(e.missionId) ?? []);
  return { items: readable(actor, ordered, loaded, now), cursor: encodeCursor(page.lastKey) };
}

export interface MySignUp {
  mission: MissionCard;
  slot: { id: string; start: string; end: string; startsAt: string; endsAt: string };
  at: string;
  attended: boolean | null;
}

/** S1 — my sign-ups (`upcoming`: slots not over, soonest first; `past`: latest first), 20 a page. */
export async function mySignUps(
  actor: Actor,
  query: z.infer<typeof SignUpsQuery>,
  deps: Deps = defaultDeps,
): Promise<{ items: MySignUp[]; cursor: string | null }> {
  const now = deps.now();
  const page = await signUpsOf(actor.memberId, query.when ?? 'upcoming', now, {
    limit: PAGE,
    startKey: startKeyOf(query.cursor),
  });
  const loaded = await load(
    actor,
    page.items.map((s) => s.organiserId),
    page.items.flatMap((s) => groupIdOf(s.audience) ?? []),
    [...new Set(page.items.map((s) => s.missionId))].map(missionItemKey),
  );
  const missions = new Map(
    loaded.extra.filter((i) => i.type === 'mission').map((i) => [String(i.id), missionFromItem(i)]),
  );
  const cards = new Map(readable(actor, [...missions.values()], loaded, now).map((c) => [c.id, c] as const));
  return {
    items: page.items.flatMap((s) => {
      const mission = cards.get(s.missionId);
      if (!mission) return [];
      return [
        {
          mission,
          slot: { id: s.slotId, ...slotTimes({ startsAt: s.slotStartsAt, endsAt: s.slotEndsAt }) },
          at: s.at,
          attended: s.attended,
        },
      ];
    }),
    cursor: encodeCursor(page.lastKey),
  };
}

// ————— Signing up and withdrawing —————

/** Attempts of a transaction that meets a concurrent one on the same slot (TransactionConflict). */
const CONFLICT_ATTEMPTS = 8;

function isTransactionConflict(error: unknown): boolean {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return (
    (error as { name?: string }).name === 'TransactionCanceledException' &&
    !!reasons?.some((r) => r.Code === 'TransactionConflict') &&
    !reasons.some((r) => r.Code === 'ConditionalCheckFailed')
  );
}

/**
 * Runs a transaction, retrying it after a random pause (full jitter, growing) while it only
 * conflicts with another one on the same items — many members signing up to one slot at once.
 * A condition that fails is the caller's answer; conflicts that outlast the attempts are a 503
 * the member may retry, never a 500.
 */
export async function transactRetryingConflicts(
  writes: TxWrite[],
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await transact(writes);
      return;
    } catch (error) {
      if (!isTransactionConflict(error)) throw error;
      if (attempt >= CONFLICT_ATTEMPTS)
        throw new UnavailableError(
          'mission.busy',
          'Beaucoup d’inscriptions arrivent en même temps : réessayez dans un instant.',
        );
      logger.debug('transaction conflict, retrying', { attempt });
      await sleep(Math.random() * Math.min(1000, 20 * 2 ** attempt));
    }
  }
}

/**
 * Signs the actor up to a slot (3 round trips: state, the mission's partition, one transaction).
 * The transaction holds the capacity: the sign-up absent, the slot's count below what is needed,
 * the mission open — and what the actor's own facts cannot decide about reading the mission (the
 * organiser still visible to them, their group membership) as conditions. 50 members at once on
 * a slot of 10: exactly 10 get in, the others « Ce créneau est complet. ».
 */
export async function signUp(
  actor: Actor,
  missionId: string,
  slotId: string,
  deps: Deps = defaultDeps,
): Promise<{ missionId: string; slotId: string; at: string }> {
  const now = deps.now();
  const { mission, slots, signUps } = await missionWithSlots(missionId);
  if (!mission) throw NOT_FOUND();
  // Those who run a section's mission need no condition; anyone else reads it as its audience.
  const runsIt = mayManageMission(actor.member, mission, {});
  const checks = runsIt
    ? []
    : readChecks(actor, { authorId: mission.organiserId, audience: mission.audience });
  if (!checks) throw NOT_FOUND();
  const slot = slots.find((s) => s.id === slotId);
  if (!slot) throw new NotFoundError('mission.slot_not_found', 'Ce créneau n’existe pas.');
  if (mission.status !== 'open') throw CLOSED();
  if (Date.parse(slot.startsAt) <= now.getTime())
    throw new ConflictError('mission.slot_started', 'Ce créneau a déjà commencé.');
  if (signUps.some((s) => s.slotId === slotId && s.memberId === actor.memberId))
    throw new ConflictError('mission.already_signed_up', 'Vous êtes déjà inscrit·e à ce créneau.');
  if (slot.signedUp >= slot.needed) throw FULL();
  const at = now.toISOString();
  const writes = [
    ...signUpWrites({
      missionId,
      slotId,
      memberId: actor.memberId,
      at,
      attended: null,
      slotStartsAt: slot.startsAt,
      slotEndsAt: slot.endsAt,
      organiserId: mission.organiserId,
      audience: mission.audience,
    }),
    ...checks,
    // A sign-up: the member is no newcomer to welcome any more (issue 11).
    newcomerDelete(actor.memberId),
  ];
  try {
    await transactRetryingConflicts(writes);
  } catch (error) {
    switch (failedConditionIndex(error)) {
      case -1:
        throw error;
      case SIGNUP_WRITE.signUp:
        throw new ConflictError('mission.already_signed_up', 'Vous êtes déjà inscrit·e à ce créneau.');
      case SIGNUP_WRITE.slot:
        throw FULL();
      case SIGNUP_WRITE.mission:
        throw CLOSED();
      default:
        throw NOT_FOUND();
    }
  }
  return { missionId, slotId, at };
}

/** The actor withdraws from a slot: a place is free again (2 round trips: state, one transaction). */
export async function withdraw(actor: Actor, missionId: string, slotId: string): Promise<void> {
  try {
    await transactRetryingConflicts(withdrawWrites(missionId, slotId, actor.memberId));
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === -1) throw error;
    if (failed === 2) throw CLOSED();
    throw new NotFoundError('mission.not_signed_up', 'Vous n’êtes pas inscrit·e à ce créneau.');
  }
}

// ————— Running the mission —————

/**
 * The checks that make the actor one of those who run the mission when the write commits: none
 * for its organiser and its section's secretaries, the admin membership for a group's admins.
 * `null` when the actor does not run it (answered as an unknown mission: nothing is revealed).
 */
function runChecks(actor: Actor, mission: Mission): TxWrite[] | null {
  if (mayManageMission(actor.member, mission, {})) return [];
  const groupId = groupIdOf(mission.audience);
  return groupId ? [groupMembershipCheck(groupId, actor.memberId, { admin: true })] : null;
}

/** Those who run the mission mark a volunteer present or absent (3 round trips). */
export async function markAttendance(
  actor: Actor,
  missionId: string,
  slotId: string,
  memberId: string,
  input: z.infer<typeof AttendanceInput>,
): Promise<void> {
  const mission = await getMission(missionId);
  if (!mission) throw NOT_FOUND();
  const checks = runChecks(actor, mission);
  if (!checks) throw NOT_FOUND();
  if (mission.status === 'cancelled')
    throw new ConflictError('mission.cancelled', 'Cette mission est annulée.');
  try {
    await transact([...attendanceWrites(missionId, slotId, memberId, input.attended), ...checks]);
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === -1) throw error;
    if (failed === 0)
      throw new NotFoundError('mission.not_signed_up', 'Ce membre n’est pas inscrit à ce créneau.');
    if (failed === 1) throw new ConflictError('mission.cancelled', 'Cette mission est annulée.');
    throw NOT_FOUND();
  }
}

/**
 * Those who run the mission close it as done, or cancel it (3 round trips): it leaves the open
 * lists; on a cancellation every volunteer is told (`mission.changed`) by a task queued in the
 * same transaction — never a member who blocked the actor or whom the actor blocked.
 */
export async function closeMission(
  actor: Actor,
  missionId: string,
  input: z.infer<typeof CloseInput>,
  deps: Deps = defaultDeps,
): Promise<{ id: string; status: Mission['status']; closedAt: string }> {
  const now = deps.now();
  const { mission, signUps } = await missionWithSlots(missionId);
  if (!mission) throw NOT_FOUND();
  const checks = runChecks(actor, mission);
  if (!checks) throw NOT_FOUND();
  if (mission.status !== 'open') throw CLOSED();
  const closedAt = now.toISOString();
  const next: Mission = {
    ...mission,
    status: input.outcome,
    closedAt,
    cancelReason: input.outcome === 'cancelled' && input.reason ? input.reason : null,
  };
  const recipients = [...new Set(signUps.map((s) => s.memberId))].filter((id) => id !== actor.memberId);
  const noticeId = deps.newId();
  const change = next.cancelReason ? `elle est annulée (${next.cancelReason})` : 'elle est annulée';
  try {
    await transact([
      closeMissionWrite(next),
      ...checks,
      ...(input.outcome === 'cancelled' && recipients.length > 0
        ? [
            queueTaskWrite(
              {
                id: noticeId,
                kind: MISSION_CHANGED_TASK,
                payload: { missionId, noticeId, actorId: actor.memberId, recipients, change },
              },
              now,
            ),
          ]
        : []),
    ]);
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === -1) throw error;
    if (failed === 0) throw CLOSED();
    throw NOT_FOUND();
  }
  return { id: missionId, status: next.status, closedAt };
}
