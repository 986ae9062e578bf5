import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { blockedEitherWay, maySendMessage } from '../../auth/policy.ts';
import { failedConditionIndex, transact } from '../../data/client.ts';
import {
  getMembership,
  inbox,
  markReadWrite,
  messagesOf,
  newConversationWrites,
  recipientFacts,
  replyWrites,
} from '../../data/conversations.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import { getMembers } from '../../data/members.ts';
import { rateLimitWrite, secondsLeft } from '../../data/rate-limits.ts';
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError } from '../../errors.ts';
import { notify } from '../../notifications/notify.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { LIMITS } from '../limits.ts';
import { freeText } from '../schemas.ts';

export const SendMessageInput = z.strictObject({
  text: z.pipe(freeText(5000), z.string().check(z.minLength(1, 'Écrivez un message.'))),
});

/** The one refusal for every reason a message cannot go: it never says whether a block exists. */
const CANNOT_WRITE = () =>
  new ForbiddenError('message.not_allowed', 'Vous ne pouvez pas écrire à ce membre.');

/**
 * Sends a private message to a member (SPEC §3): the may-send rule is checked on every message,
 * so a block, a removal from coopains or a lowered visibility closes an existing conversation
 * too (its history stays). New conversation or reply, the message, both inboxes, the rate-limit
 * counts and the recipient's notification are one transaction (3 round trips in all).
 */
export async function sendMessage(
  actor: Actor,
  recipientId: string,
  input: z.infer<typeof SendMessageInput>,
  deps: Deps = defaultDeps,
): Promise<{ conversationId: string; messageId: string }> {
  const now = deps.now();
  const facts = await recipientFacts(actor.memberId, recipientId);
  // An unknown id and a refusal look the same: the rule's reasons stay private.
  if (!facts) throw CANNOT_WRITE();
  if (
    !maySendMessage(
      actor.member,
      facts.member,
      { coopains: facts.coopains, blocked: blockedEitherWay(actor.blocks, recipientId) },
      now,
    )
  )
    throw CANNOT_WRITE();

  const messages = LIMITS.messages();
  const conversations = LIMITS.newConversations();
  const isNew = facts.conversationId === undefined;
  const conversationId = facts.conversationId ?? deps.newId();
  const message = {
    id: deps.newId(),
    conversationId,
    authorId: actor.memberId,
    text: input.text,
    at: now.toISOString(),
  };
  const writes = isNew
    ? newConversationWrites(conversationId, message, recipientId)
    : replyWrites(message, recipientId);
  const limitsAt = writes.length;
  writes.push(rateLimitWrite(actor.memberId, messages, now));
  if (isNew) writes.push(rateLimitWrite(actor.memberId, conversations, now));
  writes.push(...notify(actor, recipientId, 'message.new', deps, { conversationId }));
  try {
    await transact(writes);
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === limitsAt)
      throw new RateLimitedError(
        'message.rate_limited',
        'Trop de messages envoyés : patientez un peu.',
        secondsLeft(messages, now),
      );
    if (failed === limitsAt + 1)
      throw new RateLimitedError(
        'message.rate_limited',
        'Trop de nouvelles conversations aujourd’hui : réessayez demain.',
        secondsLeft(conversations, now),
      );
    // Two first messages crossed: the other created the conversation a moment ago.
    if (isNew && failed === 0)
      throw new ConflictError(
        'message.retry',
        'La conversation vient d’être créée : envoyez à nouveau votre message.',
      );
    throw error;
  }
  return { conversationId, messageId: message.id };
}

export interface InboxEntry {
  id: string;
  with: { id: string; firstName: string; lastName: string } | null;
  lastMessageAt: string;
  preview: string;
  unread: number;
}

/** C1 — my conversations by last activity, with unread counts; a deleted member shows as « Membre supprimé » (null). */
export async function listInbox(
  actor: Actor,
  cursor: string | undefined,
): Promise<{ items: InboxEntry[]; cursor: string | null }> {
  const page = await inbox(actor.memberId, { limit: 30, startKey: startKeyOf(cursor) });
  const others = await getMembers(page.items.map((m) => m.otherId));
  return {
    items: page.items.map((m) => {
      const other = others.get(m.otherId);
      const shown = other && other.state !== 'deleted';
      return {
        id: m.conversationId,
        with: shown ? { id: other.id, firstName: other.firstName, lastName: other.lastName } : null,
        lastMessageAt: m.lastMessageAt,
        preview: m.preview,
        unread: m.unread,
      };
    }),
    cursor: encodeCursor(page.lastKey),
  };
}

export interface MessageView {
  id: string;
  mine: boolean;
  text: string;
  at: string;
  /** Present on the secretary's message to the whole section. */
  toSection?: true;
  /** Removed by the coopilotes: its text is gone. */
  removed?: true;
}

/** C2 — a conversation's messages, newest first, for its participants only (anyone else: 404). */
export async function listMessages(
  actor: Actor,
  conversationId: string,
  cursor: string | undefined,
): Promise<{ items: MessageView[]; cursor: string | null; with: string }> {
  const membership = await getMembership(actor.memberId, conversationId);
  if (!membership) throw new NotFoundError('conversation.not_found', 'Conversation introuvable.');
  const page = await messagesOf(conversationId, { limit: 50, startKey: startKeyOf(cursor) });
  return {
    items: page.items.map((m) => ({
      id: m.id,
      mine: m.authorId === actor.memberId,
      text: m.text,
      at: m.at,
      ...(m.sectionId ? { toSection: true as const } : {}),
      ...(m.removed ? { removed: true as const } : {}),
    })),
    cursor: encodeCursor(page.lastKey),
    with: membership.otherId,
  };
}

/** Read marker: the conversation's unread count back to zero. */
export async function markRead(actor: Actor, conversationId: string): Promise<void> {
  try {
    await transact([markReadWrite(actor.memberId, conversationId)]);
  } catch (error) {
    if (failedConditionIndex(error) === 0)
      throw new NotFoundError('conversation.not_found', 'Conversation introuvable.');
    throw error;
  }
}
