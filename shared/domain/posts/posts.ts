import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import {
  blockedEitherWay,
  mayModerateAt,
  mayPublish,
  mayReadContent,
  profileAccess,
} from '../../auth/policy.ts';
import { failedConditionIndex, getAll, type TxWrite, transact } from '../../data/client.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import {
  type Group,
  type GroupMembership,
  groupFromItem,
  groupKey,
  groupMembershipCheck,
  groupMembershipKey,
  membershipFromItem,
} from '../../data/groups.ts';
import { type Member, memberFromItem, memberKey } from '../../data/members.ts';
import { newcomerDelete } from '../../data/newcomers.ts';
import {
  type Audience,
  getPostItem,
  newPostWrites,
  type Post,
  postWithComments,
  savePostWrite,
  setPinned,
} from '../../data/posts.ts';
import { sectionFromItem, sectionKey } from '../../data/sections.ts';
import { queueTaskWrite } from '../../data/tasks.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import { notify } from '../../notifications/notify.ts';
import { auditOf } from '../audit.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { freeText, Id } from '../schemas.ts';
import { POST_FANOUT_TASK } from './fan-out.ts';
import {
  attachConflict,
  attachImages,
  deleteImageWrites,
  imageKeys,
  imageRefused,
  PostImagesInput,
} from './images.ts';
import { renderMarkdown } from './markdown.ts';
import { type CommentView, commentView, loadForViewer, mayRead, type PostView, postView } from './read.ts';

export const AudienceInput = z.union([
  z.strictObject({ kind: z.enum(['all', 'adherents', 'coopains']) }),
  z.strictObject({ kind: z.enum(['section-public', 'section-private']), sectionId: Id }),
  z.strictObject({ kind: z.literal('group'), groupId: Id }),
]);

const Title = z.pipe(freeText(150), z.string().check(z.minLength(1, 'Donnez un titre au billet.')));
const Body = z.pipe(freeText(20_000), z.string().check(z.minLength(1, 'Écrivez quelque chose.')));

export const NewPostInput = z.strictObject({
  audience: AudienceInput,
  /** A *billet* has a title; a short message has none. */
  title: z.optional(Title),
  body: Body,
  /** Members to notify (at most 10): only members the author may see and who may read the post. */
  mentions: z.optional(z.array(Id).check(z.maxLength(10, '10 mentions au plus.'))),
  /** At most 4 of the author's processed images, each with its alternative text (issue 10). */
  images: z.optional(PostImagesInput),
});

export const EditPostInput = z.strictObject({ title: z.optional(Title), body: Body });
export const PinInput = z.strictObject({ pinned: z.boolean() });
export const PostQuery = z.strictObject({ cursor: z.optional(z.string().check(z.maxLength(1024))) });

const NOT_FOUND = () =>
  new NotFoundError('post.not_found', 'Ce billet n’existe pas ou ne vous est pas visible.');
const COMMENTS_PAGE = 30;

const REFUSALS = {
  visibility_too_low: () =>
    new ForbiddenError(
      'post.visibility_too_low',
      'Pour publier, choisissez d’abord d’être visible des adhérent·es ou de tous (Paramètres).',
    ),
  audience_wider_than_profile: () =>
    new ForbiddenError(
      'post.audience_wider_than_profile',
      'Ce billet serait lu par des membres qui ne voient pas votre profil : rendez votre profil visible de tous, ou choisissez un autre public.',
    ),
  not_in_audience: () =>
    new ForbiddenError('post.not_in_audience', 'Vous ne pouvez pas publier à cet endroit.'),
} as const;

/** The place name shown with the post, and the facts the rule needs (group membership). */
async function placeOf(
  actor: Actor,
  audience: Audience,
  mentions: readonly string[],
  /** The author's media to attach: read in the same BatchGet. */
  mediaKeys: readonly Record<string, unknown>[] = [],
): Promise<{
  placeName: string | null;
  membership?: GroupMembership;
  mentioned: Map<string, Member>;
  mentionedGroups: Map<string, GroupMembership>;
  media: Record<string, unknown>[];
}> {
  const groupId = audience.kind === 'group' ? audience.groupId : undefined;
  const sectionId =
    audience.kind === 'section-public' || audience.kind === 'section-private'
      ? audience.sectionId
      : undefined;
  // The section's name is on the author's own item when it is their section; else read with the rest.
  const readSection = sectionId !== undefined && actor.member.sectionId !== sectionId;
  const keys = [
    ...(groupId ? [groupKey(groupId), groupMembershipKey(groupId, actor.memberId)] : []),
    ...(readSection ? [sectionKey(sectionId)] : []),
    ...mentions.map(memberKey),
    ...(groupId ? mentions.map((m) => groupMembershipKey(groupId, m)) : []),
    ...mediaKeys,
  ];
  const items = keys.length ? await getAll(keys, true) : [];
  const mentioned = new Map<string, Member>();
  const mentionedGroups = new Map<string, GroupMembership>();
  let group: Group | undefined;
  let membership: GroupMembership | undefined;
  let placeName: string | null = sectionId && !readSection ? actor.member.sectionName : null;
  const media: Record<string, unknown>[] = [];
  for (const item of items) {
    if (item.type === 'media') media.push(item);
    else if (item.type === 'group') group = groupFromItem(item);
    else if (item.type === 'section') placeName = sectionFromItem(item).name;
    else if (item.type === 'group-membership') {
      const m = membershipFromItem(item);
      if (m.memberId === actor.memberId) membership = m;
      else mentionedGroups.set(m.memberId, m);
    } else if (item.sk === 'PROFILE') mentioned.set(String(item.id), memberFromItem(item));
  }
  if (audience.kind === 'group') {
    if (!group) throw REFUSALS.not_in_audience();
    placeName = group.name;
  }
  return { placeName, ...(membership ? { membership } : {}), mentioned, mentionedGroups, media };
}

