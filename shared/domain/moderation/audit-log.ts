import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { mayReadAuditLog } from '../../auth/policy.ts';
import { type AuditEntry, auditByActor, auditByDay, auditBySubject } from '../../data/audit.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { calendarDay, Id } from '../schemas.ts';

export const AuditQuery = z.strictObject({
  /** The member the actions were about (a sanctioned author, a member whose contact details were read). */
  member: z.optional(Id),
  /** The member who acted (a coopilote, a secretary, an admin). */
  actor: z.optional(Id),
  /** A UTC day, `YYYY-MM-DD`. */
  day: z.optional(calendarDay('Une date au format AAAA-MM-JJ.')),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});

/**
 * A1 — the audit log for the coopilotes and the admins (SPEC §6): every moderation action, every
 * secretary read of contact details, every role change — by member concerned, by member who
 * acted, or by day. Read-only: no route writes or edits an entry.
 */
export async function readAuditLog(
  actor: Actor,
  query: z.infer<typeof AuditQuery>,
): Promise<{ items: AuditEntry[]; cursor: string | null }> {
  if (!mayReadAuditLog(actor.member)) throw new NotFoundError('moderation.not_found', 'Page introuvable.');
  const chosen = [query.member, query.actor, query.day].filter((v) => v !== undefined).length;
  if (chosen !== 1)
    throw new ValidationError(
      'audit.one_filter',
      'Choisissez un membre concerné, un membre qui a agi, ou un jour.',
    );
  const opts = { limit: 50, startKey: startKeyOf(query.cursor) };
  const page = query.member
    ? await auditBySubject(query.member, opts)
    : query.actor
      ? await auditByActor(query.actor, opts)
      : await auditByDay(query.day as string, opts);
  return { items: page.items, cursor: encodeCursor(page.lastKey) };
}
