/**
 * Private messages (docs/api.md « Private messages »): the one way the pages send a message, and
 * the checks made before asking the API (which has the last word).
 */
import { apiFetch } from './api.ts';

/** The API's limit on a message. */
export const MESSAGE_MAX = 5000;

/** The field error for a message, or null when it may be sent. */
export function messageProblem(text: string): string | null {
  if (text.trim() === '') return 'Écrivez votre message.';
  if (text.length > MESSAGE_MAX)
    return `Votre message dépasse ${MESSAGE_MAX.toLocaleString('fr-FR')} caractères.`;
  return null;
}

/** Sends a message to a member; the answer names the conversation (started or continued). */
export function sendMessage(
  memberId: string,
  text: string,
): Promise<{ conversationId: string; messageId: string }> {
  return apiFetch(`/api/members/${encodeURIComponent(memberId)}/messages`, {
    method: 'POST',
    body: { text },
  });
}

/** The address of a conversation's page. */
export function conversationHref(conversationId: string): string {
  return `/messages/conversation/?id=${encodeURIComponent(conversationId)}`;
}
