import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import {
  blockedEitherWay,
  inAdherentsCircle,
  mayJoinGroup,
  maySeeGroup,
  profileAccess,
} from '../../auth/policy.ts';
import { failedConditionIndex, getAll, transact } from '../../data/client.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import {
  type Group,
  type GroupMembership,
  groupFromItem,
  groupKey,
  groupMembershipCheck,
  groupMembershipKey,
  groupsByName,
  groupsOf,
  membershipDeleteWrites,
  membershipFromItem,
  membershipWrites,
  membersOfGroup,
  newGroupWrites,
  saveGroupWrite,
} from '../../data/groups.ts';
import { type Member, memberFromItem, memberKey } from '../../data/members.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import { notify } from '../../notifications/notify.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { freeText } from '../schemas.ts';

/** Groups (SPEC §4): any member creates one and is its first admin; members join or ask to. */

export const GroupInput = z.strictObject({
  name: z.pipe(
    freeText(80),
    z.string().check(z.minLength(3, 'Le nom du groupe doit faire au moins 3 caractères.')),
  ),
  description: z.optional(freeText(2000)),
  joinPolicy: z.enum(['open', 'request']),
  visibility: z.enum(['all', 'adherents']),
});

export const GroupsQuery = z.strictObject({
  q: z.optional(z.string().check(z.trim(), z.maxLength(80))),
  mine: z.optional(z.enum(['true', 'false'])),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});
export const GroupMembersQuery = z.strictObject({
  pending: z.optional(z.enum(['true', 'false'])),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});
export const RoleInput = z.strictObject({ admin: z.boolean() });

const NOT_FOUND = () =>
  new NotFoundError('group.not_found', 'Ce groupe n’existe pas ou ne vous est pas visible.');
const NOT_ADMIN = () =>
  new ForbiddenError('group.not_admin', 'Seul·es les admins du groupe peuvent faire cela.');
const LAST_ADMIN = () =>
  new ConflictError(
    'group.last_admin',
    'Vous êtes le dernier ou la dernière admin : nommez d’abord un·e autre admin.',
  );

export interface GroupView {
  id: string;
  name: string;
  description: string;
  joinPolicy: Group['joinPolicy'];
  visibility: Group['visibility'];
  memberCount: number;
  /** The viewer's membership: `active` (as member or admin), `pending` (asked), or none. */
  me: { status: GroupMembership['status']; role: GroupMembership['role'] } | null;
}

const view = (g: Group, m: GroupMembership | undefined): GroupView => ({
  id: g.id,
  name: g.name,
  description: g.description,
  joinPolicy: g.joinPolicy,
  visibility: g.visibility,
  memberCount: g.memberCount,
  me: m ? { status: m.status, role: m.role } : null,
});

/** The group and the viewer's (or another member's) membership, in one BatchGet. */
async function groupWith(
  groupId: string,
  memberIds: readonly string[],
): Promise<{ group?: Group; memberships: Map<string, GroupMembership> }> {
  const items = await getAll(
    [groupKey(groupId), ...memberIds.map((m) => groupMembershipKey(groupId, m))],
    true,
  );
  const memberships = new Map<string, GroupMembership>();
  let group: Group | undefined;
  for (const item of items) {
    if (item.type === 'group') group = groupFromItem(item);
    else if (item.type === 'group-membership') {
      const m = membershipFromItem(item);
      memberships.set(m.memberId, m);
    }
  }
  return { ...(group ? { group } : {}), memberships };
}

async function visibleGroup(actor: Actor, groupId: string, others: readonly string[] = []) {
  const { group, memberships } = await groupWith(groupId, [actor.memberId, ...others]);
  const mine = memberships.get(actor.memberId);
  if (!group || !maySeeGroup(actor.member, group, mine)) throw NOT_FOUND();
  return { group, mine, memberships };
}

/** Creates a group; its creator is its first admin. */
export async function createGroup(
  actor: Actor,
  input: z.infer<typeof GroupInput>,
  deps: Deps = defaultDeps,
): Promise<GroupView> {
  if (actor.member.visibility === 'section')
    throw new ForbiddenError(
      'group.visibility_too_low',
      'Pour créer un groupe, choisissez d’abord d’être visible des adhérent·es ou de tous (Paramètres).',
    );
  if (input.visibility === 'adherents' && !inAdherentsCircle(actor.member))
    throw new ForbiddenError(
      'group.not_in_circle',
      'Un groupe réservé aux adhérent·es ne peut être créé que par un·e adhérent·e.',
    );
  const group: Group = {
    id: deps.newId(),
    name: input.name,
    description: input.description ?? '',
    joinPolicy: input.joinPolicy,
    visibility: input.visibility,
    createdBy: actor.memberId,
    createdAt: deps.now().toISOString(),
    memberCount: 1,
    adminCount: 1,
  };
  await transact(newGroupWrites(group));
  return view(group, {
    groupId: group.id,
    memberId: actor.memberId,
    role: 'admin',
    status: 'active',
    at: group.createdAt,
  });
}

