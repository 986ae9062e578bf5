import { queryPage, type TxWrite, tableName } from './client.ts';

/**
 * A1 — the audit log: every moderation action and every secretary read of contact details
 * (SPEC §6). Partitioned by day for reading by time; gsi1 by subject ("who saw my contact
 * details"), gsi2 by actor. Kept (pseudonymised) when a member is erased (SPEC §7).
 */
export type AuditAction =
  | 'contact.read'
  /** A secretary's CSV export of the roster (issue 11): one entry, the section as subject. */
  | 'roster.export'
  | 'membership.confirm'
  | 'membership.decline'
  | 'mandate.verify'
  | 'roles.set'
  | 'commitment.accept'
  | 'moderation.dismiss'
  | 'moderation.act'
  | 'moderation.lift'
  | 'moderation.expire'
  | 'appeal.answer'
  | 'content.remove';

export interface AuditEntry {
  id: string;
  at: string;
  action: AuditAction;
  actorId: string;
  /** Denormalised so that the subject's page needs no second read. */
  actorName: string;
  subjectId: string;
  /** Free details (ids, never contact values). */
  details?: Record<string, string>;
}

export function auditWrite(entry: AuditEntry): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        pk: `AUDITLOG#${entry.at.slice(0, 10)}`,
        sk: entry.id,
        type: 'audit',
        ...entry,
        gsi1pk: `AUDIT#SUBJECT#${entry.subjectId}`,
        gsi1sk: entry.id,
        gsi2pk: `AUDIT#ACTOR#${entry.actorId}`,
        gsi2sk: entry.id,
      },
    },
  };
}

/** A1 auditBySubject, newest first, optionally one action only. */
export function auditBySubject(
  subjectId: string,
  opts: { action?: AuditAction; limit: number; startKey?: Record<string, unknown> },
): Promise<{ items: AuditEntry[]; lastKey?: Record<string, unknown> }> {
  return auditPage({ index: 'gsi1', partition: `AUDIT#SUBJECT#${subjectId}` }, opts);
}

/** A1 auditByActor: what one member (a coopilote, a secretary, an admin) did, newest first. */
export function auditByActor(
  actorId: string,
  opts: { action?: AuditAction; limit: number; startKey?: Record<string, unknown> },
): Promise<{ items: AuditEntry[]; lastKey?: Record<string, unknown> }> {
  return auditPage({ index: 'gsi2', partition: `AUDIT#ACTOR#${actorId}` }, opts);
}

/** A1 auditByDay: everything done on one UTC day, newest first. */
export function auditByDay(
  day: string,
  opts: { action?: AuditAction; limit: number; startKey?: Record<string, unknown> },
): Promise<{ items: AuditEntry[]; lastKey?: Record<string, unknown> }> {
  return auditPage({ partition: `AUDITLOG#${day}` }, opts);
}

async function auditPage(
  where: { index?: 'gsi1' | 'gsi2'; partition: string },
  opts: { action?: AuditAction; limit: number; startKey?: Record<string, unknown> },
): Promise<{ items: AuditEntry[]; lastKey?: Record<string, unknown> }> {
  const page = await queryPage({
    ...where,
    newestFirst: true,
    limit: opts.limit,
    startKey: opts.startKey,
    ...(opts.action
      ? {
          filter: {
            expression: '#action = :action',
            names: { '#action': 'action' },
            values: { ':action': opts.action },
          },
        }
      : {}),
  });
  const items = page.items.map((i) => ({
    id: String(i.id),
    at: String(i.at),
    action: i.action as AuditAction,
    actorId: String(i.actorId),
    actorName: String(i.actorName),
    subjectId: String(i.subjectId),
    ...(i.details ? { details: i.details as Record<string, string> } : {}),
  }));
  return { items, lastKey: page.lastKey };
}
