import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { db, deleteAll, queryPage, type TxWrite, tableName } from './client.ts';

/**
 * The secretary's dashboard aggregate (issue 11, ADR 012): one item per section, `SECTION#<sid>` /
 * `STATS`, recomputed by the `stats.run` job from the section's own indexes whenever a change
 * marker says the section moved. Markers are tiny items written in the transaction of the change
 * (one per change, unique keys: concurrent changes of one section never contend on a hot item);
 * they hold no member id, so an erased member leaves nothing here.
 */

/** What the dashboard shows from the aggregate: exact figures as of `computedAt`. */
export interface SectionStats {
  sectionId: string;
  computedAt: string;
  members: {
    /** Every member on the roster (deleted ones are off it). */
    total: number;
    /** Confirmed PS adherents, confirmed MJS, claims awaiting confirmation, sympathisants. */
    byCircle: { adherent: number; mjs: number; unconfirmed: number; sympathisant: number };
    byVisibility: { section: number; adherents: number; all: number };
    /** Hidden (`section`) members: the section's messages, events and missions reach them by email (SPEC §2–3). */
    emailOnly: number;
    suspended: number;
    /** Accounts whose email address is not confirmed yet. */
    notActivated: number;
  };
  pendingConfirmations: number;
  pendingMandates: number;
  /** `YYYY-MM` (Paris) → count, the last 12 months including the current one. */
  joinedByMonth: Record<string, number>;
  /** Current members who joined before the 12-month window (the trend's starting point). */
  joinedBefore: number;
  eventsByMonth: Record<string, number>;
  missionsDoneByMonth: Record<string, number>;
}

const statsKey = (sectionId: string) => ({ pk: `SECTION#${sectionId}`, sk: 'STATS' });
const MARKERS = 'STATSDIRTY';

/**
 * S5 statsChanged — "this section's figures moved": a marker for the `stats.run` job, put in the
 * same transaction as the change (idempotent, unique key, no condition).
 */
export function sectionStatsChanged(sectionId: string, at: string): TxWrite {
  const id = ulid();
  return {
    Put: {
      TableName: tableName(),
      Item: {
        pk: `${MARKERS}#${sectionId}`,
        sk: id,
        type: 'stats-marker',
        sectionId,
        at,
        gsi3pk: MARKERS,
        gsi3sk: `${at}#${id}`,
        // A marker outlives no job run for long; expiry is a safety net (the job deletes it).
        expiresAt: Math.floor(Date.parse(at) / 1000) + 7 * 24 * 3600,
      },
    },
  };
}

export interface StatsMarker {
  key: Record<string, unknown>;
  sectionId: string;
}

/** S5 pendingStatsMarkers — oldest first (gsi3 `STATSDIRTY`). */
export async function pendingStatsMarkers(limit: number): Promise<StatsMarker[]> {
  const page = await queryPage({ index: 'gsi3', partition: MARKERS, limit });
  return page.items.map((i) => ({ key: { pk: i.pk, sk: i.sk }, sectionId: String(i.sectionId) }));
}

export async function deleteStatsMarkers(markers: readonly StatsMarker[]): Promise<void> {
  await deleteAll(markers.map((m) => m.key));
}

/** S5 sectionStats — the aggregate, one GetItem. */
export async function getSectionStats(sectionId: string): Promise<SectionStats | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: statsKey(sectionId) }));
  if (!out.Item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, ...stats } = out.Item;
  return stats as SectionStats;
}

export async function putSectionStats(stats: SectionStats): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...statsKey(stats.sectionId), type: 'section-stats', ...stats },
    }),
  );
}

/** The roster fields the aggregate counts — a projection, so a 1,500-member section reads ~1 page. */
export interface RosterFacts {
  membershipClaim: string;
  membershipConfirmed: boolean;
  visibility: string;
  state: string;
  createdAt: string;
  pendingMandates: number;
}

/** M4 membersBySection walked whole (the job only, never a request), projected to the counted fields. */
export async function rosterFacts(sectionId: string): Promise<RosterFacts[]> {
  const facts: RosterFacts[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `SECTION#${sectionId}#ROSTER` },
        ProjectionExpression: 'membershipClaim, membershipConfirmed, visibility, #state, createdAt, mandates',
        ExpressionAttributeNames: { '#state': 'state' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const i of out.Items ?? []) {
      const mandates = Array.isArray(i.mandates) ? (i.mandates as { verified?: boolean }[]) : [];
      facts.push({
        membershipClaim: String(i.membershipClaim),
        membershipConfirmed: i.membershipConfirmed === true,
        visibility: String(i.visibility),
        state: String(i.state),
        createdAt: String(i.createdAt),
        pendingMandates: mandates.filter((m) => m.verified !== true).length,
      });
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return facts;
}
