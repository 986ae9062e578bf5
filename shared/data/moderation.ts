import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, getAll, queryPage, type TxWrite, tableName } from './client.ts';
import { type Member, memberFromItem, memberKey } from './members.ts';

/**
 * Q1–Q4 — reports, the coopilotes' queue, decisions and appeals (SPEC §6).
 *
 * A report names a target: one thing a member may report. The target's reports, its summary (the
 * queue entry) and the one-open-report-per-reporter guards share the target's partition, so that a
 * coopilote reads a target's file in one Query and a decision closes it in one transaction. The
 * decisions a member received live in their own partition (their moderation history, exported
 * with their data); appeals have their own item, one per suspension.
 */

export const TARGET_KINDS = ['post', 'comment', 'message', 'member', 'group', 'event', 'mission'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/**
 * What a report is about, as the API names it in one string: `post:<id>`, `comment:<post>:<id>`
 * (a reply: `comment:<post>:<root comment>:<id>`), `message:<conversation>:<id>`, `member:<id>`,
 * `group:<id>`, `event:<id>`, `mission:<id>`.
 */
export type TargetRef =
  | { kind: 'post' | 'member' | 'group' | 'event' | 'mission'; id: string }
  | { kind: 'comment'; postId: string; parentId: string | null; id: string }
  | { kind: 'message'; conversationId: string; id: string };

const ULID = '[0-9A-HJKMNP-TV-Z]{26}';
export const TARGET_PATTERN = new RegExp(
  `^(?:(?:post|member|group|event|mission):${ULID}|comment:${ULID}(?::${ULID}){1,2}|message:${ULID}:${ULID})$`,
);

export function parseTarget(text: string): TargetRef | null {
  if (!TARGET_PATTERN.test(text)) return null;
  const [kind, ...ids] = text.split(':') as [TargetKind, ...string[]];
  switch (kind) {
    case 'comment':
      return ids.length === 3
        ? { kind, postId: ids[0] as string, parentId: ids[1] as string, id: ids[2] as string }
        : { kind, postId: ids[0] as string, parentId: null, id: ids[1] as string };
    case 'message':
      return { kind, conversationId: ids[0] as string, id: ids[1] as string };
    default:
      return { kind, id: ids[0] as string };
  }
}

export function formatTarget(t: TargetRef): string {
  switch (t.kind) {
    case 'comment':
      return ['comment', t.postId, ...(t.parentId ? [t.parentId] : []), t.id].join(':');
    case 'message':
      return `message:${t.conversationId}:${t.id}`;
    default:
      return `${t.kind}:${t.id}`;
  }
}

export const REPORT_CATEGORIES = [
  'injurious',
  'disrespect',
  'personal_attack',
  'defamation',
  'human_dignity',
  'against_left',
  'copyright',
  'spam',
  'commercial_or_proselytism',
  'mandate_usurpation',
  'identity_usurpation',
] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

/** The reported content as the reporter saw it (kept even if it is edited or deleted since). */
export interface Snapshot {
  title?: string;
  text: string;
  /** Where it was: « Paris 11e — page publique », a group's name, « Message privé »… */
  place?: string;
}

export interface Report {
  id: string;
  target: string;
  reporterId: string;
  category: ReportCategory;
  comment: string;
  at: string;
  snapshot: Snapshot;
  status: 'open' | 'closed';
  outcome?: 'dismissed' | 'actioned';
}

/** A target's file in the queue: open while some report waits for a decision. */
export interface TargetSummary {
  target: string;
  kind: TargetKind;
  authorId: string;
  status: 'open' | 'closed';
  /** Reports waiting for a decision. */
  openCount: number;
  categories: ReportCategory[];
  firstReportedAt: string;
  lastReportedAt: string;
  snapshot: Snapshot;
  /** Soft-deleted by a coopilote: the tombstone moderators see. */
  removedAt?: string;
  lastDecision?: { id: string; at: string; decision: 'dismissed' | 'actioned' };
}

export type DecisionKind = 'dismissed' | 'remark' | 'removed' | 'suspended' | 'lifted' | 'appeal.upheld';

/** A decision about a member (their moderation history, SPEC §6 "en cas de manquements répétés"). */
export interface Decision {
  id: string;
  memberId: string;
  at: string;
  /** What was done: a remark, the content removed, a suspension — or a suspension lifted. */
  kinds: DecisionKind[];
  /** The reason, written to the member. */
  reason: string;
  target?: string;
  /** For a suspension: its end, or none (permanent). */
  suspendedUntil?: string | null;
  /** The coopilote's id (kept for the audit log; the member sees « les coopilotes »). */
  byId: string;
  appealId?: string;
}

export interface Appeal {
  id: string;
  memberId: string;
  decisionId: string;
  text: string;
  at: string;
  status: 'open' | 'upheld' | 'lifted';
  answer?: string;
  answeredAt?: string;
  answeredById?: string;
}

const targetPk = (target: string) => `TARGET#${target}`;
const SUMMARY = 'SUMMARY';
/** A target's queue entry (read with the content itself when a coopilote decides). */
export const summaryKey = (target: string) => ({ pk: targetPk(target), sk: SUMMARY });
const QUEUE = 'REPORTQUEUE#OPEN';
const decisionKey = (memberId: string, id: string) => ({ pk: `MEMBER#${memberId}`, sk: `MODERATION#${id}` });
const appealKey = (decisionId: string) => ({ pk: `APPEAL#${decisionId}`, sk: 'META' });
const guardKey = (target: string, reporterId: string) => ({
  pk: targetPk(target),
  sk: `REPORTER#${reporterId}`,
});

/** Q2 — has this member an open report on this target (read with the target, in one BatchGet). */
export const reportGuardKey = guardKey;

/**
 * A new report: the report, the guard (one open report per reporter and target: index 1 fails if
 * one is open) and the summary, opened or kept open with the count, categories and the latest
 * snapshot — one transaction with the rate-limit count.
 */
export function newReportWrites(
  report: Report,
  target: { kind: TargetKind; authorId: string; sectionId?: string | null },
): TxWrite[] {
  // Q6: while open, a target on a section's pages is counted on that section's dashboard.
  const onSection = target.sectionId
    ? {
        sql: ', gsi3pk = :section, gsi3sk = :queueSk',
        values: { ':section': sectionReportsPk(target.sectionId) },
      }
    : { sql: '', values: {} };
  return [
    {
      Put: {
        TableName: tableName(),
        Item: {
          pk: targetPk(report.target),
          sk: `REPORT#${report.id}`,
          type: 'report',
          ...report,
          gsi3pk: `MEMBER#${report.reporterId}#REPORTS`,
          gsi3sk: report.at,
        },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...guardKey(report.target, report.reporterId), type: 'report-guard', reportId: report.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: { pk: targetPk(report.target), sk: SUMMARY },
        UpdateExpression:
          'SET #type = :type, #target = :target, #kind = :kind, #authorId = :authorId, #status = :open, ' +
          '#last = :at, #first = if_not_exists(#first, :at), #snapshot = :snapshot, ' +
          `gsi1pk = :queue, gsi1sk = :queueSk, gsi2pk = :byAuthor, gsi2sk = :at${onSection.sql} ` +
          'ADD #openCount :one, #categories :category',
        ExpressionAttributeNames: {
          '#type': 'type',
          '#target': 'target',
          '#kind': 'kind',
          '#authorId': 'authorId',
          '#status': 'status',
          '#last': 'lastReportedAt',
          '#first': 'firstReportedAt',
          '#snapshot': 'snapshot',
          '#openCount': 'openCount',
          '#categories': 'categories',
        },
        ExpressionAttributeValues: {
          ':type': 'report-summary',
          ':target': report.target,
          ':kind': target.kind,
          ':authorId': target.authorId,
          ':open': 'open',
          ':at': report.at,
          ':snapshot': report.snapshot,
          ':queue': QUEUE,
          ':queueSk': `${report.at}#${report.target}`,
          ':byAuthor': `MODERATION#AUTHOR#${target.authorId}`,
          ':one': 1,
          ':category': new Set([report.category]),
          ...onSection.values,
        },
      },
    },
  ];
}

const sectionReportsPk = (sectionId: string) => `SECTION#${sectionId}#REPORTS`;

/** Q6 openReportsOnSection — how many targets of the section's pages have open reports (gsi3, COUNT). */
export async function openReportsOnSection(sectionId: string): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': sectionReportsPk(sectionId) },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    count += out.Count ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return count;
}

