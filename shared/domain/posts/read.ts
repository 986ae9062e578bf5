import type { Actor } from '../../auth/actor.ts';
import { blockedEitherWay, contentReadConditions, mayModerateAt, mayReadContent } from '../../auth/policy.ts';
import { getAll, type TxWrite } from '../../data/client.ts';
import {
  type GroupMembership,
  groupMembershipCheck,
  groupMembershipKey,
  membershipFromItem,
} from '../../data/groups.ts';
import { type Member, memberFromItem, memberKey, memberSeenCheck } from '../../data/members.ts';
import { type Audience, type Comment, type Post, postFromItem, postItemKey } from '../../data/posts.ts';
import { imageViews, type PostImageView } from './images.ts';

/**
 * Reading content for a viewer (ADR 008): whatever lists it (timeline, page, party feed, a post
 * and its comments), the items are checked here against the one policy, with everything the
 * check needs fetched in ONE BatchGet — the posts not in hand yet, their authors, the viewer's
 * membership of their groups. The viewer's coopains and blocks came with the actor.
 */

export interface Ref {
  postId: string;
  authorId: string;
  audience: Audience;
}

export interface Loaded {
  posts: Map<string, Post>;
  members: Map<string, Member>;
  groups: Map<string, GroupMembership>;
}

/**
 * The conditions under which the actor may read a post, checked by DynamoDB when a write about it
 * commits (the policy decides what the actor's own facts decide; the author's visibility and the
 * group membership are conditions) — a comment or a report costs 3 round trips: state, post, write.
 * `null` when the actor's own facts already refuse.
 */
export function readChecks(actor: Actor, post: Pick<Post, 'authorId' | 'audience'>): TxWrite[] | null {
  const conditions = contentReadConditions(actor.member, post, {
    coopains: actor.coopains.has(post.authorId),
    blocked: blockedEitherWay(actor.blocks, post.authorId),
  });
  if (!conditions) return null;
  return [
    ...(conditions.author ? [memberSeenCheck(post.authorId, conditions.author)] : []),
    ...(conditions.activeInGroup ? [groupMembershipCheck(conditions.activeInGroup, actor.memberId)] : []),
  ];
}

const groupIdOf = (a: Audience) => (a.kind === 'group' ? a.groupId : undefined);

/** One BatchGet: the posts not given, the authors (of posts and comments), the viewer's group memberships. */
export async function loadForViewer(
  actor: Actor,
  refs: readonly Ref[],
  given: readonly Post[] = [],
  otherAuthors: readonly string[] = [],
  /** Any other items the caller wants in the same round trip (found in `extra`). */
  extraKeys: readonly Record<string, unknown>[] = [],
): Promise<Loaded & { extra: Record<string, unknown>[] }> {
  const posts = new Map(given.map((p) => [p.id, p]));
  const postIds = [...new Set(refs.map((r) => r.postId))].filter((id) => !posts.has(id));
  const authorIds = [
    ...new Set([...refs.map((r) => r.authorId), ...given.map((p) => p.authorId), ...otherAuthors]),
  ];
  const groupIds = [
    ...new Set([...refs.map((r) => groupIdOf(r.audience)), ...given.map((p) => groupIdOf(p.audience))]),
  ].filter((g): g is string => g !== undefined);
  const keys = [
    ...postIds.map(postItemKey),
    ...authorIds.map(memberKey),
    ...groupIds.map((g) => groupMembershipKey(g, actor.memberId)),
    ...extraKeys,
  ];
  const items = keys.length ? await getAll(keys, true) : [];
  const members = new Map<string, Member>();
  const groups = new Map<string, GroupMembership>();
  const extra: Record<string, unknown>[] = [];
  const isExtra = (i: Record<string, unknown>) => extraKeys.some((k) => k.pk === i.pk && k.sk === i.sk);
  for (const item of items) {
    if (isExtra(item)) extra.push(item);
    else if (item.type === 'post') posts.set(String(item.id), postFromItem(item));
    else if (item.sk === 'PROFILE') members.set(String(item.id), memberFromItem(item));
    else if (item.type === 'group-membership') groups.set(String(item.groupId), membershipFromItem(item));
  }
  return { posts, members, groups, extra };
}

