import type { Actor } from '../auth/actor.ts';
import { blockedEitherWay } from '../auth/policy.ts';
import type { TxWrite } from '../data/client.ts';
import { type NotificationType, notificationWrites } from '../data/notifications.ts';
import { queueTaskWrite } from '../data/tasks.ts';
import type { Deps } from '../domain/deps.ts';
import { NOTIFICATION_EMAIL_TASK } from './deliver.ts';

/**
 * The one way to notify a member of something another member did (SPEC §5). The in-site
 * notification and the task that emails it (when the recipient wants it at once) are written in
 * the same transaction as the action (ADR 004, ADR 007). Never across a block: a blocked member
 * causes nothing to reach the blocker (SPEC §3).
 */
export function notify(
  actor: Actor,
  recipientId: string,
  type: NotificationType,
  deps: Deps,
  data: Record<string, string> = {},
): TxWrite[] {
  if (recipientId === actor.memberId || blockedEitherWay(actor.blocks, recipientId)) return [];
  const now = deps.now();
  const id = deps.newId();
  return [
    ...notificationWrites({
      id,
      recipientId,
      type,
      actorId: actor.memberId,
      actorName: `${actor.member.firstName} ${actor.member.lastName}`,
      at: now.toISOString(),
      data,
    }),
    // Its email, if the recipient wants one at once, is sent by the task job (never lost).
    queueTaskWrite({ id, kind: NOTIFICATION_EMAIL_TASK, payload: { recipientId, notificationId: id } }, now),
  ];
}