/**
 * Publishes a post (SPEC §4): the policy decides where the author may publish; the post, the
 * author's own timeline entry, the fan-out task (other readers' timelines, asynchronously) and
 * the mention notifications are one transaction. 3 round trips: state, facts, write.
 */
export async function createPost(
  actor: Actor,
  input: z.infer<typeof NewPostInput>,
  deps: Deps = defaultDeps,
): Promise<PostView> {
  const now = deps.now();
  const mentions = [...new Set(input.mentions ?? [])].filter((id) => id !== actor.memberId);
  const requestedImages = input.images ?? [];
  const place = await placeOf(actor, input.audience, mentions, imageKeys(actor.memberId, requestedImages));
  const refusal = mayPublish(actor.member, input.audience, { group: place.membership });
  if (refusal) throw REFUSALS[refusal]();

  // A mention notifies only a member the author may see and who may read the post; any other
  // id is refused the same way, whatever the reason (nothing is revealed about it).
  for (const id of mentions) {
    const member = place.mentioned.get(id);
    const relation = {
      coopains: actor.coopains.has(id),
      blocked: blockedEitherWay(actor.blocks, id),
      group: place.mentionedGroups.get(id),
    };
    const visible = member && profileAccess(actor.member, member, relation, now) !== null;
    if (!member || !visible || !mayReadContent(member, actor.member, input.audience, relation, now))
      throw new ValidationError(
        'post.mention_not_allowed',
        'Vous ne pouvez mentionner que des membres qui voient votre profil et peuvent lire ce billet.',
        'mentions',
      );
  }

  const postId = deps.newId();
  const attached = attachImages(actor.memberId, postId, requestedImages, place.media);
  const post: Post = {
    id: postId,
    authorId: actor.memberId,
    audience: input.audience,
    placeName: place.placeName,
    title: input.title ?? null,
    body: input.body,
    html: renderMarkdown(input.body),
    createdAt: now.toISOString(),
    editedAt: null,
    pinnedAt: null,
    commentCount: 0,
    deleted: false,
    images: attached.images,
  };
  const fansOut = input.audience.kind !== 'all' && input.audience.kind !== 'adherents';
  // The attach writes come first: a failed condition among them is an image taken meanwhile.
  const writes = [
    ...attached.writes,
    ...newPostWrites(post),
    ...(fansOut
      ? [queueTaskWrite({ id: post.id, kind: POST_FANOUT_TASK, payload: { postId: post.id } }, now)]
      : []),
    ...mentions.flatMap((id) => notify(actor, id, 'post.mention', deps, { postId: post.id })),
    // A first post: the author is no newcomer to welcome any more (issue 11).
    newcomerDelete(actor.memberId),
  ];
  try {
    await transact(writes);
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed >= 0 && failed < attached.writes.length) throw imageRefused();
    // Two posts racing for one image: DynamoDB cancels one as a conflict (no partial write).
    if (attachConflict(error, attached.writes.length))
      throw new ConflictError(
        'post.image_busy',
        'Une des images est déjà en cours de publication : réessayez.',
      );
    throw error;
  }
  return postView(actor, post, {
    posts: new Map([[post.id, post]]),
    members: new Map([[actor.memberId, actor.member]]),
    groups: new Map(place.membership ? [[place.membership.groupId, place.membership]] : []),
  });
}

/**
 * A post the viewer may read, with a page of its comments and everything their views need; 404
 * otherwise (existence not revealed). The first page comes with the post in one Query; a later
 * page starts after the cursor, so the post is fetched in the BatchGet of the authors — each
 * comment carries its post's author and audience, so that one BatchGet has every key.
 */
async function readablePost(actor: Actor, postId: string, now: Date, startKey?: Record<string, unknown>) {
  const page = await postWithComments(postId, { limit: COMMENTS_PAGE, ...(startKey ? { startKey } : {}) });
  const commentAuthors = page.comments.map((c) => c.authorId);
  const first = page.comments[0];
  if (!page.post && !first) {
    // A later page can be empty (the previous one ended exactly at the last comment).
    if (startKey) return undefined;
    throw NOT_FOUND();
  }
  const loaded = page.post
    ? await loadForViewer(actor, [], [page.post], commentAuthors)
    : await loadForViewer(
        actor,
        first ? [{ postId, authorId: first.postAuthorId, audience: first.audience }] : [],
        [],
        commentAuthors,
      );
  const post = page.post ?? loaded.posts.get(postId);
  if (!post || !mayRead(actor, post, loaded, now)) throw NOT_FOUND();
  return { post, comments: page.comments, lastKey: page.lastKey, loaded };
}

