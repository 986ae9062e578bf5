import { BatchGetCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../errors.ts';
import { fold } from '../text.ts';
import { db, failedConditionIndex, getAll, queryPage, type TxWrite, tableName } from './client.ts';
import { type ContactDetails, contactDetailsKey, contactFromItem } from './contact-details.ts';
import { directoryRemovalWrites, directoryWrites } from './directory.ts';
import { newcomerPut } from './newcomers.ts';
import { sectionStatsChanged } from './section-stats.ts';

export const MEMBERSHIPS = ['adherent', 'mjs', 'sympathisant'] as const;
export type Membership = (typeof MEMBERSHIPS)[number];
export const VISIBILITIES = ['section', 'adherents', 'all'] as const;
export type Visibility = (typeof VISIBILITIES)[number];
/** `pending` until the email address is confirmed; `deleted` is a tombstone during erasure. */
export type MemberState = 'pending' | 'active' | 'suspended' | 'deleted';

export interface MemberRoles {
  /** Ids of the sections this member is secretary of. */
  secretaryOf: string[];
  coopilote: boolean;
  admin: boolean;
}

/** An elected office declared by the member, verified by their secretary or an admin (M8). */
export interface Mandate {
  id: string;
  office: string;
  territory: string;
  /** `YYYY-MM-DD` */
  startDate: string;
  endDate: string | null;
  verified: boolean;
  verifiedBy?: string;
  verifiedAt?: string;
}

/** The member item (M1): profile, state and roles. Never holds contact details (rule 3). */
export interface Member {
  id: string;
  /**
   * The Cognito user (`sub`) this member is bound to. The ID token's `custom:member_id` is set at
   * sign-up through the public client, so it is only trusted when the token's `sub` matches this.
   */
  cognitoSub: string;
  firstName: string;
  lastName: string;
  bio: string;
  /** What the member said at sign-up. */
  membershipClaim: Membership;
  /** Set by the section secretary or an admin; until then the member counts as sympathisant. */
  membershipConfirmed: boolean;
  sectionId: string | null;
  /** Denormalised so that a profile read costs one item (sections are renamed rarely, by admins). */
  sectionName: string | null;
  visibility: Visibility;
  state: MemberState;
  /** ISO time the suspension ends; absent for a permanent one. */
  suspendedUntil?: string;
  roles: MemberRoles;
  /** A few per member at most: kept on the profile item, read with it. */
  mandates: Mandate[];
  /** When this secretary accepted the charter's confidentiality commitment (§1). */
  confidentialityAcceptedAt?: string;
  createdAt: string;
  updatedAt: string;
  /** Optimistic concurrency: every save checks and bumps it. */
  version: number;
}

const key = (id: string) => ({ pk: `MEMBER#${id}`, sk: 'PROFILE' });
/** The profile item's key (exported for reads batched with other entities' items). */
export const memberKey = key;
const blockListKey = (id: string) => ({ pk: `MEMBER#${id}`, sk: 'BLOCKLIST' });
/** G6 — the ids of a member's coopains as one set, kept with the link items (coopains.ts). */
export const coopainSetKey = (id: string) => ({ pk: `MEMBER#${id}`, sk: 'COOPAINSET' });

/**
 * Index attributes derived from the member, recomputed on every save:
 * gsi1 = M4 membersBySection (roster by name, hidden members included);
 * gsi2 = M5 pendingConfirmationsBySection (sparse: only unconfirmed adherent/MJS claims);
 * gsi3 = Q3 suspensionsEndingBefore (sparse: only timed suspensions).
 */
function memberIndexes(m: Member) {
  const pending =
    m.sectionId && m.membershipClaim !== 'sympathisant' && !m.membershipConfirmed && m.state !== 'deleted';
  const timedSuspension = m.state === 'suspended' && m.suspendedUntil;
  return {
    ...(m.sectionId && m.state !== 'deleted'
      ? {
          gsi1pk: `SECTION#${m.sectionId}#ROSTER`,
          gsi1sk: `${fold(m.lastName)} ${fold(m.firstName)}#${m.id}`,
        }
      : {}),
    ...(pending ? { gsi2pk: `SECTION#${m.sectionId}#PENDING`, gsi2sk: `${m.createdAt}#${m.id}` } : {}),
    ...(timedSuspension ? { gsi3pk: 'SUSPENDED', gsi3sk: `${m.suspendedUntil}#${m.id}` } : {}),
  };
}

function toItem(m: Member) {
  return { ...key(m.id), type: 'member', ...m, ...memberIndexes(m) };
}

/** Marshals a stored profile item (exported for reads batched with other entities' items). */
export function memberFromItem(item: Record<string, unknown>): Member {
  return fromItem(item);
}

function fromItem(item: Record<string, unknown>): Member {
  const roles = (item.roles ?? {}) as Partial<MemberRoles>;
  return {
    id: String(item.id),
    cognitoSub: typeof item.cognitoSub === 'string' ? item.cognitoSub : '',
    firstName: String(item.firstName),
    lastName: String(item.lastName),
    bio: typeof item.bio === 'string' ? item.bio : '',
    membershipClaim: item.membershipClaim as Membership,
    membershipConfirmed: item.membershipConfirmed === true,
    sectionId: typeof item.sectionId === 'string' ? item.sectionId : null,
    sectionName: typeof item.sectionName === 'string' ? item.sectionName : null,
    visibility: item.visibility as Visibility,
    state: item.state as MemberState,
    ...(typeof item.suspendedUntil === 'string' ? { suspendedUntil: item.suspendedUntil } : {}),
    roles: {
      secretaryOf: Array.isArray(roles.secretaryOf) ? roles.secretaryOf.map(String) : [],
      coopilote: roles.coopilote === true,
      admin: roles.admin === true,
    },
    mandates: Array.isArray(item.mandates) ? (item.mandates as Mandate[]) : [],
    ...(typeof item.confidentialityAcceptedAt === 'string'
      ? { confidentialityAcceptedAt: item.confidentialityAcceptedAt }
      : {}),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: typeof item.version === 'number' ? item.version : 0,
  };
}

/** M1 memberById — strongly consistent. */
export async function getMember(id: string): Promise<Member | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: key(id), ConsistentRead: true }));
  return out.Item ? fromItem(out.Item) : undefined;
}

