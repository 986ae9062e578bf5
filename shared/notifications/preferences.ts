import type { Member } from '../data/members.ts';
import {
  type EmailChoice,
  type EmailPreferences,
  NOTIFICATION_TYPES,
  type NotificationType,
} from '../data/notifications.ts';

/**
 * Email by default (SPEC §5): at once for what is addressed to the member personally (a private
 * message, a message from their secretary to the section, a mention); a daily digest for the life
 * around them (invitations, comments, group requests); nothing for mere acknowledgements. A
 * member at `section` visibility is reached only by email: the section's messages at once.
 */
const DEFAULTS: Record<NotificationType, EmailChoice> = {
  'message.new': 'immediate',
  'section.message': 'immediate',
  'coopain.invitation': 'daily',
  'coopain.accepted': 'none',
  'post.mention': 'immediate',
  'comment.new': 'daily',
  'comment.reply': 'daily',
  'group.request': 'daily',
  'group.approved': 'none',
  'event.new': 'weekly',
  'event.changed': 'immediate',
  'event.cancelled': 'immediate',
  'mission.new': 'daily',
  'mission.changed': 'immediate',
  'moderation.remark': 'immediate',
  'report.outcome': 'daily',
};

/** The member's choice for every type: theirs where they made one, the default elsewhere. */
export function emailChoices(
  prefs: EmailPreferences,
  _member: Pick<Member, 'visibility'>,
): Record<NotificationType, EmailChoice> {
  return Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, prefs.email[t] ?? DEFAULTS[t]])) as Record<
    NotificationType,
    EmailChoice
  >;
}