export function summaryFrom(i: Record<string, unknown>): TargetSummary {
  const categories = i.categories instanceof Set ? [...(i.categories as Set<string>)] : [];
  return {
    target: String(i.target),
    kind: i.kind as TargetKind,
    authorId: String(i.authorId),
    status: i.status === 'open' ? 'open' : 'closed',
    openCount: typeof i.openCount === 'number' ? i.openCount : 0,
    categories: categories.sort() as ReportCategory[],
    firstReportedAt: String(i.firstReportedAt),
    lastReportedAt: String(i.lastReportedAt),
    snapshot: i.snapshot as Snapshot,
    ...(typeof i.removedAt === 'string' ? { removedAt: i.removedAt } : {}),
    ...(i.lastDecision ? { lastDecision: i.lastDecision as TargetSummary['lastDecision'] } : {}),
  };
}

function reportFrom(i: Record<string, unknown>): Report {
  return {
    id: String(i.id),
    target: String(i.target),
    reporterId: String(i.reporterId),
    category: i.category as ReportCategory,
    comment: String(i.comment ?? ''),
    at: String(i.at),
    snapshot: i.snapshot as Snapshot,
    status: i.status === 'open' ? 'open' : 'closed',
    ...(i.outcome ? { outcome: i.outcome as Report['outcome'] } : {}),
  };
}

