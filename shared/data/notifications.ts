import { type TxWrite, tableName } from './client.ts';

/**
 * N1 — in-site notifications, in the recipient's partition (TTL 90 days), with an unread counter
 * on `NOTIFSTATE`. Written in the transaction of the action that causes them.
 */
export type NotificationType =
  | 'coopain.invitation'
  | 'coopain.accepted'
  | 'message.new'
  | 'section.message'
  | 'post.mention'
  | 'comment.new'
  | 'comment.reply'
  | 'group.request'
  | 'group.approved';

export interface NewNotification {
  id: string;
  recipientId: string;
  type: NotificationType;
  actorId: string;
  actorName: string;
  at: string;
  data: Record<string, string>;
}

const KEEP_SECONDS = 90 * 24 * 3600;

export function notificationWrites(n: NewNotification): TxWrite[] {
  const expiresAt = Math.floor(Date.parse(n.at) / 1000) + KEEP_SECONDS;
  const { type: kind, ...rest } = n;
  return [
    {
      Put: {
        TableName: tableName(),
        Item: {
          pk: `MEMBER#${n.recipientId}`,
          sk: `NOTIF#${n.id}`,
          ...rest,
          type: 'notification',
          kind,
          read: false,
          expiresAt,
        },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: { pk: `MEMBER#${n.recipientId}`, sk: 'NOTIFSTATE' },
        UpdateExpression: 'ADD unread :one SET #type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':one': 1, ':type': 'notifstate' },
      },
    },
  ];
}
