import { createHash } from 'node:crypto';
import { type IndexName, queryPage, type TxWrite, tableName } from './client.ts';
import { shardOf } from './digests.ts';

/**
 * D1 — everything that holds or references a member, found from their id alone, without a Scan
 * (docs/data-model.md): their partition, and the indexes "by the member who did it". Export reads
 * these sources; erasure walks them and deletes or pseudonymises each item (SPEC §7). The
 * writes here act on items as they were read (their own keys), so no key is rebuilt outside the
 * entity modules except where an item names another member's item.
 */

export const D1_SOURCES = [
  'partition',
  'posts',
  'comments',
  'messages',
  'sectionMessages',
  'groups',
  'rsvps',
  'signups',
  'eventsOrganised',
  'missionsOrganised',
  'reportsBy',
  'reportedAbout',
  'appeals',
  'auditSubject',
  'auditActor',
  'notificationsBy',
] as const;
export type D1Source = (typeof D1_SOURCES)[number];

const where: Record<D1Source, (m: string) => { index?: IndexName; partition: string }> = {
  partition: (m) => ({ partition: `MEMBER#${m}` }),
  posts: (m) => ({ index: 'gsi2', partition: `AUTHOR#${m}#POSTS` }),
  comments: (m) => ({ index: 'gsi2', partition: `AUTHOR#${m}#COMMENTS` }),
  messages: (m) => ({ index: 'gsi2', partition: `AUTHOR#${m}#MSG` }),
  sectionMessages: (m) => ({ index: 'gsi2', partition: `AUTHOR#${m}#SECTIONMSG` }),
  groups: (m) => ({ index: 'gsi1', partition: `MEMBER#${m}#GROUPS` }),
  rsvps: (m) => ({ index: 'gsi2', partition: `MEMBER#${m}#RSVPS` }),
  signups: (m) => ({ index: 'gsi2', partition: `MEMBER#${m}#SIGNUPS` }),
  eventsOrganised: (m) => ({ index: 'gsi2', partition: `ORGANISER#${m}#EVENTS` }),
  missionsOrganised: (m) => ({ index: 'gsi2', partition: `AUTHOR#${m}#MISSIONS` }),
  reportsBy: (m) => ({ index: 'gsi3', partition: `MEMBER#${m}#REPORTS` }),
  reportedAbout: (m) => ({ index: 'gsi2', partition: `MODERATION#AUTHOR#${m}` }),
  appeals: (m) => ({ index: 'gsi2', partition: `MEMBER#${m}#APPEALS` }),
  auditSubject: (m) => ({ index: 'gsi1', partition: `AUDIT#SUBJECT#${m}` }),
  auditActor: (m) => ({ index: 'gsi2', partition: `AUDIT#ACTOR#${m}` }),
  notificationsBy: (m) => ({ index: 'gsi2', partition: `NOTIFBY#${m}` }),
};

/** One page of a D1 source (the base table strongly consistent; an index as it is). */
export async function d1Page(
  source: D1Source,
  memberId: string,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ items: Record<string, unknown>[]; lastKey?: Record<string, unknown> }> {
  const w = where[source](memberId);
  return queryPage({ ...w, ...(w.index ? {} : { consistent: true }), ...opts });
}

/** Every page of a D1 source (export; a member's own data is bounded). */
export async function d1All(source: D1Source, memberId: string): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await d1Page(source, memberId, { limit: 200, ...(startKey ? { startKey } : {}) });
    all.push(...page.items);
    startKey = page.lastKey;
  } while (startKey);
  return all;
}

const keyOf = (item: Record<string, unknown>) => ({ pk: item.pk, sk: item.sk });

/** Deletes an item read from a D1 source. */
export function deleteItemWrite(item: Record<string, unknown>): TxWrite {
  return { Delete: { TableName: tableName(), Key: keyOf(item) } };
}

/**
 * Rewrites an item read from a D1 source: sets attributes and removes others (index keys that
 * named the member, so the item leaves their index). Only if the item is still there.
 */
