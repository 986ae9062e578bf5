import { createHmac } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailure, type TxWrite, tableName } from './client.ts';

/**
 * L1 — per-member rate-limit counters (architecture rule 8: HTTP APIs have no per-client
 * throttling). One item per member, action and fixed window, expiring with the window (TTL).
 * The write goes in the same transaction as the action it counts, so a refused action writes
 * nothing and an accepted one is always counted.
 */
export interface Limit {
  action: string;
  /** How many in one window. */
  max: number;
  windowSeconds: number;
}

/** Start of the current window, in epoch seconds. */
export function windowStart(limit: Limit, now: Date): number {
  const seconds = Math.floor(now.getTime() / 1000);
  return seconds - (seconds % limit.windowSeconds);
}

/** Seconds until the current window ends (the `Retry-After` of a refusal). */
export function secondsLeft(limit: Limit, now: Date): number {
  return Math.max(1, windowStart(limit, now) + limit.windowSeconds - Math.floor(now.getTime() / 1000));
}

/** Counts one action; the transaction is cancelled at this write when the window is full. */
export function rateLimitWrite(memberId: string, limit: Limit, now: Date): TxWrite {
  const start = windowStart(limit, now);
  return {
    Update: {
      TableName: tableName(),
      Key: { pk: `RATE#${memberId}#${limit.action}`, sk: String(start) },
      UpdateExpression: 'ADD #count :one SET #type = :type, expiresAt = :expires',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
      ExpressionAttributeNames: { '#count': 'count', '#type': 'type' },
      ExpressionAttributeValues: {
        ':one': 1,
        ':max': limit.max,
        ':type': 'rate',
        ':expires': start + limit.windowSeconds + 60,
      },
    },
  };
}

/**
 * Counters of the sign-in and sign-up guards (issue 12): before sign-in there is no member id, so
 * the subject is the client's address or the account's address — both personal data, so never
 * stored raw: the key holds a keyed hash (HMAC-SHA256 with a per-deployment secret).
 */
export type GuardSubject = { kind: 'ip'; ip: string } | { kind: 'account'; email: string };

/**
 * The address a limit counts: IPv4 as is (an IPv4-mapped IPv6 address is its IPv4), IPv6 by its
 * /64 prefix (one host usually holds a whole /64, so counting single addresses would be no limit).
 */
export function normaliseIp(raw: string): string {
  const ip = raw.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('::', 2);
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

function subjectKey(subject: GuardSubject, secret: string): string {
  const value = subject.kind === 'ip' ? normaliseIp(subject.ip) : subject.email.trim().toLowerCase();
  const digest = createHmac('sha256', secret).update(`${subject.kind}:${value}`).digest('hex');
  return `${subject.kind === 'ip' ? 'IP' : 'ACCOUNT'}#${digest}`;
}

function guardKey(subject: GuardSubject, limit: Limit, now: Date, secret: string) {
  return { pk: `RATE#${subjectKey(subject, secret)}#${limit.action}`, sk: String(windowStart(limit, now)) };
}

/**
 * Counts one attempt of a guarded action (one UpdateItem). Returns false, and writes nothing,
 * when the window is already full: the counter never goes past the limit.
 */
export async function countGuarded(
  subject: GuardSubject,
  limit: Limit,
  now: Date,
  secret: string,
): Promise<boolean> {
  const start = windowStart(limit, now);
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: guardKey(subject, limit, now, secret),
        UpdateExpression: 'ADD #count :one SET #type = :type, expiresAt = :expires',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
        ExpressionAttributeNames: { '#count': 'count', '#type': 'type' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':max': limit.max,
          ':type': 'rate',
          ':expires': start + limit.windowSeconds + 60,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The attempts counted so far in the current window (tests and support look-ups). */
export async function guardedCount(
  subject: GuardSubject,
  limit: Limit,
  now: Date,
  secret: string,
): Promise<number> {
  const out = await db().send(
    new GetCommand({ TableName: tableName(), Key: guardKey(subject, limit, now, secret) }),
  );
  return typeof out.Item?.count === 'number' ? out.Item.count : 0;
}
