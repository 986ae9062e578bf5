import { type TxWrite, tableName } from './client.ts';

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
