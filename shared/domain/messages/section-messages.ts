import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { blockedEitherWay, maySendMessage } from '../../auth/policy.ts';
import { failedConditionIndex, transact } from '../../data/client.ts';
import {
  conversationsWith,
  type Message,
  newConversationWrites,
  replyWrites,
} from '../../data/conversations.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import { getMembers, getMemberWithBlocks, type Member, membersBySection } from '../../data/members.ts';
import { rateLimitWrite, secondsLeft } from '../../data/rate-limits.ts';
import {
  countDeliveryWrite,
  finishSectionMessage,
  getSectionMessage,
  newSectionMessageWrite,
  type SectionMessage,
  sectionMessagesOf,
} from '../../data/section-messages.ts';
import { getSection } from '../../data/sections.ts';
import { queueTaskWrite, type Task } from '../../data/tasks.ts';
import { NotFoundError, RateLimitedError } from '../../errors.ts';
import { logger } from '../../log.ts';
import { notify } from '../../notifications/notify.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { LIMITS } from '../limits.ts';
import { SendMessageInput } from './messages.ts';

/** Secrétariat → Message à la section (SPEC §3): same text rules as any message. */
export const SectionMessageInput = SendMessageInput;

export const SectionMessagesQuery = z.strictObject({
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});

/** The background task that delivers a section message (ADR 007). */
export const SECTION_MESSAGE_TASK = 'section-message';

/** Members handled per step of the task: one roster page, one BatchGet of pairs, one transaction each. */
const PAGE = 50;

export interface SectionMessageView {
  id: string;
  text: string;
  at: string;
  authorName: string;
  status: SectionMessage['status'];
  delivered: number;
  finishedAt: string | null;
}

const view = (m: SectionMessage): SectionMessageView => ({
  id: m.id,
  text: m.text,
  at: m.at,
  authorName: m.authorName,
  status: m.status,
  delivered: m.delivered,
  finishedAt: m.finishedAt ?? null,
});

/** Only the section's own secretaries write to it as such; anyone else learns nothing about it. */
function secretaryOnly(actor: Actor, sectionId: string): void {
  if (!actor.member.roles.secretaryOf.includes(sectionId))
    throw new NotFoundError('section.not_found', 'Section introuvable.');
}

/**
 * The secretary writes to every member of their section, hidden ones included. The request only
 * records the message and queues its delivery (with the rate-limit count, one transaction: 3
 * round trips in all); the task job fans it out into each member's conversation with the
 * secretary, a page at a time — up to ~1,500 members, never in one request.
 */
export async function sendSectionMessage(
  actor: Actor,
  sectionId: string,
  input: z.infer<typeof SectionMessageInput>,
  deps: Deps = defaultDeps,
): Promise<SectionMessageView> {
  secretaryOnly(actor, sectionId);
  const section = await getSection(sectionId);
  if (!section) throw new NotFoundError('section.not_found', 'Section introuvable.');
  const now = deps.now();
  const message: SectionMessage = {
    id: deps.newId(),
    sectionId,
    sectionName: section.name,
    authorId: actor.memberId,
    authorName: `${actor.member.firstName} ${actor.member.lastName}`,
    text: input.text,
    at: now.toISOString(),
    status: 'queued',
    delivered: 0,
  };
  const limit = LIMITS.sectionMessages();
  try {
    await transact([
      rateLimitWrite(actor.memberId, limit, now),
      newSectionMessageWrite(message),
      queueTaskWrite(
        {
          id: message.id,
          kind: SECTION_MESSAGE_TASK,
          payload: { sectionId, messageId: message.id, senderId: actor.memberId },
        },
        now,
      ),
    ]);
  } catch (error) {
    if (failedConditionIndex(error) === 0)
      throw new RateLimitedError(
        'section_message.rate_limited',
        'Vous avez déjà écrit plusieurs fois à la section aujourd’hui : réessayez demain.',
        secondsLeft(limit, now),
      );
    throw error;
  }
  return view(message);
}

/** C4 — the section's messages with their delivery progress, for its secretaries. */
export async function listSectionMessages(
  actor: Actor,
  sectionId: string,
  query: z.infer<typeof SectionMessagesQuery>,
): Promise<{ items: SectionMessageView[]; cursor: string | null }> {
  secretaryOnly(actor, sectionId);
  const startKey = startKeyOf(query.cursor);
  const page = await sectionMessagesOf(sectionId, { limit: 20, startKey });
  return { items: page.items.map(view), cursor: encodeCursor(page.lastKey) };
}

