import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailure, type TxWrite, tableName } from './client.ts';

/**
 * Newcomers to welcome (issue 11, charter §4 « orienter les nouveaux membres »): a sparse marker
 * in the member's own partition, written with the account and deleted at their first activity
 * (a coopain link, a post, an answer to an event, a mission sign-up). Two index entries list the
 * markers newest first: party-wide (gsi1 `NEWCOMERS`) and by section (gsi2 `NEWCOMERS#S#<sid>`).
 * The erasure walk of the member's partition (D1) deletes it with everything else.
 */

/** How long after joining a member stays on the list. */
export const NEWCOMER_DAYS = 30;
const NEWCOMER_SECONDS = NEWCOMER_DAYS * 24 * 3600;

const key = (memberId: string) => ({ pk: `MEMBER#${memberId}`, sk: 'NEWCOMER' });

export interface NewcomerEntry {
  memberId: string;
  joinedAt: string;
  sectionId: string | null;
}

/**
 * The marker of a member who just joined, to go in the account's own transaction (putNewMember).
 * TTL 30 days after joining; the listing also filters on `joinedAt`, since the TTL is lazy.
 */
export function newcomerPut(member: { id: string; createdAt: string; sectionId: string | null }): TxWrite {
  const sortKey = `${member.createdAt}#${member.id}`;
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...key(member.id),
        type: 'newcomer',
        memberId: member.id,
        joinedAt: member.createdAt,
        gsi1pk: 'NEWCOMERS',
        gsi1sk: sortKey,
        ...(member.sectionId
          ? { sectionId: member.sectionId, gsi2pk: `NEWCOMERS#S#${member.sectionId}`, gsi2sk: sortKey }
          : {}),
        expiresAt: Math.floor(Date.parse(member.createdAt) / 1000) + NEWCOMER_SECONDS,
      },
    },
  };
}

/**
 * The member did something (their first activity): they leave the list. Unconditional, so it
 * costs no read, never fails and may be repeated; it goes in the activity's own transaction.
 */
export function newcomerDelete(memberId: string): TxWrite {
  return { Delete: { TableName: tableName(), Key: key(memberId) } };
}

/**
 * The member moved to another section (or to none): their marker, if they still have one, follows
 * them to the new section's list. Conditional on the marker existing, so that it never brings back
 * a marker their first activity deleted; returns whether there was one to move.
 */
export async function moveNewcomer(member: {
  id: string;
  createdAt: string;
  sectionId: string | null;
}): Promise<boolean> {
  const sortKey = `${member.createdAt}#${member.id}`;
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key(member.id),
        ConditionExpression: 'attribute_exists(pk)',
        ...(member.sectionId
          ? {
              UpdateExpression: 'SET sectionId = :s, gsi2pk = :pk, gsi2sk = :sk',
              ExpressionAttributeValues: {
                ':s': member.sectionId,
                ':pk': `NEWCOMERS#S#${member.sectionId}`,
                ':sk': sortKey,
              },
            }
          : { UpdateExpression: 'REMOVE sectionId, gsi2pk, gsi2sk' }),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * NC1 `newcomersSince` — the markers of members who joined at or after `since`, newest first,
 * party-wide or of one section: one Query (`sk >= since`), at most `limit`; `more` when the
 * index holds more of them. Index entries may be stale: the caller re-reads the members.
 */
export async function newcomersSince(
  since: string,
  opts: { sectionId?: string; limit: number },
): Promise<{ entries: NewcomerEntry[]; more: boolean }> {
  const index = opts.sectionId ? 'gsi2' : 'gsi1';
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk AND ${index}sk >= :since`,
      ExpressionAttributeValues: {
        ':pk': opts.sectionId ? `NEWCOMERS#S#${opts.sectionId}` : 'NEWCOMERS',
        ':since': since,
      },
      ScanIndexForward: false,
      Limit: opts.limit,
    }),
  );
  return {
    entries: (out.Items ?? []).map((i) => ({
      memberId: String(i.memberId),
      joinedAt: String(i.joinedAt),
      sectionId: typeof i.sectionId === 'string' ? i.sectionId : null,
    })),
    more: out.LastEvaluatedKey !== undefined,
  };
}
