import { fold } from '../text.ts';
import { queryPage, type TxWrite, tableName } from './client.ts';

/**
 * R1 — groups and their members. The group item is listed by name for everyone (gsi1 `GROUPS`)
 * and, when open to every member, for sympathisants too (gsi2 `GROUPS#ALL`). A membership lives
 * in the group's partition (members by join order, one Query) and is listed in the member's own
 * groups (gsi1); admins and pending requests each have a gsi2 list.
 */

export type JoinPolicy = 'open' | 'request';
export type GroupVisibility = 'all' | 'adherents';

export interface Group {
  id: string;
  name: string;
  description: string;
  joinPolicy: JoinPolicy;
  visibility: GroupVisibility;
  createdBy: string;
  createdAt: string;
  memberCount: number;
  /** Kept so that the last admin cannot leave a group with members (one read fewer). */
  adminCount: number;
}

export type GroupRole = 'member' | 'admin';
export type MembershipStatus = 'active' | 'pending';

export interface GroupMembership {
  groupId: string;
  memberId: string;
  role: GroupRole;
  status: MembershipStatus;
  at: string;
}

export const groupKey = (id: string) => ({ pk: `GROUP#${id}`, sk: 'META' });
export const groupMembershipKey = (groupId: string, memberId: string) => ({
  pk: `GROUP#${groupId}`,
  sk: `MEMBER#${memberId}`,
});

export function groupFromItem(i: Record<string, unknown>): Group {
  return {
    id: String(i.id),
    name: String(i.name),
    description: String(i.description ?? ''),
    joinPolicy: i.joinPolicy as JoinPolicy,
    visibility: i.visibility as GroupVisibility,
    createdBy: String(i.createdBy),
    createdAt: String(i.createdAt),
    memberCount: typeof i.memberCount === 'number' ? i.memberCount : 0,
    adminCount: typeof i.adminCount === 'number' ? i.adminCount : 0,
  };
}

export function membershipFromItem(i: Record<string, unknown>): GroupMembership {
  return {
    groupId: String(i.groupId),
    memberId: String(i.memberId),
    role: i.role as GroupRole,
    status: i.status as MembershipStatus,
    at: String(i.at),
  };
}

function groupItem(g: Group) {
  const sort = `${fold(g.name)}#${g.id}`;
  return {
    ...groupKey(g.id),
    type: 'group',
    ...g,
    gsi1pk: 'GROUPS',
    gsi1sk: sort,
    ...(g.visibility === 'all' ? { gsi2pk: 'GROUPS#ALL', gsi2sk: sort } : {}),
  };
}

function membershipItem(m: GroupMembership) {
  return {
    ...groupMembershipKey(m.groupId, m.memberId),
    type: 'group-membership',
    ...m,
    // My groups (active only); admins and pending requests as lists of the group.
    ...(m.status === 'active'
      ? { gsi1pk: `MEMBER#${m.memberId}#GROUPS`, gsi1sk: `${m.at}#${m.groupId}` }
      : {}),
    ...(m.status === 'pending'
      ? { gsi2pk: `GROUP#${m.groupId}#PENDING`, gsi2sk: `${m.at}#${m.memberId}` }
      : m.role === 'admin'
        ? { gsi2pk: `GROUP#${m.groupId}#ADMINS`, gsi2sk: `${m.at}#${m.memberId}` }
        : {}),
  };
}

