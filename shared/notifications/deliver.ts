import { randomBytes } from 'node:crypto';
import { isSuspended } from '../auth/policy.ts';
import { config } from '../config.ts';
import { getAll, transact } from '../data/client.ts';
import { contactDetailsKey, contactFromItem } from '../data/contact-details.ts';
import { pendingDigestWrite } from '../data/digests.ts';
import { memberFromItem, memberKey } from '../data/members.ts';
import {
  ensureUnsubscribeToken,
  notificationFromItem,
  notificationKey,
  preferencesKey,
  prefsFromItem,
} from '../data/notifications.ts';
import type { Task } from '../data/tasks.ts';
import { type Deps, defaultDeps } from '../domain/deps.ts';
import { sendEmail } from './mailer.ts';
import { emailChoices } from './preferences.ts';
import { notificationEmail } from './templates.ts';

/** The background task that emails one notification (ADR 007; queued by `notify`). */
export const NOTIFICATION_EMAIL_TASK = 'notification-email';

/**
 * Emails a notification when its recipient wants it at once. Everything the decision needs is one
 * BatchGet (the notification, the member, their address, their preferences); the send goes
 * through SES. A failure (SES down for a moment) fails the step: the task runner retries it with
 * backoff and, after its attempts, keeps it aside for replay — never dropped. The task is removed
 * only after SES accepted the email, so a retried step resends nothing that was sent, except in
 * the rare crash between the two (ADR 004: SES has no idempotency key).
 */
export async function deliverNotification(
  task: Pick<Task, 'payload'>,
  deps: Deps = defaultDeps,
): Promise<{ done: true; sent: boolean }> {
  const recipientId = String(task.payload.recipientId ?? '');
  const notificationId = String(task.payload.notificationId ?? '');
  const items = await getAll(
    [
      notificationKey(recipientId, notificationId),
      memberKey(recipientId),
      contactDetailsKey(recipientId),
      preferencesKey(recipientId),
    ],
    true,
  );
  const find = (sk: string) => items.find((i) => i.sk === sk);
  const notification = find(`NOTIF#${notificationId}`);
  const profile = find('PROFILE');
  const contact = find('CONTACT');
  // Expired, erased, or the member is gone or suspended: nothing to send.
  if (!notification || !profile || !contact) return { done: true, sent: false };
  const member = memberFromItem(profile);
  const n = notificationFromItem(notification);
  // A suspended member still hears from the coopilotes (the decision, an answer to their appeal).
  const fromModeration = n.type === 'moderation.remark' && member.state === 'suspended';
  if (!fromModeration && (member.state !== 'active' || isSuspended(member, deps.now())))
    return { done: true, sent: false };
  const prefs = prefsFromItem(find('PREFS'));
  const choice = emailChoices(prefs, member)[n.type];
  // Read on the site already, or not by email: nothing to send.
  if (n.read || choice === 'none') return { done: true, sent: false };
  // For a digest: the member is put on the list of the next one (the digest job, N3).
  if (choice === 'daily' || choice === 'weekly') {
    await transact([pendingDigestWrite(choice, recipientId)]);
    return { done: true, sent: false };
  }
  const token =
    prefs.unsubscribeToken ??
    (await ensureUnsubscribeToken(recipientId, randomBytes(24).toString('base64url')));
  await sendEmail(notificationEmail(n, contactFromItem(contact).email, config().SITE_URL, token));
  return { done: true, sent: true };
}
