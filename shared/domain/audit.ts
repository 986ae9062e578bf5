import type { Actor } from '../auth/actor.ts';
import { type AuditAction, auditWrite } from '../data/audit.ts';
import type { TxWrite } from '../data/client.ts';
import type { Deps } from './deps.ts';

/** The audit write for an action the actor takes on a member, to go in the same transaction. */
export function auditOf(
  actor: Actor,
  action: AuditAction,
  subjectId: string,
  deps: Deps,
  details?: Record<string, string>,
): TxWrite {
  return auditWrite({
    id: deps.newId(),
    at: deps.now().toISOString(),
    action,
    actorId: actor.memberId,
    actorName: `${actor.member.firstName} ${actor.member.lastName}`,
    subjectId,
    ...(details ? { details } : {}),
  });
}
