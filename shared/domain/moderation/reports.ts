import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import {
  authorSeenWhen,
  blockedEitherWay,
  mayReport,
  maySeeGroup,
  profileAccess,
} from '../../auth/policy.ts';
import { failedConditionIndex, getAll, type TxWrite, transact } from '../../data/client.ts';
import { messageSeenBy } from '../../data/conversations.ts';
import { eventFromItem, eventItemKey } from '../../data/events.ts';
import { groupFromItem, groupKey, groupMembershipKey, membershipFromItem } from '../../data/groups.ts';
import { memberFromItem, memberKey, memberSeenCheck } from '../../data/members.ts';
import { missionFromItem, missionItemKey } from '../../data/missions.ts';
import {
  formatTarget,
  newReportWrites,
  parseTarget,
  REPORT_CATEGORIES,
  type Snapshot,
  TARGET_PATTERN,
  type TargetKind,
  type TargetRef,
} from '../../data/moderation.ts';
import { commentFromItem, commentKey, type Post, postFromItem, postItemKey } from '../../data/posts.ts';
import { rateLimitWrite, secondsLeft } from '../../data/rate-limits.ts';
import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from '../../errors.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { LIMITS } from '../limits.ts';
import { readChecks } from '../posts/read.ts';
import { freeText } from '../schemas.ts';

/** « Signaler un abus » (SPEC §6): the input of the report dialog. */
export const ReportInput = z.strictObject({
  target: z.string().check(z.regex(TARGET_PATTERN, 'Ce contenu ne peut pas être signalé.')),
  category: z.enum(REPORT_CATEGORIES, 'Choisissez un motif.'),
  comment: z.optional(freeText(1000)),
});

export const TARGET_NOT_FOUND = () =>
  new NotFoundError('report.target_not_found', 'Ce contenu n’existe pas ou ne vous est pas visible.');

/** What a report is about, as the reporter may see it, and the checks the report's write makes. */
interface Reported {
  kind: TargetKind;
  authorId: string;
  snapshot: Snapshot;
  /** Conditions of the reporter's right to see it, checked when the report commits. */
  checks: TxWrite[];
  /** The section whose pages hold it (its dashboard counts the open file). */
  sectionId?: string | null;
}

/** The section of a section audience (its pages), else null. */
function sectionOf(audience: { kind: string; sectionId?: string }): string | null {
  return audience.kind === 'section-public' || audience.kind === 'section-private'
    ? (audience.sectionId ?? null)
    : null;
}

function placeOfPost(post: Post): string {
  switch (post.audience.kind) {
    case 'all':
      return 'Toute la coopol';
    case 'adherents':
      return 'Adhérent·es';
    case 'coopains':
      return 'Coopains de l’auteur·ice';
    default:
      return post.placeName ?? '';
  }
}

/**
 * Loads the target as the reporter may see it: one BatchGet (the post and the comment; the
 * message and the reporter's place in its conversation; the member; the group and the reporter's
 * membership). Whatever the reporter may not see reads as « n'existe pas » — a report never
 * reveals hidden content, a hidden member, or a block.
 */
