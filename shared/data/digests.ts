import { createHash } from 'node:crypto';
import { failedConditionIndex, queryPage, type TxWrite, tableName, transact } from './client.ts';
import { preferencesKey } from './notifications.ts';

/**
 * N3 — digests (ADR 004). A member with a notification waiting for their daily or weekly digest
 * has a small "pending" item in one of 16 shard partitions per period, so the digest job lists
 * exactly who is due without a Scan, shards in parallel. A run item per member and period
 * (written before the send, kept 35 days) makes a retried run skip members already served.
 */

export type DigestPeriod = 'daily' | 'weekly';
export const DIGEST_SHARDS = 16;

export const shardOf = (memberId: string) =>
  createHash('sha256').update(memberId).digest().readUInt16BE(0) % DIGEST_SHARDS;

const pendingKey = (period: DigestPeriod, memberId: string) => ({
  pk: `DIGEST#${period}#${String(shardOf(memberId)).padStart(2, '0')}`,
  sk: memberId,
});
const runKey = (period: DigestPeriod, periodKey: string, memberId: string) => ({
  pk: `DIGESTRUN#${period}#${periodKey}`,
  sk: memberId,
});

/** The member has something for their next digest (idempotent). */
export function pendingDigestWrite(period: DigestPeriod, memberId: string): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...pendingKey(period, memberId), type: 'digest-pending', memberId },
    },
  };
}

/** N3 — members waiting for a digest of this period, one shard, a page at a time. */
export async function pendingDigests(
  period: DigestPeriod,
  shard: number,
  startKey?: Record<string, unknown>,
): Promise<{ memberIds: string[]; lastKey?: Record<string, unknown> }> {
  const page = await queryPage({
    partition: `DIGEST#${period}#${String(shard).padStart(2, '0')}`,
    limit: 100,
    ...(startKey ? { startKey } : {}),
    consistent: true,
  });
  return { memberIds: page.items.map((i) => String(i.memberId)), lastKey: page.lastKey };
}

/**
 * Claims this member's digest for this period (e.g. `daily` / `2026-11-25`): false if a run
 * served it already. The item expires after 35 days.
 */
export async function claimDigestRun(
  period: DigestPeriod,
  periodKey: string,
  memberId: string,
  now: Date,
): Promise<boolean> {
  try {
    await transact([
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...runKey(period, periodKey, memberId),
            type: 'digest-run',
            at: now.toISOString(),
            expiresAt: Math.floor(now.getTime() / 1000) + 35 * 24 * 3600,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
    return true;
  } catch (error) {
    if (failedConditionIndex(error) === 0) return false;
    throw error;
  }
}

/** The send failed: the claim is given back so that the next run tries again. */
export async function releaseDigestRun(
  period: DigestPeriod,
  periodKey: string,
  memberId: string,
): Promise<void> {
  await transact([{ Delete: { TableName: tableName(), Key: runKey(period, periodKey, memberId) } }]);
}

/** The digest went (or there was nothing to say): no longer pending; what it covered is remembered. */
export async function digestDone(period: DigestPeriod, memberId: string, coveredUpTo: string): Promise<void> {
  await transact([
    { Delete: { TableName: tableName(), Key: pendingKey(period, memberId) } },
    {
      Update: {
        TableName: tableName(),
        Key: preferencesKey(memberId),
        UpdateExpression: 'SET #last.#period = :at, #type = :type',
        ConditionExpression: 'attribute_exists(#last)',
        ExpressionAttributeNames: { '#last': 'lastDigest', '#period': period, '#type': 'type' },
        ExpressionAttributeValues: { ':at': coveredUpTo, ':type': 'prefs' },
      },
    },
  ]).catch(async (error: unknown) => {
    // First digest: the map does not exist yet.
    if (failedConditionIndex(error) !== 1) throw error;
    await transact([
      { Delete: { TableName: tableName(), Key: pendingKey(period, memberId) } },
      {
        Update: {
          TableName: tableName(),
          Key: preferencesKey(memberId),
          UpdateExpression: 'SET #last = :map, #type = :type',
          ExpressionAttributeNames: { '#last': 'lastDigest', '#type': 'type' },
          ExpressionAttributeValues: { ':map': { [period]: coveredUpTo }, ':type': 'prefs' },
        },
      },
    ]);
  });
}
