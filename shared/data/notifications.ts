import { createHash } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, failedConditionIndex, getAll, queryPage, type TxWrite, tableName, transact } from './client.ts';

/**
 * N1 — in-site notifications, in the recipient's partition (TTL 90 days), with an unread counter
 * and a "read up to" mark on `NOTIFSTATE`, and the member's email preferences on `PREFS`.
 * Written in the transaction of the action that causes them.
 */
export const NOTIFICATION_TYPES = [
  'message.new',
  'section.message',
  'coopain.invitation',
  'coopain.accepted',
  'post.mention',
  'comment.new',
  'comment.reply',
  'group.request',
  'group.approved',
  'event.new',
  'event.changed',
  'event.cancelled',
  'mission.new',
  'mission.changed',
  'moderation.remark',
  'report.outcome',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** How a member wants to hear of a type by email (the site always shows it). */
export const EMAIL_CHOICES = ['immediate', 'daily', 'weekly', 'none'] as const;
export type EmailChoice = (typeof EMAIL_CHOICES)[number];

export interface NewNotification {
  id: string;
  recipientId: string;
  type: NotificationType;
  actorId: string;
  actorName: string;
  at: string;
  data: Record<string, string>;
}

export interface Notification extends NewNotification {
  read: boolean;
}

const KEEP_SECONDS = 90 * 24 * 3600;
/** A member's id (a ULID) — not the moderation team's or the platform's. */
const MEMBER_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const stateKey = (memberId: string) => ({ pk: `MEMBER#${memberId}`, sk: 'NOTIFSTATE' });
const prefsKey = (memberId: string) => ({ pk: `MEMBER#${memberId}`, sk: 'PREFS' });
export const notificationKey = (memberId: string, id: string) => ({
  pk: `MEMBER#${memberId}`,
  sk: `NOTIF#${id}`,
});

export function notificationWrites(n: NewNotification): TxWrite[] {
  const expiresAt = Math.floor(Date.parse(n.at) / 1000) + KEEP_SECONDS;
  const { type: kind, ...rest } = n;
  return [
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...notificationKey(n.recipientId, n.id),
          ...rest,
          type: 'notification',
          kind,
          read: false,
          expiresAt,
          // D1: what a member caused in others' notifications (their name) is found at erasure.
          ...(MEMBER_ID.test(n.actorId) ? { gsi2pk: `NOTIFBY#${n.actorId}`, gsi2sk: n.id } : {}),
        },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: stateKey(n.recipientId),
        UpdateExpression: 'ADD unread :one SET #type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':one': 1, ':type': 'notifstate' },
      },
    },
  ];
}

export function notificationFromItem(i: Record<string, unknown>, readUpTo = ''): Notification {
  const at = String(i.at);
  return {
    id: String(i.id),
    recipientId: String(i.recipientId),
    type: i.kind as NotificationType,
    actorId: String(i.actorId),
    actorName: String(i.actorName),
    at,
    data: (i.data as Record<string, string>) ?? {},
    read: i.read === true || at <= readUpTo,
  };
}

export interface NotificationState {
  unread: number;
  /** Everything at or before this time counts as read ("tout marquer comme lu"). */
  readUpTo: string;
}

/** N1 — my notifications, newest first, with the unread count (one Query, one GetItem). */
export async function notificationsOf(
  memberId: string,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ items: Notification[]; lastKey?: Record<string, unknown>; state: NotificationState }> {
  const [page, state] = await Promise.all([
    queryPage({
      partition: `MEMBER#${memberId}`,
      prefix: 'NOTIF#',
      newestFirst: true,
      consistent: true,
      ...opts,
    }),
    notificationState(memberId),
  ]);
  return {
    items: page.items.map((i) => notificationFromItem(i, state.readUpTo)),
    lastKey: page.lastKey,
    state,
  };
}

export async function notificationState(memberId: string): Promise<NotificationState> {
  const out = await db().send(
    new GetCommand({ TableName: tableName(), Key: stateKey(memberId), ConsistentRead: true }),
  );
  const unread = typeof out.Item?.unread === 'number' ? Math.max(0, out.Item.unread) : 0;
  return { unread, readUpTo: typeof out.Item?.readUpTo === 'string' ? out.Item.readUpTo : '' };
}

/**
 * One notification read: its flag, and the count down by one — only if it was unread, and not
 * already counted read by « tout marquer comme lu » (`readUpTo` at or after its time, `at`).
 */
