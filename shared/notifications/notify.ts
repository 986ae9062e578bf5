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
  // An erased member's pseudonym (where content of theirs was kept, SPEC §7) receives nothing.
  if (!MEMBER_ID.test(recipientId)) return [];
  return notificationFrom(
    { id: actor.memberId, name: `${actor.member.firstName} ${actor.member.lastName}` },
    recipientId,
    type,
    deps,
    data,
  );
}

/** The notification and the task that emails it, if the recipient wants it at once (never lost). */
function notificationFrom(
  from: { id: string; name: string },
  recipientId: string,
  type: NotificationType,
  deps: Deps,
  data: Record<string, string>,
): TxWrite[] {
  const now = deps.now();
  const id = deps.newId();
  return [
    ...notificationWrites({
      id,
      recipientId,
      type,
      actorId: from.id,
      actorName: from.name,
      at: now.toISOString(),
      data,
    }),
    queueTaskWrite({ id, kind: NOTIFICATION_EMAIL_TASK, payload: { recipientId, notificationId: id } }, now),
  ];
}

const MEMBER_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** The name under which the moderation team speaks (a coopilote is never named to the member). */
export const COOPILOTES = { id: 'coopilotes', name: 'Les coopilotes' } as const;

/**
 * A notification from the moderation team (a remark, a decision, the outcome of a report): it
 * reaches the member whatever their blocks — a member cannot block the moderation.
 */
export function notifyAsCoopilotes(
  recipientId: string,
  type: NotificationType,
  deps: Deps,
  data: Record<string, string> = {},
): TxWrite[] {
  return notificationFrom(COOPILOTES, recipientId, type, deps, data);
}

/** The platform itself (an event cancelled because its organiser left the coopol, say). */
export const PLATFORM = { id: 'coopol', name: 'La coopol' } as const;

export function notifyAsPlatform(
  recipientId: string,
  type: NotificationType,
  deps: Deps,
  data: Record<string, string> = {},
): TxWrite[] {
  if (!MEMBER_ID.test(recipientId)) return [];
  return notificationFrom(PLATFORM, recipientId, type, deps, data);
}
