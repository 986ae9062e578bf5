import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { authorSeenWhen, blockedEitherWay, mayComment, mayModerateAt } from '../../auth/policy.ts';
import { failedConditionIndex, getAll, type TxWrite, transact } from '../../data/client.ts';
import { groupMembershipCheck } from '../../data/groups.ts';
import { memberSeenCheck } from '../../data/members.ts';
import { formatTarget } from '../../data/moderation.ts';
import {
  type Comment,
  commentFromItem,
  commentKey,
  newCommentWrites,
  type Post,
  postFromItem,
  postItemKey,
  saveCommentWrites,
} from '../../data/posts.ts';
import { ForbiddenError, NotFoundError } from '../../errors.ts';
import { notify } from '../../notifications/notify.ts';
import { auditOf } from '../audit.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { freeText, Id } from '../schemas.ts';
import { renderMarkdown } from './markdown.ts';
import { type CommentView, readChecks } from './read.ts';

const Text = z.pipe(freeText(5000), z.string().check(z.minLength(1, 'Écrivez un commentaire.')));

export const NewCommentInput = z.strictObject({
  body: Text,
  /** Answers a comment (one level of replies: the comment answered must be a first-level one). */
  replyTo: z.optional(Id),
});
export const EditCommentInput = z.strictObject({ body: Text });
/** A reply is addressed with the comment it answers (its key is under its thread). */
export const CommentQuery = z.strictObject({ replyTo: z.optional(Id) });

const POST_NOT_FOUND = () =>
  new NotFoundError('post.not_found', 'Ce billet n’existe pas ou ne vous est pas visible.');
const COMMENT_NOT_FOUND = () => new NotFoundError('comment.not_found', 'Ce commentaire n’existe pas.');

/** The post and (when given) a comment of it, in one BatchGet. */
async function postAndComment(
  postId: string,
  comment?: { id: string; parentId: string | null },
): Promise<{ post: Post; comment?: Comment }> {
  const items = await getAll(
    [postItemKey(postId), ...(comment ? [commentKey({ postId, ...comment })] : [])],
    true,
  );
  const post = items.find((i) => i.type === 'post');
  const found = items.find((i) => i.type === 'comment');
  if (!post) throw POST_NOT_FOUND();
  const parsed = postFromItem(post);
  if (parsed.deleted) throw POST_NOT_FOUND();
  return { post: parsed, ...(found ? { comment: commentFromItem(found) } : {}) };
}

function throwNotFound(): never {
  throw POST_NOT_FOUND();
}

/** Runs the writes followed by the checks; a failed check reads as "no such post" (nothing revealed). */
async function commit(
  writes: TxWrite[],
  checks: TxWrite[],
  onWriteFailure: (index: number) => Error,
): Promise<void> {
  try {
    await transact([...writes, ...checks]);
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed >= writes.length) throw POST_NOT_FOUND();
    if (failed >= 0) throw onWriteFailure(failed);
    throw error;
  }
}

function view(actor: Actor, c: Comment): CommentView {
  return {
    id: c.id,
    parentId: c.parentId,
    author: { id: actor.memberId, firstName: actor.member.firstName, lastName: actor.member.lastName },
    body: c.body,
    html: c.html,
    createdAt: c.createdAt,
    editedAt: c.editedAt,
    deleted: false,
    can: { edit: true, delete: true },
  };
}

/**
 * Comments a post the member may read (SPEC §4): not at `section` visibility; nobody blocked by
 * the post's author or blocking them (they cannot read it). The comment, the post's count, the
 * read conditions and the notifications (the post's author; for a reply, the author of the
 * comment answered — never across a block) are one transaction.
 */
