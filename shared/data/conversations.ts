import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, getAll, queryPage, type TxWrite, tableName } from './client.ts';
import { type Member, memberFromItem, memberKey } from './members.ts';

/**
 * C1–C3 — one-to-one conversations. The conversation (`CONV#id`) holds its messages; each
 * participant has a membership item in their own partition (unread count, last activity, inbox
 * order on gsi1); a pair item finds the existing conversation of two members. Messages carry
 * their author on gsi2 so erasure finds them (D1).
 */

const pairKey = (a: string, b: string) => {
  const [x, y] = [a, b].sort();
  return { pk: `PAIR#${x}#${y}`, sk: 'PAIR' };
};
/** The pair item's key (exported for reads batched with other entities' items). */
export const conversationPairKey = pairKey;
const membershipKey = (memberId: string, conversationId: string) => ({
  pk: `MEMBER#${memberId}`,
  sk: `CONV#${conversationId}`,
});
const messageKey = (conversationId: string, id: string) => ({
  pk: `CONV#${conversationId}`,
  sk: `MSG#${id}`,
});

/**
 * A message with the asker's membership of its conversation, in one BatchGet (a report names a
 * message: only a participant may). Undefined when either is missing.
 */
export async function messageSeenBy(
  memberId: string,
  conversationId: string,
  messageId: string,
): Promise<Message | undefined> {
  const items = await getAll(
    [membershipKey(memberId, conversationId), messageKey(conversationId, messageId)],
    true,
  );
  const message = items.find((i) => i.type === 'message');
  if (!message || !items.some((i) => i.type !== 'message')) return undefined;
  return messageFrom(message);
}

/** A coopilote removes a message: its text goes, its place in the conversation stays. */
export function removeMessageWrite(conversationId: string, messageId: string): TxWrite {
  return {
    Update: {
      TableName: tableName(),
      Key: messageKey(conversationId, messageId),
      UpdateExpression: 'SET #text = :empty, removed = :true',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#text': 'text' },
      ExpressionAttributeValues: { ':empty': '', ':true': true },
    },
  };
}

function messageFrom(i: Record<string, unknown>): Message {
  return {
    id: String(i.id),
    conversationId: String(i.conversationId),
    authorId: String(i.authorId),
    text: String(i.text),
    at: String(i.at),
    ...(typeof i.sectionId === 'string' ? { sectionId: i.sectionId } : {}),
    ...(i.removed === true ? { removed: true } : {}),
  };
}

export interface Membership {
  conversationId: string;
  memberId: string;
  otherId: string;
  lastMessageAt: string;
  preview: string;
  unread: number;
}

export interface Message {
  id: string;
  conversationId: string;
  authorId: string;
  text: string;
  at: string;
  /** Set on a secretary's message to the whole section (one copy in each member's conversation). */
  sectionId?: string;
  /** Removed by the coopilotes (its text is gone). */
  removed?: true;
}

/**
 * How a message touches its author's side. A section message (`quiet`) leaves the author's inbox
 * alone: the secretary finds it in the section's history, and a conversation enters their inbox
 * when the member answers.
 */
export interface AuthorSide {
  quiet?: boolean;
}

function membershipFrom(i: Record<string, unknown>): Membership {
  return {
    conversationId: String(i.conversationId),
    memberId: String(i.memberId),
    otherId: String(i.otherId),
    lastMessageAt: String(i.lastMessageAt),
    preview: String(i.preview ?? ''),
    unread: typeof i.unread === 'number' ? i.unread : 0,
  };
}

/**
 * G1 + C3 — what sending to a member needs, in one round trip: the recipient's item, whether
 * they are the sender's coopain, and their existing conversation (if any).
 */
export async function recipientFacts(
  senderId: string,
  recipientId: string,
): Promise<{ member: Member; coopains: boolean; conversationId?: string } | undefined> {
  const coopain = { pk: `MEMBER#${senderId}`, sk: `COOPAIN#${recipientId}` };
  const pair = pairKey(senderId, recipientId);
  const out = await db().send(
    new BatchGetCommand({
      RequestItems: {
        [tableName()]: { Keys: [memberKey(recipientId), coopain, pair], ConsistentRead: true },
      },
    }),
  );
  const items = out.Responses?.[tableName()] ?? [];
  const profile = items.find((i) => i.sk === 'PROFILE');
  if (!profile) return undefined;
  const found = items.find((i) => i.sk === 'PAIR');
  return {
    member: memberFromItem(profile),
    coopains: items.some((i) => i.sk === coopain.sk),
    ...(typeof found?.conversationId === 'string' ? { conversationId: found.conversationId } : {}),
  };
}