/** Who a member blocks and who blocks them (G4/G5), kept on one item read with the profile. */
export interface BlockLists {
  blocks: ReadonlySet<string>;
  blockedBy: ReadonlySet<string>;
}

function blockListsOf(item: Record<string, unknown> | undefined): BlockLists {
  const asSet = (v: unknown) => (v instanceof Set ? new Set([...v].map(String)) : new Set<string>());
  return { blocks: asSet(item?.blocks), blockedBy: asSet(item?.blockedBy) };
}

/**
 * M1 + G5 + G6 in one round trip — the per-request state check (rule 5): the member item, their
 * block lists and their coopains' ids, strongly consistent. With the coopain set in hand, reading
 * content needs no coopain link per author (feeds stay within 3 round trips).
 */
export async function getMemberWithBlocks(
  id: string,
): Promise<{ member: Member; blocks: BlockLists; coopains: ReadonlySet<string> } | undefined> {
  const out = await db().send(
    new BatchGetCommand({
      RequestItems: {
        [tableName()]: { Keys: [key(id), blockListKey(id), coopainSetKey(id)], ConsistentRead: true },
      },
    }),
  );
  const items = out.Responses?.[tableName()] ?? [];
  const profile = items.find((i) => i.sk === 'PROFILE');
  if (!profile) return undefined;
  const ids = items.find((i) => i.sk === 'COOPAINSET')?.ids;
  return {
    member: fromItem(profile),
    blocks: blockListsOf(items.find((i) => i.sk === 'BLOCKLIST')),
    coopains: ids instanceof Set ? new Set([...ids].map(String)) : new Set<string>(),
  };
}