/** R1 — groups by name (those the viewer may see), or the viewer's own groups. */
export async function listGroups(
  actor: Actor,
  query: z.infer<typeof GroupsQuery>,
): Promise<{ items: GroupView[]; cursor: string | null }> {
  const startKey = startKeyOf(query.cursor);
  if (query.mine === 'true') {
    const page = await groupsOf(actor.memberId, { limit: 50, startKey });
    const items = await getAll(
      page.memberships.map((m) => groupKey(m.groupId)),
      false,
    );
    const groups = new Map(items.map((i) => [String(i.id), groupFromItem(i)]));
    return {
      items: page.memberships.flatMap((m) => {
        const g = groups.get(m.groupId);
        return g ? [view(g, m)] : [];
      }),
      cursor: encodeCursor(page.lastKey),
    };
  }
  const page = await groupsByName({
    everyGroup: inAdherentsCircle(actor.member),
    ...(query.q ? { query: query.q } : {}),
    limit: 50,
    startKey,
  });
  const mine = await getAll(
    page.groups.map((g) => groupMembershipKey(g.id, actor.memberId)),
    false,
  );
  const memberships = new Map(mine.map((i) => [String(i.groupId), membershipFromItem(i)]));
  return {
    items: page.groups.map((g) => view(g, memberships.get(g.id))),
    cursor: encodeCursor(page.lastKey),
  };
}

export async function getGroup(actor: Actor, groupId: string): Promise<GroupView> {
  const { group, mine } = await visibleGroup(actor, groupId);
  return view(group, mine);
}

/** An admin changes the group's name, description, joining policy or visibility. */
export async function updateGroup(
  actor: Actor,
  groupId: string,
  input: z.infer<typeof GroupInput>,
): Promise<GroupView> {
  const { group, mine } = await visibleGroup(actor, groupId);
  if (mine?.status !== 'active' || mine.role !== 'admin') throw NOT_ADMIN();
  if (
    input.visibility === 'adherents' &&
    group.visibility !== 'adherents' &&
    !inAdherentsCircle(actor.member)
  )
    throw new ForbiddenError(
      'group.not_in_circle',
      'Un groupe réservé aux adhérent·es ne peut l’être que par un·e adhérent·e.',
    );
  const next: Group = { ...group, ...input, description: input.description ?? '' };
  try {
    await transact([saveGroupWrite(next), groupMembershipCheck(groupId, actor.memberId, { admin: true })]);
  } catch (error) {
    if (failedConditionIndex(error) === 1) throw NOT_ADMIN();
    if (failedConditionIndex(error) === 0) throw NOT_FOUND();
    throw error;
  }
  return view(next, mine);
}

/** Joins an open group at once, or asks to join one on request (its creator is notified). */
export async function joinGroup(
  actor: Actor,
  groupId: string,
  deps: Deps = defaultDeps,
): Promise<{ status: GroupMembership['status'] }> {
  const { group, mine } = await visibleGroup(actor, groupId);
  if (mine?.status === 'active')
    throw new ConflictError('group.already_member', 'Vous êtes déjà membre de ce groupe.');
  if (mine?.status === 'pending')
    throw new ConflictError('group.request_pending', 'Votre demande attend la réponse des admins.');
  if (!mayJoinGroup(actor.member, group))
    throw new ForbiddenError(
      'group.cannot_join',
      'Pour rejoindre un groupe, choisissez d’abord d’être visible des adhérent·es ou de tous (Paramètres).',
    );
  const status = group.joinPolicy === 'open' ? 'active' : 'pending';
  const writes = membershipWrites(
    { groupId, memberId: actor.memberId, role: 'member', status, at: deps.now().toISOString() },
    { mustBeNew: true, ...(status === 'active' ? { members: 1 } : {}) },
  );
  if (status === 'pending')
    writes.push(...notify(actor, group.createdBy, 'group.request', deps, { groupId }));
  try {
    await transact(writes);
  } catch (error) {
    if (failedConditionIndex(error) === 0)
      throw new ConflictError('group.already_member', 'Vous êtes déjà membre de ce groupe.');
    throw error;
  }
  return { status };
}

/** Leaves a group (or withdraws a request); the last admin of a group with members cannot. */
export async function leaveGroup(actor: Actor, groupId: string): Promise<void> {
  const { mine } = await visibleGroup(actor, groupId);
  if (!mine) throw new NotFoundError('group.not_member', 'Vous n’êtes pas membre de ce groupe.');
  await endMembership(mine);
}

async function endMembership(m: GroupMembership): Promise<void> {
  try {
    await transact(membershipDeleteWrites(m));
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === 1) throw LAST_ADMIN();
    if (failed === 0)
      throw new ConflictError('group.changed', 'Cette adhésion vient de changer : rechargez la page.');
    throw error;
  }
}

export interface GroupMemberCard {
  id: string;
  firstName: string;
  lastName: string;
  role: GroupMembership['role'];
  since: string;
}

/**
 * R1 — a group's members (or, for its admins, the pending requests). Only members the viewer may
 * see are listed: never a `section`-level member, never across a block (SPEC §2, §4).
 */