/** C3 for many: the existing conversations of one member with each of `otherIds` (BatchGet of the pairs). */
export async function conversationsWith(
  memberId: string,
  otherIds: readonly string[],
): Promise<Map<string, string>> {
  const items = await getAll(
    otherIds.map((id) => pairKey(memberId, id)),
    true,
  );
  const found = new Map<string, string>();
  for (const item of items) {
    const other = (item.members as string[]).find((id) => id !== memberId);
    if (other && typeof item.conversationId === 'string') found.set(other, item.conversationId);
  }
  return found;
}

/** The actor's membership of a conversation (is the actor a participant?). */
export async function getMembership(
  memberId: string,
  conversationId: string,
): Promise<Membership | undefined> {
  const out = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: membershipKey(memberId, conversationId),
      ConsistentRead: true,
    }),
  );
  return out.Item ? membershipFrom(out.Item) : undefined;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}

/** A new conversation between a and b with its first message; fails (index 0) if the pair exists. */
export function newConversationWrites(
  conversationId: string,
  message: Message,
  recipientId: string,
  author: AuthorSide = {},
): TxWrite[] {
  const { authorId, at } = message;
  const member = (memberId: string, otherId: string, unread: number, inInbox = true): TxWrite => ({
    Put: {
      TableName: tableName(),
      Item: {
        ...membershipKey(memberId, conversationId),
        type: 'conversation-membership',
        conversationId,
        memberId,
        otherId,
        lastMessageAt: at,
        preview: preview(message.text),
        unread,
        ...(inInbox ? inboxIndex(memberId, conversationId, at) : {}),
      },
    },
  });
  return [
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...pairKey(authorId, recipientId),
          type: 'pair',
          conversationId,
          members: [authorId, recipientId].sort(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: {
          pk: `CONV#${conversationId}`,
          sk: 'META',
          type: 'conversation',
          id: conversationId,
          kind: 'direct',
          members: [authorId, recipientId],
          createdAt: at,
        },
      },
    },
    member(authorId, recipientId, 0, !author.quiet),
    member(recipientId, authorId, 1),
    messageWrite(message),
  ];
}

/** C1 — the inbox order (gsi1): by last activity. */
const inboxIndex = (memberId: string, conversationId: string, at: string) => ({
  gsi1pk: `MEMBER#${memberId}#INBOX`,
  gsi1sk: `${at}#${conversationId}`,
});

function messageWrite(m: Message): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...messageKey(m.conversationId, m.id),
        type: 'message',
        ...m,
        gsi2pk: `AUTHOR#${m.authorId}#MSG`,
        gsi2sk: m.id,
      },
      // Ids are fresh ULIDs; a section message's id is the same in every copy, so that a
      // delivery run again after a crash writes nothing twice.
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * A message in an existing conversation: the message, both memberships moved to the top of the
 * inboxes (the author's only when not `quiet`). Index of the message write: 2, or 1 when quiet.
 */
export function replyWrites(message: Message, recipientId: string, author: AuthorSide = {}): TxWrite[] {
  const { conversationId, authorId, at } = message;
  const touch = (memberId: string, addUnread: number): TxWrite => {
    const index = inboxIndex(memberId, conversationId, at);
    return {
      Update: {
        TableName: tableName(),
        Key: membershipKey(memberId, conversationId),
        UpdateExpression: `SET lastMessageAt = :at, preview = :preview, gsi1pk = :ipk, gsi1sk = :isk${addUnread ? ' ADD unread :one' : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: {
          ':at': at,
          ':preview': preview(message.text),
          ':ipk': index.gsi1pk,
          ':isk': index.gsi1sk,
          ...(addUnread ? { ':one': addUnread } : {}),
        },
      },
    };
  };
  return [...(author.quiet ? [] : [touch(authorId, 0)]), touch(recipientId, 1), messageWrite(message)];
}

/** Read marker: my unread count back to zero. */
export function markReadWrite(memberId: string, conversationId: string): TxWrite {
  return {
    Update: {
      TableName: tableName(),
      Key: membershipKey(memberId, conversationId),
      UpdateExpression: 'SET unread = :zero',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':zero': 0 },
    },
  };
}

/** C1 — my conversations by last activity, newest first. */
export async function inbox(
  memberId: string,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ items: Membership[]; lastKey?: Record<string, unknown> }> {
  const page = await queryPage({
    index: 'gsi1',
    partition: `MEMBER#${memberId}#INBOX`,
    newestFirst: true,
    ...opts,
  });
  return { items: page.items.map(membershipFrom), lastKey: page.lastKey };
}

/** C2 — messages of a conversation, newest first. */
export async function messagesOf(
  conversationId: string,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ items: Message[]; lastKey?: Record<string, unknown> }> {
  const page = await queryPage({
    partition: `CONV#${conversationId}`,
    prefix: 'MSG#',
    newestFirst: true,
    ...opts,
  });
  return {
    items: page.items.map(messageFrom),
    lastKey: page.lastKey,
  };
}
