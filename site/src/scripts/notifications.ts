/**
 * Notifications (docs/api.md « Notifications and email »): what each one says in French, where it
 * leads, the unread count shared by the navigation and the notifications page, and the calls.
 */
import { apiFetch } from './api.ts';
import { conversationHref } from './messages.ts';

export const NOTIFICATION_TYPES = [
  'message.new',
  'section.message',
  'coopain.invitation',
  'coopain.accepted',
  'post.mention',
  'comment.new',
  'comment.reply',
  'group.request',
  'group.approved',
  'event.new',
  'event.changed',
  'event.cancelled',
  'mission.new',
  'mission.changed',
  'moderation.remark',
  'report.outcome',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const EMAIL_CHOICES = ['immediate', 'daily', 'weekly', 'none'] as const;
export type EmailChoice = (typeof EMAIL_CHOICES)[number];

/** A notification as `GET /api/notifications` lists it. */
export interface NotificationItem {
  id: string;
  /** One of `NOTIFICATION_TYPES`; a type the site does not know yet still shows. */
  type: string;
  actor: { id: string; name: string };
  at: string;
  read: boolean;
  data: Record<string, string | undefined>;
}

export interface NotificationsPage {
  items: NotificationItem[];
  unread: number;
  cursor: string | null;
}

/** `GET|PUT /api/me/notification-preferences`. */
export interface EmailPreferences {
  email: Partial<Record<NotificationType, EmailChoice>>;
}

/** The words of the settings page: a title per type and when it happens. */
export const TYPE_LABELS: Record<NotificationType, { title: string; hint: string }> = {
  'message.new': { title: 'Messages privés', hint: 'Quand un membre vous écrit.' },
  'section.message': {
    title: 'Messages de votre section',
    hint: 'Quand votre secrétaire de section écrit à toute la section.',
  },
  'coopain.invitation': {
    title: 'Invitations à devenir coopains',
    hint: 'Quand un membre vous invite à devenir coopains.',
  },
  'coopain.accepted': {
    title: 'Invitations acceptées',
    hint: 'Quand un membre accepte votre invitation à devenir coopains.',
  },
  'post.mention': { title: 'Mentions', hint: 'Quand un membre vous mentionne dans un billet.' },
  'comment.new': { title: 'Commentaires', hint: 'Quand un membre commente l’un de vos billets.' },
  'comment.reply': { title: 'Réponses', hint: 'Quand un membre répond à l’un de vos commentaires.' },
  'group.request': {
    title: 'Demandes pour rejoindre vos groupes',
    hint: 'Quand un membre demande à rejoindre un groupe dont vous êtes admin.',
  },
  'group.approved': {
    title: 'Demandes acceptées',
    hint: 'Quand un groupe accepte votre demande pour le rejoindre.',
  },
  'event.new': {
    title: 'Nouveaux évènements',
    hint: 'Quand un évènement est annoncé dans votre section, vos groupes ou par vos coopains.',
  },
  'event.changed': {
    title: 'Évènements modifiés',
    hint: 'Quand un évènement auquel vous avez répondu change de date ou de lieu.',
  },
  'event.cancelled': {
    title: 'Évènements annulés',
    hint: 'Quand un évènement auquel vous avez répondu est annulé.',
  },
  'mission.new': {
    title: 'Nouvelles missions',
    hint: 'Quand votre section ou l’un de vos groupes cherche des volontaires.',
  },
  'moderation.remark': {
    title: 'Messages des coopilotes',
    hint: 'Quand l’équipe de modération vous adresse une remarque ou une décision.',
  },
  'report.outcome': {
    title: 'Suites de vos signalements',
    hint: 'Quand les coopilotes ont examiné un contenu que vous avez signalé.',
  },
  'mission.changed': {
    title: 'Missions modifiées',
    hint: 'Quand une mission à laquelle vous êtes inscrit·e change ou est annulée.',
  },
};

export const CHOICE_LABELS: Record<EmailChoice, string> = {
  immediate: 'Tout de suite par e-mail',
  daily: 'Résumé quotidien',
  weekly: 'Résumé hebdomadaire',
  none: 'Sur le site seulement',
};

/** The sentence that says what happened: « Camille Martin vous a écrit ». */
export function sentenceOf(notification: NotificationItem): string {
  const who = notification.actor.name.trim() || 'Un membre';
  switch (notification.type) {
    case 'message.new':
      return `${who} vous a écrit`;
    case 'section.message': {
      const excerpt = notification.data.excerpt?.trim();
      return excerpt ? `${who} écrit à toute la section : ${excerpt}` : `${who} écrit à toute la section`;
    }
    case 'coopain.invitation':
      return `${who} vous invite à devenir coopains`;
    case 'coopain.accepted':
      return `${who} a accepté votre invitation`;
    case 'post.mention':
      return `${who} vous a mentionné·e dans un billet`;
    case 'comment.new':
      return `${who} a commenté votre billet`;
    case 'comment.reply':
      return `${who} a répondu à votre commentaire`;
    case 'group.request':
      return `${who} demande à rejoindre votre groupe`;
    case 'group.approved':
      return `${who} a accepté votre demande`;
    case 'event.new':
      return `${who} organise « ${notification.data.title ?? 'un évènement'} »`;
    case 'event.changed':
      return notification.data.change
        ? `« ${notification.data.title ?? ''} » : ${notification.data.change}`
        : `L’évènement « ${notification.data.title ?? ''} » a changé`;
    case 'event.cancelled':
      return `L’évènement « ${notification.data.title ?? ''} » est annulé`;
    case 'mission.new':
      return `${who} cherche des volontaires : « ${notification.data.title ?? 'une mission'} »`;
    case 'mission.changed':
      return `La mission « ${notification.data.title ?? ''} » a changé`;
    case 'moderation.remark':
      return 'Les coopilotes vous ont adressé un message';
    case 'report.outcome':
      return notification.data.outcome === 'actioned'
        ? 'Votre signalement a été examiné : les coopilotes ont agi'
        : 'Votre signalement a été examiné : pas de manquement relevé';
    default:
      return `Du nouveau de la part de ${who}`;
  }
}

/** Where a notification leads (the same pages as its email's link). */
export function hrefOf(notification: NotificationItem): string {
  const { conversationId, postId, groupId, eventId, missionId } = notification.data;
  switch (notification.type) {
    case 'message.new':
    case 'section.message':
      return conversationId ? conversationHref(conversationId) : '/messages/';
    case 'coopain.invitation':
    case 'coopain.accepted':
      return '/coopains/';
    case 'post.mention':
    case 'comment.new':
    case 'comment.reply':
      return postId ? `/billet/?id=${encodeURIComponent(postId)}` : '/fil/';
    case 'group.request':
    case 'group.approved':
      return groupId ? `/groupe/?id=${encodeURIComponent(groupId)}` : '/groupes/';
    case 'event.new':
    case 'event.changed':
    case 'event.cancelled':
      return eventId ? `/evenement/?id=${encodeURIComponent(eventId)}` : '/agenda/';
    case 'mission.new':
    case 'mission.changed':
      return missionId ? `/mission/?id=${encodeURIComponent(missionId)}` : '/missions/';
    case 'moderation.remark':
      return '/moderation/mes-decisions/';
    default:
      return '/notifications/';
  }
}

/** « 1 non lue », « 3 non lues ». */
export function unreadText(count: number): string {
  return count === 1 ? '1 non lue' : `${count} non lues`;
}

/** Fired on `window` with the unread count whenever a page learns it, for the navigation's badge. */
export const UNREAD_EVENT = 'coopol:unread';

export function publishUnread(count: number): void {
  window.dispatchEvent(new CustomEvent<number>(UNREAD_EVENT, { detail: Math.max(0, count) }));
}

let first: Promise<NotificationsPage> | null = null;

/**
 * A page of my notifications. The first page is fetched once per page load, shared by the
 * navigation (for its count) and the notifications page; `fresh` asks again (a page restored
 * from the back-forward cache).
 */
export function loadNotifications(cursor: string | null = null, fresh = false): Promise<NotificationsPage> {
  if (cursor) {
    return apiFetch<NotificationsPage>(`/api/notifications?${new URLSearchParams({ cursor })}`);
  }
  if (!first || fresh) {
    const loading = apiFetch<NotificationsPage>('/api/notifications');
    loading.then(
      (page) => publishUnread(page.unread),
      () => {
        if (first === loading) first = null;
      },
    );
    first = loading;
  }
  return first;
}

export function markRead(id: string): Promise<void> {
  return apiFetch(`/api/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' });
}

export function markAllRead(): Promise<void> {
  return apiFetch('/api/notifications/read', { method: 'POST' });
}

/**
 * Opening a conversation reads what its notifications announced: the unread « … vous a écrit »
 * of this conversation (on the first page, already loaded for the navigation) are marked read,
 * and the badge follows. Best effort: a failure only leaves them unread.
 */
export async function markConversationNotificationsRead(conversationId: string): Promise<void> {
  const page = await loadNotifications();
  const about = page.items.filter(
    (n) =>
      !n.read &&
      (n.type === 'message.new' || n.type === 'section.message') &&
      n.data.conversationId === conversationId,
  );
  if (about.length === 0) return;
  await Promise.all(about.map((n) => markRead(n.id)));
  for (const n of about) n.read = true;
  page.unread = Math.max(0, page.unread - about.length);
  publishUnread(page.unread);
}