/** The relation the policy needs between the viewer and one author at one place. */
export function relationTo(actor: Actor, authorId: string, audience: Audience, loaded: Loaded) {
  const groupId = groupIdOf(audience);
  return {
    coopains: actor.coopains.has(authorId),
    blocked: blockedEitherWay(actor.blocks, authorId),
    group: groupId ? loaded.groups.get(groupId) : undefined,
  };
}

export function mayRead(actor: Actor, post: Post, loaded: Loaded, now: Date): boolean {
  if (post.deleted) return false;
  return mayReadContent(
    actor.member,
    loaded.members.get(post.authorId),
    post.audience,
    relationTo(actor, post.authorId, post.audience, loaded),
    now,
  );
}

export interface AuthorView {
  id: string;
  firstName: string;
  lastName: string;
}

const authorView = (m: Member): AuthorView => ({ id: m.id, firstName: m.firstName, lastName: m.lastName });

export interface PostView {
  id: string;
  author: AuthorView;
  audience: Audience;
  /** Where it shows: a section page or a group (its name), or null for the party and coopains. */
  placeName: string | null;
  title: string | null;
  /** The Markdown source (for editing) and its safe HTML. */
  body: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
  pinned: boolean;
  commentCount: number;
  /** Its images with short-lived signed URLs (issue 10). */
  images: PostImageView[];
  /** What the viewer may do with it. */
  can: { edit: boolean; delete: boolean; pin: boolean };
}

/**
 * A post as the viewer sees it. Call ONLY for a post the viewer may read (`mayRead`, or their
 * own): it signs the URLs of the post's images.
 */
export async function postView(actor: Actor, post: Post, loaded: Loaded): Promise<PostView> {
  const author = loaded.members.get(post.authorId) as Member;
  const mine = post.authorId === actor.memberId;
  const moderates = mayModerateAt(
    actor.member,
    post.audience,
    relationTo(actor, post.authorId, post.audience, loaded),
  );
  const onSectionPage = post.audience.kind === 'section-public' || post.audience.kind === 'section-private';
  return {
    id: post.id,
    author: authorView(author),
    audience: post.audience,
    placeName: post.placeName,
    title: post.title,
    body: post.body,
    html: post.html,
    createdAt: post.createdAt,
    editedAt: post.editedAt,
    pinned: post.pinnedAt !== null,
    commentCount: post.commentCount,
    images: await imageViews(post),
    can: { edit: mine, delete: mine || moderates, pin: moderates && onSectionPage },
  };
}

export interface CommentView {
  id: string;
  parentId: string | null;
  /** null for a deleted comment (its place in the thread stays) or an author the viewer may not see. */
  author: AuthorView | null;
  body: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  can: { edit: boolean; delete: boolean };
}

/**
 * A comment as the viewer sees it: a comment by someone the viewer may not see (blocked either
 * way, hidden, suspended) is left out entirely; a deleted one keeps its place without its text.
 */
export function commentView(
  actor: Actor,
  post: Post,
  comment: Comment,
  loaded: Loaded,
  now: Date,
): CommentView | null {
  const author = loaded.members.get(comment.authorId);
  const seen = mayReadContent(
    actor.member,
    author,
    post.audience,
    relationTo(actor, comment.authorId, post.audience, loaded),
    now,
  );
  if (!seen && !comment.deleted) return null;
  if (comment.deleted)
    return {
      id: comment.id,
      parentId: comment.parentId,
      author: null,
      body: '',
      html: '',
      createdAt: comment.createdAt,
      editedAt: null,
      deleted: true,
      can: { edit: false, delete: false },
    };
  const mine = comment.authorId === actor.memberId;
  const moderates = mayModerateAt(
    actor.member,
    post.audience,
    relationTo(actor, post.authorId, post.audience, loaded),
  );
  return {
    id: comment.id,
    parentId: comment.parentId,
    author: author ? authorView(author) : null,
    body: comment.body,
    html: comment.html,
    createdAt: comment.createdAt,
    editedAt: comment.editedAt,
    deleted: false,
    can: { edit: mine, delete: mine || moderates },
  };
}