// — Events and agenda (issue 6): the iCalendar feed's one read of the member —
/**
 * M1 + G5 + G6 and other items of the member's own partition in the same round trip: the
 * iCalendar feed (a public route, no token) reads the feed's token item with the member's state.
 */
export async function getMemberWithBlocksAnd(
  id: string,
  extraKeys: readonly { pk: string; sk: string }[],
): Promise<
  | { member: Member; blocks: BlockLists; coopains: ReadonlySet<string>; extra: Record<string, unknown>[] }
  | undefined
> {
  const own = [key(id), blockListKey(id), coopainSetKey(id)];
  const items = await getAll([...own, ...extraKeys], true);
  const profile = items.find((i) => i.pk === `MEMBER#${id}` && i.sk === 'PROFILE');
  if (!profile) return undefined;
  const ids = items.find((i) => i.pk === `MEMBER#${id}` && i.sk === 'COOPAINSET')?.ids;
  return {
    member: fromItem(profile),
    blocks: blockListsOf(items.find((i) => i.pk === `MEMBER#${id}` && i.sk === 'BLOCKLIST')),
    coopains: ids instanceof Set ? new Set([...ids].map(String)) : new Set<string>(),
    extra: items.filter((i) => !own.some((k) => k.pk === i.pk && k.sk === i.sk)),
  };
}

/**
 * A member seen by another, in one round trip: the profile and whether the viewer and the member
 * are coopains (G1), strongly consistent (a visibility just lowered must apply at once).
 */
export async function getMemberSeenBy(
  viewerId: string,
  memberId: string,
): Promise<{ member: Member; coopains: boolean } | undefined> {
  const coopainKey = { pk: `MEMBER#${viewerId}`, sk: `COOPAIN#${memberId}` };
  const out = await db().send(
    new BatchGetCommand({
      RequestItems: { [tableName()]: { Keys: [key(memberId), coopainKey], ConsistentRead: true } },
    }),
  );
  const items = out.Responses?.[tableName()] ?? [];
  const profile = items.find((i) => i.sk === 'PROFILE');
  if (!profile) return undefined;
  return { member: fromItem(profile), coopains: items.some((i) => i.sk === coopainKey.sk) };
}

/**
 * A member and their contact details (M1 + M2) in one round trip, for the contact route: the
 * caller applies the policy to the member item before returning anything of the contact.
 */
export async function getMemberWithContact(
  memberId: string,
): Promise<{ member: Member; contact?: ContactDetails } | undefined> {
  const out = await db().send(
    new BatchGetCommand({
      RequestItems: {
        [tableName()]: { Keys: [key(memberId), contactDetailsKey(memberId)], ConsistentRead: true },
      },
    }),
  );
  const items = out.Responses?.[tableName()] ?? [];
  const profile = items.find((i) => i.sk === 'PROFILE');
  if (!profile) return undefined;
  const contact = items.find((i) => i.sk === 'CONTACT');
  return { member: fromItem(profile), ...(contact ? { contact: contactFromItem(contact) } : {}) };
}

/** Several members by id (≤ 100), strongly consistent; unknown ids are absent from the map. */
export async function getMembers(ids: readonly string[]): Promise<Map<string, Member>> {
  const items = await getAll([...new Set(ids)].map(key), true);
  return new Map(items.map((item) => [String(item.id), fromItem(item)]));
}

/** Creates the member item and its directory entries; fails if the id exists. */
export function putNewMember(member: Member): TxWrite[] {
  return [
    {
      Put: { TableName: tableName(), Item: toItem(member), ConditionExpression: 'attribute_not_exists(pk)' },
    },
    ...directoryWrites(undefined, member),
    ...statsMarkers(undefined, member),
    newcomerPut(member),
  ];
}

