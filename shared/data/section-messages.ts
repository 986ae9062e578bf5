import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, queryPage, type TxWrite, tableName } from './client.ts';

/**
 * C4 — a secretary's message to the whole section: one item in the section's partition (text,
 * progress), delivered by a background task into each member's conversation with the secretary.
 */
export type SectionMessageStatus = 'queued' | 'sending' | 'sent' | 'stopped';

export interface SectionMessage {
  id: string;
  sectionId: string;
  sectionName: string;
  authorId: string;
  authorName: string;
  text: string;
  at: string;
  status: SectionMessageStatus;
  /** Members it reached so far (each counted once, in the transaction of their copy). */
  delivered: number;
  finishedAt?: string;
}

const key = (sectionId: string, id: string) => ({ pk: `SECTION#${sectionId}`, sk: `SECTIONMSG#${id}` });

function fromItem(i: Record<string, unknown>): SectionMessage {
  return {
    id: String(i.id),
    sectionId: String(i.sectionId),
    sectionName: String(i.sectionName),
    authorId: String(i.authorId),
    authorName: String(i.authorName),
    text: String(i.text),
    at: String(i.at),
    status: i.status as SectionMessageStatus,
    delivered: typeof i.delivered === 'number' ? i.delivered : 0,
    ...(typeof i.finishedAt === 'string' ? { finishedAt: i.finishedAt } : {}),
  };
}

export function newSectionMessageWrite(m: SectionMessage): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...key(m.sectionId, m.id),
        type: 'section-message',
        ...m,
        // D1: erasure finds what the member wrote.
        gsi2pk: `AUTHOR#${m.authorId}#SECTIONMSG`,
        gsi2sk: m.id,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function getSectionMessage(sectionId: string, id: string): Promise<SectionMessage | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: tableName(), Key: key(sectionId, id), ConsistentRead: true }),
  );
  return out.Item ? fromItem(out.Item) : undefined;
}

/**
 * Counts one member reached, inside the transaction that writes their copy; fails if the
 * message was removed meanwhile (the author's data erased), so that nothing recreates it.
 */
export function countDeliveryWrite(sectionId: string, id: string): TxWrite {
  return {
    Update: {
      TableName: tableName(),
      Key: key(sectionId, id),
      UpdateExpression: 'ADD delivered :one SET #status = :sending',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':one': 1, ':sending': 'sending' },
    },
  };
}

/** The delivery ended: every member reached (`sent`) or the sender lost the right to send (`stopped`). */
export async function finishSectionMessage(
  sectionId: string,
  id: string,
  status: 'sent' | 'stopped',
  at: Date,
): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key(sectionId, id),
      UpdateExpression: 'SET #status = :status, finishedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status, ':at': at.toISOString() },
    }),
  );
}

/** C4 — the section's messages, newest first. */
export async function sectionMessagesOf(
  sectionId: string,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ items: SectionMessage[]; lastKey?: Record<string, unknown> }> {
  const page = await queryPage({
    partition: `SECTION#${sectionId}`,
    prefix: 'SECTIONMSG#',
    newestFirst: true,
    ...opts,
  });
  return { items: page.items.map(fromItem), lastKey: page.lastKey };
}