export async function listGroupMembers(
  actor: Actor,
  groupId: string,
  query: z.infer<typeof GroupMembersQuery>,
  deps: Deps = defaultDeps,
): Promise<{ items: GroupMemberCard[]; cursor: string | null }> {
  const pendingOnly = query.pending === 'true';
  const page = await membersOfGroup(groupId, { pendingOnly, limit: 50, startKey: startKeyOf(query.cursor) });
  const items = await getAll(
    [
      groupKey(groupId),
      groupMembershipKey(groupId, actor.memberId),
      ...page.memberships.map((m) => memberKey(m.memberId)),
    ],
    true,
  );
  const group = items.find((i) => i.type === 'group');
  const mineItem = items.find((i) => i.type === 'group-membership');
  const mine = mineItem ? membershipFromItem(mineItem) : undefined;
  if (!group || !maySeeGroup(actor.member, groupFromItem(group), mine)) throw NOT_FOUND();
  if (pendingOnly && (mine?.status !== 'active' || mine.role !== 'admin')) throw NOT_ADMIN();
  const members = new Map<string, Member>();
  for (const i of items) if (i.sk === 'PROFILE') members.set(String(i.id), memberFromItem(i));
  const now = deps.now();
  return {
    items: page.memberships.flatMap((m) => {
      const member = members.get(m.memberId);
      if (!member) return [];
      const self = member.id === actor.memberId;
      const relation = {
        coopains: actor.coopains.has(member.id),
        blocked: blockedEitherWay(actor.blocks, member.id),
      };
      // A request is shown to the admins so they can answer it; otherwise only members the viewer may see.
      const shown =
        self ||
        (member.visibility !== 'section' && profileAccess(actor.member, member, relation, now) !== null) ||
        (pendingOnly && member.visibility !== 'section' && !relation.blocked);
      return shown
        ? [
            {
              id: member.id,
              firstName: member.firstName,
              lastName: member.lastName,
              role: m.role,
              since: m.at,
            },
          ]
        : [];
    }),
    cursor: encodeCursor(page.lastKey),
  };
}

/** An admin accepts a request to join (the member is notified). */
export async function approveRequest(
  actor: Actor,
  groupId: string,
  memberId: string,
  deps: Deps = defaultDeps,
): Promise<void> {
  // A request across a block is not shown to the admin, and cannot be answered: like no request.
  if (blockedEitherWay(actor.blocks, memberId))
    throw new NotFoundError('group.no_request', 'Cette demande n’existe plus.');
  const writes = membershipWrites(
    { groupId, memberId, role: 'member', status: 'active', at: deps.now().toISOString() },
    { expect: { status: 'pending' }, members: 1 },
  );
  const check = writes.length;
  writes.push(
    groupMembershipCheck(groupId, actor.memberId, { admin: true }),
    ...notify(actor, memberId, 'group.approved', deps, { groupId }),
  );
  try {
    await transact(writes);
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === check) throw NOT_FOUND();
    if (failed === 0) throw new NotFoundError('group.no_request', 'Cette demande n’existe plus.');
    throw error;
  }
}

/** The admin's view of another member's membership (read with the group), or 404. */
async function targetOf(actor: Actor, groupId: string, memberId: string) {
  if (memberId === actor.memberId)
    throw new ValidationError('group.self', 'Pour vous-même, quittez le groupe.', 'memberId');
  const { memberships } = await visibleGroup(actor, groupId, [memberId]);
  const mine = memberships.get(actor.memberId);
  if (mine?.status !== 'active' || mine.role !== 'admin') throw NOT_ADMIN();
  const target = memberships.get(memberId);
  if (!target) throw new NotFoundError('group.not_member', 'Ce membre n’est pas dans le groupe.');
  return target;
}

/** An admin removes a member, or refuses a request. */
export async function removeGroupMember(actor: Actor, groupId: string, memberId: string): Promise<void> {
  const target = await targetOf(actor, groupId, memberId);
  await endMembership(target);
}

/** An admin makes a member admin, or an admin a member again. */
export async function setGroupRole(
  actor: Actor,
  groupId: string,
  memberId: string,
  input: z.infer<typeof RoleInput>,
): Promise<void> {
  // Naming someone admin across a block would reach them: they are not in the admin's list.
  if (blockedEitherWay(actor.blocks, memberId))
    throw new NotFoundError('group.not_member', 'Ce membre n’est pas dans le groupe.');
  const target = await targetOf(actor, groupId, memberId);
  if (target.status !== 'active') throw new ConflictError('group.not_active', 'Acceptez d’abord sa demande.');
  const role = input.admin ? 'admin' : 'member';
  if (target.role === role) return;
  const writes = [
    ...membershipWrites(
      { ...target, role },
      { expect: { status: 'active', role: target.role }, admins: input.admin ? 1 : -1 },
    ),
    groupMembershipCheck(groupId, actor.memberId, { admin: true }),
  ];
  try {
    await transact(writes);
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === 2) throw NOT_ADMIN();
    if (failed === 1) throw LAST_ADMIN();
    if (failed === 0)
      throw new ConflictError('group.changed', 'Cette adhésion vient de changer : rechargez la page.');
    throw error;
  }
}