/** A post and its first page of comments (P1 + P2): 3 round trips. */
export async function getPost(
  actor: Actor,
  postId: string,
  deps: Deps = defaultDeps,
): Promise<{ post: PostView; comments: CommentView[]; cursor: string | null }> {
  const now = deps.now();
  const found = await readablePost(actor, postId, now);
  if (!found) throw NOT_FOUND();
  const { post, comments, lastKey, loaded } = found;
  return {
    post: await postView(actor, post, loaded),
    comments: comments.flatMap((c) => commentView(actor, post, c, loaded, now) ?? []),
    cursor: encodeCursor(lastKey),
  };
}

/** The next pages of a post's comments. */
export async function listComments(
  actor: Actor,
  postId: string,
  query: z.infer<typeof PostQuery>,
  deps: Deps = defaultDeps,
): Promise<{ items: CommentView[]; cursor: string | null }> {
  const now = deps.now();
  const startKey = startKeyOf(query.cursor);
  const found = await readablePost(actor, postId, now, startKey);
  if (!found) return { items: [], cursor: null };
  const { post, comments, lastKey, loaded } = found;
  return {
    items: comments.flatMap((c) => commentView(actor, post, c, loaded, now) ?? []),
    cursor: encodeCursor(lastKey),
  };
}

/** The post for a change by its author or a moderator (GetItem); gone or deleted reads as 404. */
async function postToChange(postId: string): Promise<Post> {
  const post = await getPostItem(postId);
  if (!post || post.deleted) throw NOT_FOUND();
  return post;
}

async function save(post: Post, checks: TxWrite[] = []): Promise<void> {
  try {
    await transact([savePostWrite(post), ...checks]);
  } catch (error) {
    if (failedConditionIndex(error) >= 0) throw NOT_FOUND();
    throw error;
  }
}

/**
 * The author edits their post; every copy shows the edit (timelines hold references). Anyone
 * else gets the 404 of a post they cannot see (whether they can is not worth a read here).
 */
export async function editPost(
  actor: Actor,
  postId: string,
  input: z.infer<typeof EditPostInput>,
  deps: Deps = defaultDeps,
): Promise<PostView> {
  const post = await postToChange(postId);
  if (post.authorId !== actor.memberId) throw NOT_FOUND();
  if (post.title === null && input.title !== undefined)
    throw new ValidationError('post.title_not_allowed', 'Un message court n’a pas de titre.', 'title');
  if (post.title !== null && input.title === undefined)
    throw new ValidationError('post.title_required', 'Donnez un titre au billet.', 'title');
  const next: Post = {
    ...post,
    title: input.title ?? null,
    body: input.body,
    html: renderMarkdown(input.body),
    editedAt: deps.now().toISOString(),
  };
  await save(next);
  return postView(actor, next, {
    posts: new Map(),
    members: new Map([[actor.memberId, actor.member]]),
    groups: new Map(),
  });
}

/**
 * Deletes a post: its author, the section's secretary on its pages, a group's admins in the
 * group (their role is checked when the write commits). The text goes at once; every timeline
 * copy is dropped at read time (the post is gone). Its images' media items go in the same
 * transaction, with the task that deletes their objects (images.ts `deleteImageWrites`).
 */
export async function deletePost(actor: Actor, postId: string, deps: Deps = defaultDeps): Promise<void> {
  const post = await postToChange(postId);
  const mine = post.authorId === actor.memberId;
  const moderates = mayModerateAt(actor.member, post.audience, {});
  const groupId = post.audience.kind === 'group' ? post.audience.groupId : null;
  if (!mine && !moderates && !groupId) throw NOT_FOUND();
  const checks =
    mine || moderates || !groupId ? [] : [groupMembershipCheck(groupId, actor.memberId, { admin: true })];
  // Removing someone else's post is a moderation action: audited (SPEC §6), with the author as subject.
  if (!mine)
    checks.push(auditOf(actor, 'content.remove', post.authorId, deps, { target: `post:${post.id}` }));
  await save({ ...post, title: null, body: '', html: '', deleted: true, pinnedAt: null, images: [] }, [
    ...checks,
    ...deleteImageWrites(post, deps),
  ]);
}

/** The section's secretary pins a post on one of the section's pages (or unpins it). */
export async function pinPost(
  actor: Actor,
  postId: string,
  input: z.infer<typeof PinInput>,
  deps: Deps = defaultDeps,
): Promise<{ pinned: boolean }> {
  const post = await postToChange(postId);
  const onSectionPage = post.audience.kind === 'section-public' || post.audience.kind === 'section-private';
  if (!onSectionPage || !mayModerateAt(actor.member, post.audience, {})) throw NOT_FOUND();
  const pinnedAt = input.pinned ? (post.pinnedAt ?? deps.now().toISOString()) : null;
  if (!(await setPinned(post, pinnedAt))) throw NOT_FOUND();
  return { pinned: pinnedAt !== null };
}
