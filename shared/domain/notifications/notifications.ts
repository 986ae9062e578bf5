import { decodeTime } from 'ulid';
import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { blockedEitherWay } from '../../auth/policy.ts';
import { failedConditionIndex, transact } from '../../data/client.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import {
  EMAIL_CHOICES,
  type EmailChoice,
  getPreferences,
  markAllRead,
  markReadWrites,
  memberOfUnsubscribeToken,
  NOTIFICATION_TYPES,
  type NotificationType,
  notificationsOf,
  savePreferences,
} from '../../data/notifications.ts';
import { NotFoundError } from '../../errors.ts';
import { emailChoices } from '../../notifications/preferences.ts';
import { type Deps, defaultDeps } from '../deps.ts';

/** Le centre de notifications and the email preferences (SPEC §5). */

export const NotificationsQuery = z.strictObject({ cursor: z.optional(z.string().check(z.maxLength(1024))) });

export const PreferencesInput = z.strictObject({
  email: z.partialRecord(z.enum(NOTIFICATION_TYPES), z.enum(EMAIL_CHOICES)),
});

export const UnsubscribeQuery = z.strictObject({
  token: z.string().check(z.minLength(16), z.maxLength(128), z.regex(/^[A-Za-z0-9_-]+$/, 'Lien invalide.')),
});

export interface NotificationView {
  id: string;
  type: NotificationType;
  actor: { id: string; name: string };
  at: string;
  read: boolean;
  data: Record<string, string>;
}

/** N1 — my notifications, newest first, and how many are unread (3 round trips with the state check). */
export async function listNotifications(
  actor: Actor,
  query: z.infer<typeof NotificationsQuery>,
): Promise<{ items: NotificationView[]; unread: number; cursor: string | null }> {
  const page = await notificationsOf(actor.memberId, { limit: 30, startKey: startKeyOf(query.cursor) });
  return {
    // What a member did before a block stays in the record but is no longer shown (SPEC §3).
    items: page.items
      .filter((n) => !blockedEitherWay(actor.blocks, n.actorId))
      .map((n) => ({
        id: n.id,
        type: n.type,
        actor: { id: n.actorId, name: n.actorName },
        at: n.at,
        read: n.read,
        data: n.data,
      })),
    unread: page.state.unread,
    cursor: encodeCursor(page.lastKey),
  };
}

/** One notification read (the unread count goes down with it); reading it twice changes nothing. */
export async function markNotificationRead(actor: Actor, id: string): Promise<void> {
  // A notification's id is a ULID made when it was written: its time is the notification's.
  const at = new Date(decodeTime(id)).toISOString();
  try {
    await transact(markReadWrites(actor.memberId, id, at));
  } catch (error) {
    // Already read, or no such notification of mine: nothing to do either way (idempotent).
    if (failedConditionIndex(error) >= 0) return;
    throw error;
  }
}

export async function markAllNotificationsRead(actor: Actor, deps: Deps = defaultDeps): Promise<void> {
  await markAllRead(actor.memberId, deps.now().toISOString());
}

/** My email choice for every type (mine, or the default). */
export async function getEmailPreferences(
  actor: Actor,
): Promise<{ email: Record<NotificationType, EmailChoice> }> {
  return { email: emailChoices(await getPreferences(actor.memberId), actor.member) };
}

export async function setEmailPreferences(
  actor: Actor,
  input: z.infer<typeof PreferencesInput>,
): Promise<{ email: Record<NotificationType, EmailChoice> }> {
  const current = await getPreferences(actor.memberId);
  const email = { ...current.email, ...input.email };
  await savePreferences(actor.memberId, email);
  return { email: emailChoices({ ...current, email }, actor.member) };
}

/**
 * One-click unsubscribe (RFC 8058), no sign-in: the link's token names the member; every type
 * goes to "site only". Answers the same whoever the member is (nothing about them is returned).
 */
export async function unsubscribe(query: z.infer<typeof UnsubscribeQuery>): Promise<{ unsubscribed: true }> {
  const memberId = await memberOfUnsubscribeToken(query.token);
  if (!memberId)
    throw new NotFoundError('unsubscribe.unknown', 'Ce lien de désinscription n’est pas (ou plus) valable.');
  // Every type to "site only": nothing of the previous choices needs reading (2 round trips).
  await savePreferences(memberId, Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, 'none' as const])));
  return { unsubscribed: true };
}
