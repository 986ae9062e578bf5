import type { Notification, NotificationType } from '../data/notifications.ts';
import type { Email } from './mailer.ts';

/**
 * Sent instead of a confirmation code when someone signs up with an address that already has an
 * account: the sign-up answer stays the same, so it never reveals who is a member (GDPR art. 9).
 */
export function accountAlreadyExists(to: string, siteUrl: string): Email {
  return {
    to,
    subject: 'Votre compte la coopol existe déjà',
    text: [
      'Bonjour,',
      '',
      "Quelqu'un (peut-être vous) a demandé à créer un compte sur la coopol avec cette adresse,",
      'mais un compte existe déjà pour elle.',
      '',
      `Pour vous connecter : ${siteUrl}/connexion`,
      "Si vous n'êtes pas à l'origine de cette demande, vous pouvez ignorer ce message.",
      '',
      "L'équipe de la coopol",
    ].join('\n'),
  };
}

/**
 * The confirmation-code email. In AWS, Cognito sends it (the user pool's verification message
 * uses the same words, see infra); locally the cognito-local bridge sends this through SES.
 */
export function confirmationCode(to: string, code: string): Email {
  return {
    to,
    subject: 'Votre code de confirmation la coopol',
    text: [
      'Bonjour,',
      '',
      `Votre code de confirmation est : ${code}`,
      '',
      'Saisissez-le sur la page de confirmation pour activer votre compte.',
      "Si vous n'avez pas demandé à rejoindre la coopol, ignorez ce message.",
      '',
      "L'équipe de la coopol",
    ].join('\n'),
  };
}

// ————— Notification emails (SPEC §5) —————

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/**
 * What each notification says by email: who did what, and a link to see it on the site. Minimal
 * by design: never anybody's contact details, never the text of a private message or of a post
 * (the member reads them on the site, signed in). The one exception is the secretary's message to
 * the section, whose text is the point of the email — members at `section` visibility may be
 * reached by email only.
 */