/**
 * One step of the delivery task: the next roster page. Each member gets their copy in their own
 * transaction — the message (same id in every conversation, written only if absent), the
 * inboxes, the notification and the progress count — so a step run again after a crash or a
 * lost claim delivers nothing twice. The sender is read again at each step: a secretary who
 * lost the role, was suspended or deleted stops the delivery; blocks made meanwhile apply.
 */
export async function deliverSectionMessagePage(
  task: Pick<Task, 'payload' | 'cursor'>,
  deps: Deps = defaultDeps,
): Promise<{ done: boolean; cursor?: Record<string, unknown>; delivered: number }> {
  const { sectionId, messageId, senderId } = task.payload as Record<string, string>;
  if (!sectionId || !messageId || !senderId) throw new Error('section-message task without its ids');
  const now = deps.now();
  const [sender, message] = await Promise.all([
    getMemberWithBlocks(senderId),
    getSectionMessage(sectionId, messageId),
  ]);
  if (!message) return { done: true, delivered: 0 };
  if (sender?.member.state !== 'active' || !sender.member.roles.secretaryOf.includes(sectionId)) {
    await finishSectionMessage(sectionId, messageId, 'stopped', now);
    logger.info('section message stopped: the sender may no longer write to the section', { messageId });
    return { done: true, delivered: 0 };
  }
  const actor: Actor = { memberId: senderId, ...sender };

  const page = await membersBySection(sectionId, { pendingOnly: false, limit: PAGE, startKey: task.cursor });
  // The roster index may lag behind (GSI): the base items decide who is in the section now.
  const fresh = await getMembers(page.items.map((m) => m.id));
  const recipients = [...fresh.values()].filter(
    (m) =>
      m.sectionId === sectionId &&
      maySendMessage(
        sender.member,
        m,
        { coopains: false, blocked: blockedEitherWay(sender.blocks, m.id) },
        now,
      ),
  );
  const conversations = await conversationsWith(
    senderId,
    recipients.map((m) => m.id),
  );
  let delivered = 0;
  for (const recipient of recipients) {
    const copy = {
      id: message.id,
      authorId: senderId,
      text: message.text,
      at: message.at,
      sectionId,
    };
    const outcome = await deliverOne(actor, recipient, copy, conversations.get(recipient.id), deps);
    // The message was removed meanwhile (its author's data erased): the delivery ends there.
    if (outcome === 'gone') return { done: true, delivered };
    if (outcome === 'delivered') delivered++;
  }

  if (page.lastKey) return { done: false, cursor: page.lastKey, delivered };
  await finishSectionMessage(sectionId, messageId, 'sent', now);
  return { done: true, delivered };
}

/** One member's copy: `already` when it was there (a step run twice), `gone` when the message no longer exists. */
async function deliverOne(
  actor: Actor,
  recipient: Member,
  copy: Omit<Message, 'conversationId'> & { sectionId: string },
  existing: string | undefined,
  deps: Deps,
  retried = false,
): Promise<'delivered' | 'already' | 'gone'> {
  const conversationId = existing ?? deps.newId();
  const message = { ...copy, conversationId };
  const writes = existing
    ? replyWrites(message, recipient.id, { quiet: true })
    : newConversationWrites(conversationId, message, recipient.id, { quiet: true });
  const messageAt = writes.length - 1;
  const countAt = writes.length;
  writes.push(
    countDeliveryWrite(copy.sectionId, copy.id),
    ...notify(actor, recipient.id, 'section.message', deps, {
      conversationId,
      sectionId: copy.sectionId,
      // Its email carries the text: members at `section` visibility may be reached by email only.
      excerpt: copy.text.length > 2000 ? `${copy.text.slice(0, 1999)}…` : copy.text,
    }),
  );
  try {
    await transact(writes);
    return 'delivered';
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === messageAt) return 'already';
    if (failed === countAt) return 'gone';
    // The member wrote to the secretary a moment ago: their conversation exists now.
    if (failed === 0 && !existing && !retried) {
      const found = (await conversationsWith(actor.memberId, [recipient.id])).get(recipient.id);
      if (found) return deliverOne(actor, recipient, copy, found, deps, true);
    }
    throw error;
  }
}