/** Q1 — the open queue, the most recently reported first. */
export async function openQueue(opts: {
  limit: number;
  startKey?: Record<string, unknown>;
}): Promise<{ items: TargetSummary[]; lastKey?: Record<string, unknown> }> {
  const page = await queryPage({ index: 'gsi1', partition: QUEUE, newestFirst: true, ...opts });
  return { items: page.items.map(summaryFrom), lastKey: page.lastKey };
}

/** Q2 — a target's file: its summary and its reports (newest first), strongly consistent. */
export async function targetFile(
  target: string,
  opts: { limit: number } = { limit: 200 },
): Promise<{ summary?: TargetSummary; reports: Report[] }> {
  const page = await queryPage({
    partition: targetPk(target),
    consistent: true,
    newestFirst: true,
    limit: opts.limit,
  });
  const summary = page.items.find((i) => i.sk === SUMMARY);
  return {
    ...(summary ? { summary: summaryFrom(summary) } : {}),
    reports: page.items.filter((i) => i.type === 'report').map(reportFrom),
  };
}

/** Open reports of a target, oldest first, a page at a time (the outcome task). */
export async function openReportsOf(
  target: string,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ items: Report[]; lastKey?: Record<string, unknown> }> {
  const page = await queryPage({ partition: targetPk(target), prefix: 'REPORT#', consistent: true, ...opts });
  return {
    items: page.items.map(reportFrom).filter((r) => r.status === 'open'),
    lastKey: page.lastKey,
  };
}

/**
 * Closes a target's file with a decision, if it has not changed since it was read (`openCount`):
 * a report that arrives meanwhile keeps the file open for another look (the write fails, index 0).
 */
export function closeSummaryWrite(
  summary: TargetSummary,
  decision: { id: string; at: string; decision: 'dismissed' | 'actioned' },
  removed: boolean,
): TxWrite {
  return {
    Update: {
      TableName: tableName(),
      Key: { pk: targetPk(summary.target), sk: SUMMARY },
      UpdateExpression: `SET #status = :closed, openCount = :zero, lastDecision = :decision${removed ? ', removedAt = :at' : ''} REMOVE gsi1pk, gsi1sk, gsi3pk, gsi3sk`,
      ConditionExpression: '#status = :open AND openCount = :count',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':closed': 'closed',
        ':open': 'open',
        ':zero': 0,
        ':count': summary.openCount,
        ':decision': decision,
        ...(removed ? { ':at': decision.at } : {}),
      },
    },
  };
}

/** A report closed by a decision, and its reporter free to report the target again. */
export function closeReportWrites(report: Report, outcome: 'dismissed' | 'actioned'): TxWrite[] {
  return [
    {
      Update: {
        TableName: tableName(),
        Key: { pk: targetPk(report.target), sk: `REPORT#${report.id}` },
        UpdateExpression: 'SET #status = :closed, outcome = :outcome',
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':closed': 'closed', ':open': 'open', ':outcome': outcome },
      },
    },
    { Delete: { TableName: tableName(), Key: guardKey(report.target, report.reporterId) } },
  ];
}

export function decisionWrite(d: Decision): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...decisionKey(d.memberId, d.id), type: 'moderation-decision', ...d },
    },
  };
}

