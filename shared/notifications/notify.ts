import type { Actor } from '../auth/actor.ts';
import { blockedEitherWay } from '../auth/policy.ts';
import type { TxWrite } from '../data/client.ts';
import { type NotificationType, notificationWrites } from '../data/notifications.ts';
import type { Deps } from '../domain/deps.ts';

/**
 * The one way to notify a member of something another member did (SPEC §5). The in-site
 * notification is written in the same transaction as the action; email delivery lands with the
 * notifications issue (outbox, ADR 004). Never across a block: a blocked member causes nothing
 * to reach the blocker (SPEC §3).
 */
export function notify(
  actor: Actor,
  recipientId: string,
  type: NotificationType,
  deps: Deps,
  data: Record<string, string> = {},
): TxWrite[] {
  if (recipientId === actor.memberId || blockedEitherWay(actor.blocks, recipientId)) return [];
  return notificationWrites({
    id: deps.newId(),
    recipientId,
    type,
    actorId: actor.memberId,
    actorName: `${actor.member.firstName} ${actor.member.lastName}`,
    at: deps.now().toISOString(),
    data,
  });
}