export function markReadWrites(memberId: string, id: string, at: string): TxWrite[] {
  return [
    {
      Update: {
        TableName: tableName(),
        Key: notificationKey(memberId, id),
        UpdateExpression: 'SET #read = :true',
        ConditionExpression: 'attribute_exists(pk) AND #read = :false',
        ExpressionAttributeNames: { '#read': 'read' },
        ExpressionAttributeValues: { ':true': true, ':false': false },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: stateKey(memberId),
        UpdateExpression: 'ADD unread :minus',
        ConditionExpression: 'unread > :zero AND (attribute_not_exists(readUpTo) OR readUpTo < :at)',
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0, ':at': at },
      },
    },
  ];
}

/** Everything read: the count back to zero and the mark moved to now (one write, not one per item). */
export async function markAllRead(memberId: string, at: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: stateKey(memberId),
      UpdateExpression: 'SET unread = :zero, readUpTo = :at, #type = :type',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':zero': 0, ':at': at, ':type': 'notifstate' },
    }),
  );
}

// ————— Email preferences and the unsubscribe token —————

export interface EmailPreferences {
  /** Choices the member made; types not listed follow the defaults. */
  email: Partial<Record<NotificationType, EmailChoice>>;
  /** Up to when each digest covered the notifications (ISO). */
  lastDigest?: Partial<Record<'daily' | 'weekly', string>>;
  /** The secret of the member's unsubscribe links (created with the first email). */
  unsubscribeToken?: string;
}

export function prefsFromItem(i: Record<string, unknown> | undefined): EmailPreferences {
  return {
    email: (i?.email as EmailPreferences['email'] | undefined) ?? {},
    ...(i?.lastDigest ? { lastDigest: i.lastDigest as EmailPreferences['lastDigest'] } : {}),
    ...(typeof i?.unsubscribeToken === 'string' ? { unsubscribeToken: i.unsubscribeToken } : {}),
  };
}

export const preferencesKey = prefsKey;

export async function getPreferences(memberId: string): Promise<EmailPreferences> {
  const out = await db().send(
    new GetCommand({ TableName: tableName(), Key: prefsKey(memberId), ConsistentRead: true }),
  );
  return prefsFromItem(out.Item);
}

/** Saves the member's choices (the token is kept). */
export async function savePreferences(memberId: string, email: EmailPreferences['email']): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: prefsKey(memberId),
      UpdateExpression: 'SET email = :email, #type = :type',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':email': email, ':type': 'prefs' },
    }),
  );
}

const tokenKey = (token: string) => ({
  pk: `UNSUB#${createHash('sha256').update(token).digest('hex')}`,
  sk: 'UNSUB',
});

/**
 * The member's unsubscribe token, created once (a random secret on `PREFS`, found back through
 * the hash of it). Two deliveries racing create it once: the loser reads the winner's.
 */
export async function ensureUnsubscribeToken(memberId: string, token: string): Promise<string> {
  try {
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: prefsKey(memberId),
          UpdateExpression: 'SET unsubscribeToken = :token, #type = :type',
          ConditionExpression: 'attribute_not_exists(unsubscribeToken)',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':token': token, ':type': 'prefs' },
        },
      },
      { Put: { TableName: tableName(), Item: { ...tokenKey(token), type: 'unsubscribe-token', memberId } } },
    ]);
    return token;
  } catch (error) {
    if (failedConditionIndex(error) !== 0) throw error;
    return (await getPreferences(memberId)).unsubscribeToken ?? token;
  }
}

/** The member an unsubscribe token belongs to, if it is one. */
export async function memberOfUnsubscribeToken(token: string): Promise<string | undefined> {
  const [item] = await getAll([tokenKey(token)], true);
  return typeof item?.memberId === 'string' ? item.memberId : undefined;
}

/**
 * A notification removed unread (erasure of the member who caused it): the recipient's unread
 * count goes down, unless « tout marquer comme lu » covered it already. Fails (condition) otherwise.
 */
export function unreadDownWrite(notification: Record<string, unknown>): TxWrite {
  return {
    Update: {
      TableName: tableName(),
      Key: { pk: notification.pk, sk: 'NOTIFSTATE' },
      UpdateExpression: 'ADD unread :minus',
      ConditionExpression: 'unread > :zero AND (attribute_not_exists(readUpTo) OR readUpTo < :at)',
      ExpressionAttributeValues: { ':minus': -1, ':zero': 0, ':at': String(notification.at) },
    },
  };
}
