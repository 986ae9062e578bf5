import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fold } from '../text.ts';
import { db, type TxWrite, tableName } from './client.ts';

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
  visibility: Visibility;
  state: MemberState;
  /** ISO time the suspension ends; absent for a permanent one. */
  suspendedUntil?: string;
  roles: MemberRoles;
  createdAt: string;
  updatedAt: string;
}

const key = (id: string) => ({ pk: `MEMBER#${id}`, sk: 'PROFILE' });

/**
 * Index attributes derived from the member, recomputed on every write that changes their inputs:
 * gsi1 = M4 membersBySection (roster by name, hidden members included);
 * gsi2 = M5 pendingConfirmationsBySection (sparse: only unconfirmed adherent/MJS claims).
 */
export function memberIndexes(
  m: Pick<
    Member,
    'id' | 'firstName' | 'lastName' | 'sectionId' | 'membershipClaim' | 'membershipConfirmed' | 'createdAt'
  >,
) {
  const sortName = `${fold(m.lastName)} ${fold(m.firstName)}#${m.id}`;
  const pending = m.sectionId && m.membershipClaim !== 'sympathisant' && !m.membershipConfirmed;
  return {
    gsi1pk: m.sectionId ? `SECTION#${m.sectionId}#ROSTER` : undefined,
    gsi1sk: m.sectionId ? sortName : undefined,
    gsi2pk: pending ? `SECTION#${m.sectionId}#PENDING` : undefined,
    gsi2sk: pending ? `${m.createdAt}#${m.id}` : undefined,
  };
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
    visibility: item.visibility as Visibility,
    state: item.state as MemberState,
    ...(typeof item.suspendedUntil === 'string' ? { suspendedUntil: item.suspendedUntil } : {}),
    roles: {
      secretaryOf: Array.isArray(roles.secretaryOf) ? roles.secretaryOf.map(String) : [],
      coopilote: roles.coopilote === true,
      admin: roles.admin === true,
    },
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}

/** M1 memberById — strongly consistent: this is the per-request state check (rule 5). */
export async function getMember(id: string): Promise<Member | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: key(id), ConsistentRead: true }));
  return out.Item ? fromItem(out.Item) : undefined;
}

/** Creates the member item; fails if the id exists. */
export function putNewMember(member: Member): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...key(member.id),
        type: 'member',
        ...member,
        sectionId: member.sectionId ?? undefined,
        ...memberIndexes(member),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Profile fields a member edits themself. */
export type ProfilePatch = Pick<Member, 'firstName' | 'lastName' | 'bio' | 'visibility'>;

/** The update of a member's own profile fields and name index, as one transaction write. */
export function profileUpdate(current: Member, patch: ProfilePatch, now: string): TxWrite {
  const idx = memberIndexes({ ...current, ...patch });
  return {
    Update: {
      TableName: tableName(),
      Key: key(current.id),
      UpdateExpression:
        'SET firstName = :fn, lastName = :ln, bio = :bio, visibility = :vis, updatedAt = :now' +
        (idx.gsi1sk ? ', gsi1sk = :g1sk' : ''),
      // Never resurrect a member being erased.
      ConditionExpression: 'attribute_exists(pk) AND #state <> :deleted',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':fn': patch.firstName,
        ':ln': patch.lastName,
        ':bio': patch.bio,
        ':vis': patch.visibility,
        ':now': now,
        ':deleted': 'deleted',
        ...(idx.gsi1sk ? { ':g1sk': idx.gsi1sk } : {}),
      },
    },
  };
}

/** Moves a `pending` member to `active` once their email address is confirmed (idempotent). */
export async function activateMember(id: string, now: string): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key(id),
        UpdateExpression: 'SET #state = :active, updatedAt = :now',
        ConditionExpression: '#state = :pending',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':active': 'active', ':pending': 'pending', ':now': now },
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
  }
}

/** Sets the account state (moderation; the tests' suspended member). */
export async function setMemberState(
  id: string,
  state: MemberState,
  now: string,
  suspendedUntil?: string,
): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key(id),
      UpdateExpression: suspendedUntil
        ? 'SET #state = :state, updatedAt = :now, suspendedUntil = :until'
        : 'SET #state = :state, updatedAt = :now REMOVE suspendedUntil',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':state': state,
        ':now': now,
        ...(suspendedUntil ? { ':until': suspendedUntil } : {}),
      },
    }),
  );
}