/** A new group with its creator as first admin. */
export function newGroupWrites(g: Group): TxWrite[] {
  return [
    {
      Put: {
        TableName: tableName(),
        Item: groupItem({ ...g, memberCount: 1, adminCount: 1 }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: membershipItem({
          groupId: g.id,
          memberId: g.createdBy,
          role: 'admin',
          status: 'active',
          at: g.createdAt,
        }),
      },
    },
  ];
}

/** Saves the group's own fields (name, description, policies); the counts are left alone. */
export function saveGroupWrite(g: Group): TxWrite {
  const { memberCount: _m, adminCount: _a, ...item } = groupItem(g);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  for (const [k, v] of Object.entries(item)) {
    if (k === 'pk' || k === 'sk') continue;
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    sets.push(`#${k} = :${k}`);
  }
  if (!('gsi2pk' in item)) removes.push('gsi2pk', 'gsi2sk');
  return {
    Update: {
      TableName: tableName(),
      Key: groupKey(g.id),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** The group's counts moved by a membership change; removing an admin keeps at least one while others remain. */
function countsWrite(groupId: string, members: number, admins: number): TxWrite {
  const adds = [...(members ? ['memberCount :members'] : []), ...(admins ? ['adminCount :admins'] : [])];
  return {
    Update: {
      TableName: tableName(),
      Key: groupKey(groupId),
      UpdateExpression: `ADD ${adds.join(', ')}`,
      ConditionExpression:
        admins < 0
          ? 'attribute_exists(pk) AND (adminCount > :one OR memberCount = :one)'
          : 'attribute_exists(pk)',
      ExpressionAttributeValues: {
        ...(members ? { ':members': members } : {}),
        ...(admins ? { ':admins': admins } : {}),
        ...(admins < 0 ? { ':one': 1 } : {}),
      },
    },
  };
}

/**
 * A membership written (join, request, approval, role change), with the group's counts moved
 * in the same transaction. Index of the membership write: 0; of the counts (the last-admin
 * guard): 1.
 */
export function membershipWrites(
  m: GroupMembership,
  opts: {
    mustBeNew?: boolean;
    expect?: Partial<Pick<GroupMembership, 'status' | 'role'>>;
    members?: number;
    admins?: number;
  },
): TxWrite[] {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const conditions: string[] = [];
  if (opts.mustBeNew) conditions.push('attribute_not_exists(pk)');
  if (opts.expect?.status) {
    names['#status'] = 'status';
    values[':expectedStatus'] = opts.expect.status;
    conditions.push('#status = :expectedStatus');
  }
  if (opts.expect?.role) {
    names['#role'] = 'role';
    values[':expectedRole'] = opts.expect.role;
    conditions.push('#role = :expectedRole');
  }
  const condition = conditions.length
    ? {
        ConditionExpression: conditions.join(' AND '),
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      }
    : {};
  return [
    { Put: { TableName: tableName(), Item: membershipItem(m), ...condition } },
    ...(opts.members || opts.admins ? [countsWrite(m.groupId, opts.members ?? 0, opts.admins ?? 0)] : []),
  ];
}

/**
 * Ends a membership (leave, removal, refused request); fails at index 0 if it changed since it
 * was read, at index 1 if it would leave a group with members and no admin.
 */
export function membershipDeleteWrites(m: GroupMembership): TxWrite[] {
  const active = m.status === 'active';
  return [
    {
      Delete: {
        TableName: tableName(),
        Key: groupMembershipKey(m.groupId, m.memberId),
        ConditionExpression: '#status = :status AND #role = :role',
        ExpressionAttributeNames: { '#status': 'status', '#role': 'role' },
        ExpressionAttributeValues: { ':status': m.status, ':role': m.role },
      },
    },
    ...(active ? [countsWrite(m.groupId, -1, m.role === 'admin' ? -1 : 0)] : []),
  ];
}

/** R1 — groups by name prefix: every group for the adherents circle, open-to-all ones for others. */
export async function groupsByName(opts: {
  everyGroup: boolean;
  query?: string;
  limit: number;
  startKey?: Record<string, unknown>;
}): Promise<{ groups: Group[]; lastKey?: Record<string, unknown> }> {
  const page = await queryPage({
    index: opts.everyGroup ? 'gsi1' : 'gsi2',
    partition: opts.everyGroup ? 'GROUPS' : 'GROUPS#ALL',
    ...(opts.query ? { prefix: fold(opts.query) } : {}),
    limit: opts.limit,
    startKey: opts.startKey,
  });
  return { groups: page.items.map(groupFromItem), lastKey: page.lastKey };
}

/** R1 — the member's groups (active memberships), newest first. */
export async function groupsOf(
  memberId: string,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ memberships: GroupMembership[]; lastKey?: Record<string, unknown> }> {
  const page = await queryPage({
    index: 'gsi1',
    partition: `MEMBER#${memberId}#GROUPS`,
    newestFirst: true,
    ...opts,
  });
  return { memberships: page.items.map(membershipFromItem), lastKey: page.lastKey };
}

/** R1 — a group's active members (by member id), or its pending requests (by date). */
export async function membersOfGroup(
  groupId: string,
  opts: { pendingOnly: boolean; limit: number; startKey?: Record<string, unknown> },
): Promise<{ memberships: GroupMembership[]; lastKey?: Record<string, unknown> }> {
  const page = opts.pendingOnly
    ? await queryPage({
        index: 'gsi2',
        partition: `GROUP#${groupId}#PENDING`,
        limit: opts.limit,
        startKey: opts.startKey,
      })
    : await queryPage({
        partition: `GROUP#${groupId}`,
        prefix: 'MEMBER#',
        limit: opts.limit,
        startKey: opts.startKey,
      });
  return {
    memberships: page.items.map(membershipFromItem).filter((m) => opts.pendingOnly || m.status === 'active'),
    lastKey: page.lastKey,
  };
}

/** A transaction check that the member is an active member (or admin) of the group when it commits. */
export function groupMembershipCheck(
  groupId: string,
  memberId: string,
  opts: { admin?: boolean } = {},
): TxWrite {
  return {
    ConditionCheck: {
      TableName: tableName(),
      Key: groupMembershipKey(groupId, memberId),
      ConditionExpression: `#status = :active${opts.admin ? ' AND #role = :admin' : ''}`,
      ExpressionAttributeNames: { '#status': 'status', ...(opts.admin ? { '#role': 'role' } : {}) },
      ExpressionAttributeValues: { ':active': 'active', ...(opts.admin ? { ':admin': 'admin' } : {}) },
    },
  };
}