export async function addComment(
  actor: Actor,
  postId: string,
  input: z.infer<typeof NewCommentInput>,
  deps: Deps = defaultDeps,
): Promise<CommentView> {
  const now = deps.now();
  const { post, comment: parent } = await postAndComment(
    postId,
    input.replyTo ? { id: input.replyTo, parentId: null } : undefined,
  );
  const checks = readChecks(actor, post) ?? throwNotFound();
  // A reply never reaches across a block, nor answers someone the actor may not see (their
  // comment is not shown to the actor): both read as an unknown comment.
  const answersAnother = parent !== undefined && parent.authorId !== actor.memberId;
  if (answersAnother && blockedEitherWay(actor.blocks, parent.authorId)) throw COMMENT_NOT_FOUND();
  if (!mayComment(actor.member)) {
    // Say why only about a post the member may read: the checks alone, run as a transaction
    // that writes nothing, tell (a post they may not read stays a 404 like an unknown one).
    if (checks.length) await commit([], checks, () => POST_NOT_FOUND());
    throw new ForbiddenError(
      'comment.visibility_too_low',
      'Pour commenter, choisissez d’abord d’être visible des adhérent·es ou de tous (Paramètres).',
    );
  }
  if (input.replyTo && (!parent || parent.deleted)) throw COMMENT_NOT_FOUND();
  const comment: Comment = {
    id: deps.newId(),
    postId,
    postAuthorId: post.authorId,
    audience: post.audience,
    parentId: parent?.id ?? null,
    authorId: actor.memberId,
    body: input.body,
    html: renderMarkdown(input.body),
    createdAt: now.toISOString(),
    editedAt: null,
    deleted: false,
  };
  const writes = newCommentWrites(comment);
  // (The post's author is checked already when the comment answered is theirs.)
  if (answersAnother && parent.authorId !== post.authorId)
    writes.push(
      memberSeenCheck(
        parent.authorId,
        authorSeenWhen(actor.member, { coopains: actor.coopains.has(parent.authorId) }),
      ),
    );
  writes.push(...notify(actor, post.authorId, 'comment.new', deps, { postId }));
  if (parent && parent.authorId !== post.authorId)
    writes.push(...notify(actor, parent.authorId, 'comment.reply', deps, { postId }));
  await commit(writes, checks, (failed) => (failed === 1 ? POST_NOT_FOUND() : COMMENT_NOT_FOUND()));
  return view(actor, comment);
}

/** The author edits their comment (while they may still read the post). */
export async function editComment(
  actor: Actor,
  postId: string,
  commentId: string,
  query: z.infer<typeof CommentQuery>,
  input: z.infer<typeof EditCommentInput>,
  deps: Deps = defaultDeps,
): Promise<CommentView> {
  const { post, comment } = await postAndComment(postId, { id: commentId, parentId: query.replyTo ?? null });
  const checks = readChecks(actor, post) ?? throwNotFound();
  if (!comment || comment.deleted) throw COMMENT_NOT_FOUND();
  if (comment.authorId !== actor.memberId)
    throw new ForbiddenError('comment.not_author', 'Seul·e l’auteur·rice peut modifier ce commentaire.');
  const next = {
    ...comment,
    body: input.body,
    html: renderMarkdown(input.body),
    editedAt: deps.now().toISOString(),
  };
  await commit(saveCommentWrites(next), checks, () => COMMENT_NOT_FOUND());
  return view(actor, next);
}

/**
 * Deletes a comment: its author (always — one's own words can be taken back), the section's
 * secretary on its pages, a group's admins in the group. It keeps its place in the thread,
 * without its text.
 */
export async function deleteComment(
  actor: Actor,
  postId: string,
  commentId: string,
  query: z.infer<typeof CommentQuery>,
  deps: Deps = defaultDeps,
): Promise<void> {
  const { post, comment } = await postAndComment(postId, { id: commentId, parentId: query.replyTo ?? null });
  if (!comment || comment.deleted) throw COMMENT_NOT_FOUND();
  const mine = comment.authorId === actor.memberId;
  // A group admin's right is checked when the write commits (the membership is not read first).
  const groupId = post.audience.kind === 'group' ? post.audience.groupId : null;
  const moderates = mayModerateAt(actor.member, post.audience, {});
  if (!mine && !moderates && !groupId) throw COMMENT_NOT_FOUND();
  const checks =
    mine || moderates || !groupId ? [] : [groupMembershipCheck(groupId, actor.memberId, { admin: true })];
  if (!mine) {
    const target = formatTarget({ kind: 'comment', postId, parentId: comment.parentId, id: comment.id });
    checks.push(auditOf(actor, 'content.remove', comment.authorId, deps, { target }));
  }
  await commit(saveCommentWrites({ ...comment, body: '', html: '', deleted: true }), checks, () =>
    COMMENT_NOT_FOUND(),
  );
}