/** The member fields a section's dashboard counts (shared/data/section-stats.ts). */
const COUNTED = ['membershipClaim', 'membershipConfirmed', 'visibility', 'state', 'sectionId'] as const;

/** A change marker for each section whose dashboard figures this change moves (none for a bio edit). */
function statsMarkers(before: Member | undefined, after: Member): TxWrite[] {
  const moved =
    !before ||
    COUNTED.some((f) => before[f] !== after[f]) ||
    JSON.stringify(before.mandates.map((m) => m.verified)) !==
      JSON.stringify(after.mandates.map((m) => m.verified));
  if (!moved) return [];
  const sections = new Set([before?.sectionId, after.sectionId].filter((s): s is string => !!s));
  return [...sections].map((s) => sectionStatsChanged(s, after.updatedAt));
}

/**
 * Saves a changed member: the item (checked against the version read), its index attributes and
 * directory entries recomputed, plus any writes that must happen with it, in one transaction.
 * Every change of a member goes through here, so indexes never drift from the item.
 */
export async function saveMember(before: Member, after: Member, withIt: TxWrite[] = []): Promise<Member> {
  const next = { ...after, version: before.version + 1 };
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: toItem(next),
              ConditionExpression:
                before.version === 0
                  ? 'attribute_exists(pk) AND (attribute_not_exists(version) OR version = :v)'
                  : 'version = :v',
              ExpressionAttributeValues: { ':v': before.version },
            },
          },
          ...directoryWrites(before, next),
          ...statsMarkers(before, next),
          ...withIt,
        ],
      }),
    );
  } catch (error) {
    if (failedConditionIndex(error) === 0) {
      throw new ConflictError(
        'member.conflict',
        'Ce profil a changé entre-temps : rechargez la page et recommencez.',
      );
    }
    throw error;
  }
  return next;
}

/**
 * A coopilote's suspension, written in the decision's transaction without reading the member
 * first (3 round trips): the state (refused at once by the per-request check), the end of a timed
 * suspension and its Q3 index entry, the version bumped; the directory entries go (whichever
 * exist). `clearBio` removes the profile's text in the same write when the profile itself was
 * reported. Fails (condition) for a deleted or unknown member.
 */
export function suspendWrites(
  memberId: string,
  until: string | null,
  now: string,
  opts: { clearBio?: boolean } = {},
): TxWrite[] {
  const sets = ['#state = :suspended', 'version = version + :one', 'updatedAt = :now'];
  const values: Record<string, unknown> = {
    ':suspended': 'suspended',
    ':one': 1,
    ':deleted': 'deleted',
    ':now': now,
  };
  if (until) {
    sets.push('suspendedUntil = :until', 'gsi3pk = :q3', 'gsi3sk = :q3sk');
    Object.assign(values, { ':until': until, ':q3': 'SUSPENDED', ':q3sk': `${until}#${memberId}` });
  }
  if (opts.clearBio) {
    sets.push('bio = :empty');
    values[':empty'] = '';
  }
  return [
    {
      Update: {
        TableName: tableName(),
        Key: key(memberId),
        UpdateExpression: `SET ${sets.join(', ')}${until ? '' : ' REMOVE suspendedUntil, gsi3pk, gsi3sk'}`,
        ConditionExpression: 'attribute_exists(pk) AND #state <> :deleted',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: values,
      },
    },
    ...directoryRemovalWrites(memberId),
  ];
}

/** A coopilote removes a reported profile's text (the bio), without reading it first. */
export function clearBioWrite(memberId: string): TxWrite {
  return {
    Update: {
      TableName: tableName(),
      Key: key(memberId),
      UpdateExpression: 'SET bio = :empty, version = version + :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':empty': '', ':one': 1 },
    },
  };
}

/** Q3 suspensionsEndingBefore — timed suspensions whose end has passed (sparse gsi3), oldest first. */
export async function suspensionsEndingBefore(
  at: string,
  opts: { limit: number },
): Promise<{ memberId: string; until: string }[]> {
  const page = await queryPage({
    index: 'gsi3',
    partition: 'SUSPENDED',
    below: at,
    limit: opts.limit,
  });
  return page.items.map((i) => ({ memberId: String(i.id), until: String(i.suspendedUntil) }));
}