async function loadTarget(actor: Actor, ref: TargetRef, now: Date): Promise<Reported> {
  switch (ref.kind) {
    case 'post':
    case 'comment': {
      const postId = ref.kind === 'comment' ? ref.postId : ref.id;
      const keys = [postItemKey(postId)];
      if (ref.kind === 'comment') keys.push(commentKey({ postId, id: ref.id, parentId: ref.parentId }));
      const items = await getAll(keys, true);
      const postItem = items.find((i) => i.type === 'post');
      if (!postItem) throw TARGET_NOT_FOUND();
      const post = postFromItem(postItem);
      const checks = post.deleted ? null : readChecks(actor, post);
      if (!checks) throw TARGET_NOT_FOUND();
      if (ref.kind === 'post')
        return {
          kind: 'post',
          authorId: post.authorId,
          sectionId: sectionOf(post.audience),
          snapshot: {
            ...(post.title ? { title: post.title } : {}),
            text: post.body,
            place: placeOfPost(post),
          },
          checks,
        };
      const commentItem = items.find((i) => i.type === 'comment');
      const comment = commentItem ? commentFromItem(commentItem) : undefined;
      if (!comment || comment.deleted) throw TARGET_NOT_FOUND();
      // The comment's author must be someone the reporter sees (their comments are shown only then).
      if (comment.authorId !== post.authorId && comment.authorId !== actor.memberId) {
        if (blockedEitherWay(actor.blocks, comment.authorId)) throw TARGET_NOT_FOUND();
        checks.push(
          memberSeenCheck(
            comment.authorId,
            authorSeenWhen(actor.member, { coopains: actor.coopains.has(comment.authorId) }),
          ),
        );
      }
      return {
        kind: 'comment',
        authorId: comment.authorId,
        sectionId: sectionOf(post.audience),
        snapshot: { text: comment.body, place: `Commentaire — ${placeOfPost(post)}` },
        checks,
      };
    }
    case 'message': {
      const message = await messageSeenBy(actor.memberId, ref.conversationId, ref.id);
      if (!message || message.removed) throw TARGET_NOT_FOUND();
      return {
        kind: 'message',
        authorId: message.authorId,
        snapshot: { text: message.text, place: message.sectionId ? 'Message à la section' : 'Message privé' },
        checks: [],
      };
    }
    case 'member': {
      const [item] = await getAll([memberKey(ref.id)], true);
      const member = item ? memberFromItem(item) : undefined;
      const relation = {
        coopains: actor.coopains.has(ref.id),
        blocked: blockedEitherWay(actor.blocks, ref.id),
      };
      if (!member || profileAccess(actor.member, member, relation, now) === null) throw TARGET_NOT_FOUND();
      return {
        kind: 'member',
        authorId: member.id,
        snapshot: { title: `${member.firstName} ${member.lastName}`, text: member.bio, place: 'Profil' },
        checks: [],
      };
    }
    case 'group': {
      const items = await getAll([groupKey(ref.id), groupMembershipKey(ref.id, actor.memberId)], true);
      const groupItem = items.find((i) => i.sk === 'META');
      const membershipItem = items.find((i) => i.sk !== 'META');
      const group = groupItem ? groupFromItem(groupItem) : undefined;
      const membership = membershipItem ? membershipFromItem(membershipItem) : undefined;
      if (!group || !maySeeGroup(actor.member, group, membership)) throw TARGET_NOT_FOUND();
      return {
        kind: 'group',
        authorId: group.createdBy,
        snapshot: { title: group.name, text: group.description, place: 'Groupe' },
        checks: [],
      };
    }
    case 'event':
    case 'mission': {
      // The organiser stands as the author (ADR 008, 010): the same read conditions as a post's.
      const key = ref.kind === 'event' ? eventItemKey(ref.id) : missionItemKey(ref.id);
      const [item] = await getAll([key], true);
      if (!item) throw TARGET_NOT_FOUND();
      const found = ref.kind === 'event' ? eventFromItem(item) : missionFromItem(item);
      const checks = readChecks(actor, { authorId: found.organiserId, audience: found.audience });
      if (!checks) throw TARGET_NOT_FOUND();
      return {
        kind: ref.kind,
        authorId: found.organiserId,
        sectionId: sectionOf(found.audience),
        snapshot: {
          title: found.title,
          text: found.description,
          place: `${ref.kind === 'event' ? 'Évènement' : 'Mission'}${found.placeName ? ` — ${found.placeName}` : ''}`,
        },
        checks,
      };
    }
  }
}

/**
 * A member reports something they may see (SPEC §6): the report with a snapshot of the content
 * as it is now, the queue entry for the coopilotes, the one-open-report guard and the daily
 * limit — one transaction, 3 round trips (state, target, write).
 */
export async function createReport(
  actor: Actor,
  input: z.infer<typeof ReportInput>,
  deps: Deps = defaultDeps,
): Promise<{ id: string; status: 'open' }> {
  const now = deps.now();
  const ref = parseTarget(input.target);
  if (!ref)
    throw new ValidationError('report.invalid_target', 'Ce contenu ne peut pas être signalé.', 'target');
  const target = await loadTarget(actor, ref, now);
  if (!mayReport(actor.member, target.authorId))
    throw new ValidationError('report.own_content', 'Vous ne pouvez pas signaler votre propre contenu.');
  const report = {
    id: deps.newId(),
    target: formatTarget(ref),
    reporterId: actor.memberId,
    category: input.category,
    comment: input.comment ?? '',
    at: now.toISOString(),
    snapshot: target.snapshot,
    status: 'open' as const,
  };
  const limit = LIMITS.reports();
  const writes = [
    ...newReportWrites(report, { kind: target.kind, authorId: target.authorId, sectionId: target.sectionId }),
    rateLimitWrite(actor.memberId, limit, now),
  ];
  const limitAt = writes.length - 1;
  try {
    await transact([...writes, ...target.checks]);
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === 1)
      throw new ConflictError(
        'report.already_open',
        'Vous avez déjà signalé ce contenu : les coopilotes vont l’examiner.',
      );
    if (failed === limitAt)
      throw new RateLimitedError(
        'report.rate_limited',
        'Vous avez envoyé beaucoup de signalements aujourd’hui : réessayez demain.',
        secondsLeft(limit, now),
      );
    if (failed > limitAt) throw TARGET_NOT_FOUND();
    throw error;
  }
  return { id: report.id, status: 'open' };
}