function wording(n: Notification, site: string): { subject: string; lines: string[]; link: string } {
  const who = n.actorName;
  const d = n.data;
  const table: Record<NotificationType, () => { subject: string; lines: string[]; link: string }> = {
    'message.new': () => ({
      subject: `Nouveau message de ${who}`,
      lines: [`${who} vous a écrit sur la coopol.`],
      link: `${site}/messages/conversation/?id=${d.conversationId ?? ''}`,
    }),
    'section.message': () => ({
      subject: `Message de votre section — ${who}`,
      lines: [`${who}, secrétaire de votre section, écrit à toute la section :`, '', d.excerpt ?? ''],
      link: `${site}/messages/conversation/?id=${d.conversationId ?? ''}`,
    }),
    'coopain.invitation': () => ({
      subject: `${who} vous invite à devenir coopains`,
      lines: [`${who} vous invite à devenir coopains sur la coopol.`],
      link: `${site}/coopains/`,
    }),
    'coopain.accepted': () => ({
      subject: `${who} a accepté votre invitation`,
      lines: [`${who} et vous êtes maintenant coopains.`],
      link: `${site}/coopains/`,
    }),
    'post.mention': () => ({
      subject: `${who} vous a mentionné·e`,
      lines: [`${who} vous a mentionné·e dans un billet.`],
      link: `${site}/billet/?id=${d.postId ?? ''}`,
    }),
    'comment.new': () => ({
      subject: `${who} a commenté votre billet`,
      lines: [`${who} a commenté votre billet.`],
      link: `${site}/billet/?id=${d.postId ?? ''}`,
    }),
    'comment.reply': () => ({
      subject: `${who} vous a répondu`,
      lines: [`${who} a répondu à votre commentaire.`],
      link: `${site}/billet/?id=${d.postId ?? ''}`,
    }),
    'group.request': () => ({
      subject: `${who} demande à rejoindre votre groupe`,
      lines: [`${who} demande à rejoindre un groupe dont vous êtes admin.`],
      link: `${site}/groupe/?id=${d.groupId ?? ''}`,
    }),
    'group.approved': () => ({
      subject: 'Votre demande a été acceptée',
      lines: [`${who} a accepté votre demande : vous êtes membre du groupe.`],
      link: `${site}/groupe/?id=${d.groupId ?? ''}`,
    }),
    'event.new': () => ({
      subject: `Nouvel évènement : ${d.title ?? ''}`,
      lines: [`${who} organise « ${d.title ?? ''} »${d.when ? `, ${d.when}` : ''}.`],
      link: `${site}/evenement/?id=${d.eventId ?? ''}`,
    }),
    'event.changed': () => ({
      subject: `Évènement modifié : ${d.title ?? ''}`,
      lines: [
        `L’évènement « ${d.title ?? ''} » a changé${d.when ? ` : ${d.when}` : ''}.`,
        ...(d.change ? ['', d.change] : []),
      ],
      link: `${site}/evenement/?id=${d.eventId ?? ''}`,
    }),
    'event.cancelled': () => ({
      subject: `Évènement annulé : ${d.title ?? ''}`,
      lines: [`L’évènement « ${d.title ?? ''} »${d.when ? ` (${d.when})` : ''} est annulé.`],
      link: `${site}/evenement/?id=${d.eventId ?? ''}`,
    }),
    'mission.new': () => ({
      subject: `Nouvelle mission : ${d.title ?? ''}`,
      lines: [`${who} cherche des volontaires pour « ${d.title ?? ''} ».`],
      link: `${site}/mission/?id=${d.missionId ?? ''}`,
    }),
    'mission.changed': () => ({
      subject: `Mission modifiée : ${d.title ?? ''}`,
      lines: [
        `La mission « ${d.title ?? ''} » à laquelle vous êtes inscrit·e a changé${d.change ? ` : ${d.change}` : ''}.`,
      ],
      link: `${site}/mission/?id=${d.missionId ?? ''}`,
    }),
    'moderation.remark': () => ({
      subject: 'Un message des coopilotes',
      lines: ['L’équipe des coopilotes (la modération de la coopol) vous a adressé un message.'],
      link: `${site}/moderation/mes-decisions/`,
    }),
    'report.outcome': () => ({
      subject: 'Votre signalement a été examiné',
      lines: [
        d.outcome === 'actioned'
          ? 'Les coopilotes ont examiné votre signalement et ont pris les mesures nécessaires. Merci.'
          : 'Les coopilotes ont examiné votre signalement et n’ont pas relevé de manquement à la charte. Merci.',
      ],
      link: `${site}/notifications/`,
    }),
  };
  return table[n.type]();
}

/**
 * A notification email with its unsubscribe link in the text, the HTML and the headers
 * (`List-Unsubscribe` + `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, RFC 8058).
 */