/** M4 membersBySection (roster by name, hidden members included) or M5 pending claims only. */
export async function membersBySection(
  sectionId: string,
  opts: { pendingOnly: boolean; limit: number; startKey?: Record<string, unknown> },
): Promise<{ items: Member[]; lastKey?: Record<string, unknown> }> {
  const page = await queryPage({
    index: opts.pendingOnly ? 'gsi2' : 'gsi1',
    partition: opts.pendingOnly ? `SECTION#${sectionId}#PENDING` : `SECTION#${sectionId}#ROSTER`,
    limit: opts.limit,
    startKey: opts.startKey,
  });
  return { items: page.items.map(fromItem), lastKey: page.lastKey };
}

/**
 * A transaction check that the member is active and not at `section` visibility — someone who
 * may have coopains (SPEC §2–3) at the moment the transaction commits.
 */
export function mayHaveCoopainsCheck(id: string): TxWrite {
  return {
    ConditionCheck: {
      TableName: tableName(),
      Key: key(id),
      ConditionExpression: '#state = :active AND #visibility <> :section',
      ExpressionAttributeNames: { '#state': 'state', '#visibility': 'visibility' },
      ExpressionAttributeValues: { ':active': 'active', ':section': 'section' },
    },
  };
}

/**
 * A transaction check that the member is active with one of these visibilities (or belongs to
 * one of these sections) when the transaction commits — `authorSeenWhen` in the policy.
 */
export function memberSeenCheck(
  id: string,
  rule: { visibilities: string[]; orSectionIn: string[] },
): TxWrite {
  const values: Record<string, unknown> = { ':active': 'active' };
  const vis = rule.visibilities.map((v, i) => {
    values[`:v${i}`] = v;
    return `:v${i}`;
  });
  const secs = rule.orSectionIn.map((sid, i) => {
    values[`:s${i}`] = sid;
    return `:s${i}`;
  });
  const seen = [
    `#visibility IN (${vis.join(', ')})`,
    ...(secs.length ? [`sectionId IN (${secs.join(', ')})`] : []),
  ];
  return {
    ConditionCheck: {
      TableName: tableName(),
      Key: key(id),
      ConditionExpression: `#state = :active AND (${seen.join(' OR ')})`,
      ExpressionAttributeNames: { '#state': 'state', '#visibility': 'visibility' },
      ExpressionAttributeValues: values,
    },
  };
}

/** The two writes that record "a blocks b" on both block lists. */
export function blockWrites(blockerId: string, blockedId: string): TxWrite[] {
  return [
    {
      Update: {
        TableName: tableName(),
        Key: blockListKey(blockerId),
        UpdateExpression: 'ADD blocks :ids SET #type = :type, memberId = :m',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':ids': new Set([blockedId]), ':type': 'blocklist', ':m': blockerId },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: blockListKey(blockedId),
        UpdateExpression: 'ADD blockedBy :ids SET #type = :type, memberId = :m',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':ids': new Set([blockerId]), ':type': 'blocklist', ':m': blockedId },
      },
    },
  ];
}

/** The two writes that undo "a blocks b" on both block lists. */
export function unblockWrites(blockerId: string, blockedId: string): TxWrite[] {
  return [
    {
      Update: {
        TableName: tableName(),
        Key: blockListKey(blockerId),
        UpdateExpression: 'DELETE blocks :ids',
        ExpressionAttributeValues: { ':ids': new Set([blockedId]) },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: blockListKey(blockedId),
        UpdateExpression: 'DELETE blockedBy :ids',
        ExpressionAttributeValues: { ':ids': new Set([blockerId]) },
      },
    },
  ];
}

export { coopainWrites } from './coopains.ts';