function decisionFrom(i: Record<string, unknown>): Decision {
  return {
    id: String(i.id),
    memberId: String(i.memberId),
    at: String(i.at),
    kinds: (i.kinds as DecisionKind[]) ?? [],
    reason: String(i.reason ?? ''),
    ...(typeof i.target === 'string' ? { target: i.target } : {}),
    ...(i.suspendedUntil !== undefined ? { suspendedUntil: i.suspendedUntil as string | null } : {}),
    byId: String(i.byId),
    ...(typeof i.appealId === 'string' ? { appealId: i.appealId } : {}),
  };
}

/** A member's moderation history, newest first (Q5: `MEMBER#m` begins_with `MODERATION#`). */
export async function decisionsAbout(memberId: string, limit = 50): Promise<Decision[]> {
  const page = await queryPage({
    partition: `MEMBER#${memberId}`,
    prefix: 'MODERATION#',
    newestFirst: true,
    consistent: true,
    limit,
  });
  return page.items.map(decisionFrom);
}

/** Q4 — one appeal per suspension decision (index 0 fails if it exists). */
export function newAppealWrites(a: Appeal): TxWrite[] {
  return [
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...appealKey(a.decisionId),
          type: 'appeal',
          ...a,
          gsi1pk: 'APPEALS#OPEN',
          gsi1sk: `${a.at}#${a.id}`,
          gsi2pk: `MEMBER#${a.memberId}#APPEALS`,
          gsi2sk: a.at,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: decisionKey(a.memberId, a.decisionId),
        UpdateExpression: 'SET appealId = :id',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':id': a.id },
      },
    },
  ];
}

function appealFrom(i: Record<string, unknown>): Appeal {
  return {
    id: String(i.id),
    memberId: String(i.memberId),
    decisionId: String(i.decisionId),
    text: String(i.text),
    at: String(i.at),
    status: (i.status as Appeal['status']) ?? 'open',
    ...(typeof i.answer === 'string' ? { answer: i.answer } : {}),
    ...(typeof i.answeredAt === 'string' ? { answeredAt: i.answeredAt } : {}),
    ...(typeof i.answeredById === 'string' ? { answeredById: i.answeredById } : {}),
  };
}

/** An appeal and the member who made it, in one BatchGet (a coopilote's answer may lift the suspension). */
export async function appealWithMember(
  decisionId: string,
  memberId: string,
): Promise<{ appeal?: Appeal; member?: Member }> {
  const items = await getAll([appealKey(decisionId), memberKey(memberId)], true);
  const appeal = items.find((i) => i.type === 'appeal');
  const member = items.find((i) => i.type === 'member');
  return {
    ...(appeal && appeal.memberId === memberId ? { appeal: appealFrom(appeal) } : {}),
    ...(member ? { member: memberFromItem(member) } : {}),
  };
}

/** The appeals of these decisions (a member's page shows each decision with its appeal). */
export async function appealsOf(decisionIds: readonly string[]): Promise<Map<string, Appeal>> {
  if (decisionIds.length === 0) return new Map();
  const items = await getAll(decisionIds.map(appealKey), true);
  return new Map(items.map((i) => [String(i.decisionId), appealFrom(i)]));
}

/** Q4 — open appeals, oldest first (answered in order). */
export async function openAppeals(opts: {
  limit: number;
  startKey?: Record<string, unknown>;
}): Promise<{ items: Appeal[]; lastKey?: Record<string, unknown> }> {
  const page = await queryPage({ index: 'gsi1', partition: 'APPEALS#OPEN', ...opts });
  return { items: page.items.map(appealFrom), lastKey: page.lastKey };
}

/** A coopilote's answer: the appeal leaves the open list (fails, index 0, if already answered). */
export function answerAppealWrite(
  a: Appeal,
  answer: { status: 'upheld' | 'lifted'; text: string; at: string; byId: string },
): TxWrite {
  return {
    Update: {
      TableName: tableName(),
      Key: appealKey(a.decisionId),
      UpdateExpression:
        'SET #status = :status, answer = :text, answeredAt = :at, answeredById = :by REMOVE gsi1pk, gsi1sk',
      ConditionExpression: '#status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': answer.status,
        ':text': answer.text,
        ':at': answer.at,
        ':by': answer.byId,
        ':open': 'open',
      },
    },
  };
}

/** Every item of a target's file (erasure: a reported profile's file is keyed by the member's id). */
export async function targetFileKeys(target: string): Promise<Record<string, unknown>[]> {
  const keys: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await queryPage({ partition: targetPk(target), limit: 500, consistent: true, startKey });
    keys.push(...page.items.map((i) => ({ pk: i.pk, sk: i.sk })));
    startKey = page.lastKey;
  } while (startKey);
  return keys;
}