export function notificationEmail(
  n: Notification,
  to: string,
  site: string,
  unsubscribeToken: string,
): Email {
  const { subject, lines, link } = wording(n, site);
  const token = encodeURIComponent(unsubscribeToken);
  const unsubscribePage = `${site}/desinscription/?token=${token}`;
  const oneClick = `${site}/api/unsubscribe?token=${token}`;
  const footer = [
    'Vous recevez ce message parce que vos préférences de notification le demandent.',
    `Gérer vos notifications : ${site}/parametres/notifications/`,
    `Ne plus recevoir d’e-mails de la coopol : ${unsubscribePage}`,
  ];
  const text = ['Bonjour,', '', ...lines, '', `Voir sur la coopol : ${link}`, '', '—', ...footer].join('\n');
  const paragraphs = lines
    .join('\n')
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
  const html = [
    '<!doctype html><html lang="fr"><body style="font-family:sans-serif;line-height:1.5">',
    '<p>Bonjour,</p>',
    paragraphs,
    `<p><a href="${escapeHtml(link)}">Voir sur la coopol</a></p>`,
    '<hr>',
    `<p style="font-size:small;color:#555">${escapeHtml(footer[0] as string)}<br>`,
    `<a href="${escapeHtml(`${site}/parametres/notifications/`)}">Gérer vos notifications</a> · `,
    `<a href="${escapeHtml(unsubscribePage)}">Ne plus recevoir d’e-mails</a></p>`,
    '</body></html>',
  ].join('');
  return {
    to,
    subject,
    text,
    html,
    headers: { 'List-Unsubscribe': `<${oneClick}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

const DIGEST_HEADINGS: Record<NotificationType, string> = {
  'message.new': 'Messages',
  'section.message': 'Messages de votre section',
  'coopain.invitation': 'Invitations à devenir coopains',
  'coopain.accepted': 'Invitations acceptées',
  'post.mention': 'Mentions',
  'comment.new': 'Commentaires sur vos billets',
  'comment.reply': 'Réponses à vos commentaires',
  'group.request': 'Demandes pour rejoindre vos groupes',
  'group.approved': 'Groupes rejoints',
  'event.new': 'Nouveaux évènements',
  'event.changed': 'Évènements modifiés',
  'event.cancelled': 'Évènements annulés',
  'mission.new': 'Nouvelles missions',
  'mission.changed': 'Missions modifiées',
  'moderation.remark': 'Messages des coopilotes',
  'report.outcome': 'Suites de vos signalements',
};

/** A daily or weekly digest: the notifications since the last one, grouped by type, each with its link. */
export function digestEmail(
  period: 'daily' | 'weekly',
  items: readonly Notification[],
  to: string,
  site: string,
  unsubscribeToken: string,
): Email {
  const groups = new Map<NotificationType, Notification[]>();
  for (const n of items) groups.set(n.type, [...(groups.get(n.type) ?? []), n]);
  const sections = [...groups.entries()].map(([type, list]) => ({
    heading: `${DIGEST_HEADINGS[type]} (${list.length})`,
    lines: list.map((n) => {
      const w = wording(n, site);
      return { text: w.subject, link: w.link };
    }),
  }));
  const subject =
    period === 'daily'
      ? `Votre résumé du jour sur la coopol (${items.length})`
      : `Votre résumé de la semaine sur la coopol (${items.length})`;
  const token = encodeURIComponent(unsubscribeToken);
  const unsubscribePage = `${site}/desinscription/?token=${token}`;
  const text = [
    'Bonjour,',
    '',
    period === 'daily'
      ? 'Voici ce qui s’est passé pour vous aujourd’hui :'
      : 'Voici ce qui s’est passé pour vous cette semaine :',
    ...sections.flatMap((s) => ['', s.heading, ...s.lines.map((l) => `- ${l.text} : ${l.link}`)]),
    '',
    '—',
    `Gérer vos notifications : ${site}/parametres/notifications/`,
    `Ne plus recevoir d’e-mails de la coopol : ${unsubscribePage}`,
  ].join('\n');
  const html = [
    '<!doctype html><html lang="fr"><body style="font-family:sans-serif;line-height:1.5">',
    '<p>Bonjour,</p>',
    ...sections.map(
      (s) =>
        `<h2 style="font-size:1.05em">${escapeHtml(s.heading)}</h2><ul>${s.lines
          .map((l) => `<li><a href="${escapeHtml(l.link)}">${escapeHtml(l.text)}</a></li>`)
          .join('')}</ul>`,
    ),
    '<hr>',
    `<p style="font-size:small;color:#555"><a href="${escapeHtml(`${site}/parametres/notifications/`)}">Gérer vos notifications</a> · `,
    `<a href="${escapeHtml(unsubscribePage)}">Ne plus recevoir d’e-mails</a></p>`,
    '</body></html>',
  ].join('');
  return {
    to,
    subject,
    text,
    html,
    headers: {
      'List-Unsubscribe': `<${site}/api/unsubscribe?token=${token}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
