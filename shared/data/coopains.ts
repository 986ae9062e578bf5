import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, queryPage, type TxWrite, tableName } from './client.ts';
import { coopainSetKey } from './members.ts';

/**
 * G1–G3 — coopain links (one item per direction) and invitations (one item per side), all in
 * the two members' own partitions, so that export and erasure find them (D1).
 */

const link = (from: string, to: string) => ({ pk: `MEMBER#${from}`, sk: `COOPAIN#${to}` });
const received = (to: string, from: string) => ({ pk: `MEMBER#${to}`, sk: `INVITE#FROM#${from}` });
const sent = (from: string, to: string) => ({ pk: `MEMBER#${from}`, sk: `INVITE#TO#${to}` });

export interface Invitation {
  fromId: string;
  toId: string;
  at: string;
}

/** The two link items that make a and b coopains; one per direction. */
export function coopainWrites(a: string, b: string, since: string): TxWrite[] {
  const put = (from: string, to: string): TxWrite => ({
    Put: {
      TableName: tableName(),
      Item: {
        ...link(from, to),
        type: 'coopain',
        memberId: from,
        coopainId: to,
        since,
        gsi1pk: `MEMBER#${from}#COOPAINS`,
        gsi1sk: `${since}#${to}`,
      },
    },
  });
  return [put(a, b), put(b, a), setWrite(a, b, 'ADD'), setWrite(b, a, 'ADD')];
}

/** Keeps the member's coopain set (G6, read with the member on every request) in step with the links. */
function setWrite(owner: string, other: string, op: 'ADD' | 'DELETE'): TxWrite {
  return {
    Update: {
      TableName: tableName(),
      Key: coopainSetKey(owner),
      UpdateExpression: `${op} ids :id SET #type = :type`,
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':id': new Set([other]), ':type': 'coopain-set' },
    },
  };
}

/** Deletes both link items; with `mustExist`, the transaction fails if they were not coopains. */
export function uncoopainWrites(a: string, b: string, mustExist: boolean): TxWrite[] {
  return [
    {
      Delete: {
        TableName: tableName(),
        Key: link(a, b),
        ...(mustExist ? { ConditionExpression: 'attribute_exists(pk)' } : {}),
      },
    },
    { Delete: { TableName: tableName(), Key: link(b, a) } },
    setWrite(a, b, 'DELETE'),
    setWrite(b, a, 'DELETE'),
  ];
}

/**
 * A new invitation: both sides' items, guarded so that it fails when one is already pending
 * either way or the two are already coopains (the caller maps the failing index to a message).
 */
export function invitationWrites(fromId: string, toId: string, at: string): TxWrite[] {
  const item = { type: 'invitation', fromId, toId, at };
  return [
    {
      Put: {
        TableName: tableName(),
        Item: { ...received(toId, fromId), ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...sent(fromId, toId), ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    // No invitation the other way round…
    {
      ConditionCheck: {
        TableName: tableName(),
        Key: received(fromId, toId),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    // …and not coopains already.
    {
      ConditionCheck: {
        TableName: tableName(),
        Key: link(fromId, toId),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/** Removes an invitation's two items; with `mustExist`, fails unless it was pending. */
export function invitationDeletes(fromId: string, toId: string, mustExist: boolean): TxWrite[] {
  return [
    {
      Delete: {
        TableName: tableName(),
        Key: received(toId, fromId),
        ...(mustExist ? { ConditionExpression: 'attribute_exists(pk)' } : {}),
      },
    },
    { Delete: { TableName: tableName(), Key: sent(fromId, toId) } },
  ];
}

/** G3 — invitations received and sent, in one Query on the member's partition. */
export async function invitationsOf(
  memberId: string,
): Promise<{ received: Invitation[]; sent: Invitation[] }> {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `MEMBER#${memberId}`, ':prefix': 'INVITE#' },
      Limit: 400,
    }),
  );
  const all = (out.Items ?? []).map((i) => ({
    sk: String(i.sk),
    fromId: String(i.fromId),
    toId: String(i.toId),
    at: String(i.at),
  }));
  const strip = ({ sk: _sk, ...inv }: (typeof all)[number]): Invitation => inv;
  return {
    received: all.filter((i) => i.sk.startsWith('INVITE#FROM#')).map(strip),
    sent: all.filter((i) => i.sk.startsWith('INVITE#TO#')).map(strip),
  };
}

/** G2 coopainsOf, by recency (newest first); names are sorted by the caller. */
export async function coopainsOf(
  memberId: string,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ ids: string[]; lastKey?: Record<string, unknown> }> {
  const page = await queryPage({
    index: 'gsi1',
    partition: `MEMBER#${memberId}#COOPAINS`,
    newestFirst: true,
    ...opts,
  });
  return { ids: page.items.map((i) => String(i.coopainId)), lastKey: page.lastKey };
}