export function rewriteItemWrite(
  item: Record<string, unknown>,
  set: Record<string, unknown>,
  remove: readonly string[] = [],
): TxWrite {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(set).map(([k, v], i) => {
    names[`#s${i}`] = k;
    values[`:s${i}`] = v;
    return `#s${i} = :s${i}`;
  });
  const removes = remove.map((k, i) => {
    names[`#r${i}`] = k;
    return `#r${i}`;
  });
  return {
    Update: {
      TableName: tableName(),
      Key: keyOf(item),
      UpdateExpression: [
        sets.length ? `SET ${sets.join(', ')}` : '',
        removes.length ? `REMOVE ${removes.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
    },
  };
}

/** Removes ids from a string set of another member's item (their block lists, their coopain set). */
export function removeFromSetWrite(
  ownerId: string,
  sk: 'BLOCKLIST' | 'COOPAINSET',
  attribute: 'blocks' | 'blockedBy' | 'ids',
  id: string,
): TxWrite {
  return {
    Update: {
      TableName: tableName(),
      Key: { pk: `MEMBER#${ownerId}`, sk },
      UpdateExpression: 'DELETE #a :id',
      ExpressionAttributeNames: { '#a': attribute },
      ExpressionAttributeValues: { ':id': new Set([id]) },
    },
  };
}

/** The other side of a link item in the member's partition (coopain link, invitation), by its key. */
export function mirrorDeleteWrite(item: Record<string, unknown>, memberId: string): TxWrite | null {
  const sk = String(item.sk);
  const other = sk.slice(sk.lastIndexOf('#') + 1);
  let mirror: string | null = null;
  if (sk.startsWith('COOPAIN#')) mirror = `COOPAIN#${memberId}`;
  else if (sk.startsWith('INVITE#FROM#')) mirror = `INVITE#TO#${memberId}`;
  else if (sk.startsWith('INVITE#TO#')) mirror = `INVITE#FROM#${memberId}`;
  if (!mirror) return null;
  return { Delete: { TableName: tableName(), Key: { pk: `MEMBER#${other}`, sk: mirror } } };
}

/** The other participant's membership of a conversation, renamed to the pseudonym; the pair item goes. */
export function conversationOtherSideWrites(
  membership: Record<string, unknown>,
  memberId: string,
  pseudonym: string,
): TxWrite[] {
  const other = String(membership.otherId);
  const conversationId = String(membership.conversationId);
  const [x, y] = [memberId, other].sort();
  return [
    rewriteItemWrite({ pk: `MEMBER#${other}`, sk: `CONV#${conversationId}` }, { otherId: pseudonym }),
    { Delete: { TableName: tableName(), Key: { pk: `PAIR#${x}#${y}`, sk: 'PAIR' } } },
    rewriteItemWrite({ pk: `CONV#${conversationId}`, sk: 'META' }, { members: [other, pseudonym].sort() }),
  ];
}

/** Items keyed by the member outside their partition, found by computing their keys. */
export function keyedElsewhere(
  memberId: string,
  facts: {
    email?: string;
    unsubscribeToken?: string;
    /** The digest periods whose run items may still exist (their TTL is 35 days). */
    digestRuns: readonly { period: 'daily' | 'weekly'; key: string }[];
  },
): { pk: string; sk: string }[] {
  const shard = String(shardOf(memberId)).padStart(2, '0');
  return [
    ...(facts.email ? [{ pk: `EMAIL#${facts.email.toLowerCase()}`, sk: 'EMAIL' }] : []),
    ...(facts.unsubscribeToken
      ? [
          {
            pk: `UNSUB#${createHash('sha256').update(facts.unsubscribeToken).digest('hex')}`,
            sk: 'UNSUB',
          },
        ]
      : []),
    { pk: `DIGEST#daily#${shard}`, sk: memberId },
    { pk: `DIGEST#weekly#${shard}`, sk: memberId },
    ...facts.digestRuns.map((r) => ({ pk: `DIGESTRUN#${r.period}#${r.key}`, sk: memberId })),
  ];
}

/** The rate-limit counters of a member, one partition per action (they expire by TTL anyway). */
export async function rateCountersOf(
  memberId: string,
  actions: readonly string[],
): Promise<Record<string, unknown>[]> {
  const pages = await Promise.all(
    actions.map((a) => queryPage({ partition: `RATE#${memberId}#${a}`, limit: 100, consistent: true })),
  );
  return pages.flatMap((p) => p.items);
}
