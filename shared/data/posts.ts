import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../errors.ts';
import { db, isConditionFailure, queryPage, type TxWrite, tableName } from './client.ts';
import { type Variant, variantsOf } from './media.ts';

/**
 * P1–P7 — posts, their comments and the timelines (ADR 003, ADR 008). A post is one item with
 * the page it shows on (gsi1), its author (gsi2) and, for posts to every member, the
 * sympathisants' party feed (gsi3); its comments live in its partition after it (`THREAD#…`
 * sorts after `META`), so a post and its first comments are one Query. Timeline entries are
 * small references in each reader's partition, written by the fan-out task.
 */

export type Audience =
  | { kind: 'all' }
  | { kind: 'adherents' }
  | { kind: 'coopains' }
  | { kind: 'section-public'; sectionId: string }
  | { kind: 'section-private'; sectionId: string }
  | { kind: 'group'; groupId: string };

/**
 * An image of a post (issue 10): the media's variants are copied onto the post item when it is
 * attached, so a read signs them without reading the media item (`MEMBER#<author>` / `MEDIA#<id>`).
 */
export interface PostImage {
  mediaId: string;
  alt: string;
  variants: Variant[];
}

export interface Post {
  id: string;
  authorId: string;
  audience: Audience;
  /** Shown with the post ("Paris 11e — page publique", a group's name); denormalised at creation. */
  placeName: string | null;
  title: string | null;
  body: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
  pinnedAt: string | null;
  commentCount: number;
  deleted: boolean;
  /** At most 4, in the author's order; emptied when the post is deleted. */
  images: PostImage[];
}

export interface Comment {
  id: string;
  postId: string;
  /** The post's author and audience (never change): a later page of comments is checked without reading the post first. */
  postAuthorId: string;
  audience: Audience;
  /** The comment it answers (one level of replies), or null. */
  parentId: string | null;
  authorId: string;
  body: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
}

const postKey = (id: string) => ({ pk: `POST#${id}`, sk: 'META' });
const commentSk = (rootId: string, replyId?: string) =>
  replyId ? `THREAD#${rootId}#${replyId}` : `THREAD#${rootId}`;
/** The member's timeline entry for a post (P6). */
const timelineKey = (memberId: string, post: Pick<Post, 'id' | 'createdAt'>) => ({
  pk: `MEMBER#${memberId}`,
  sk: `FEED#${post.createdAt}#${post.id}`,
});

/** How long a timeline entry stays (the fil goes back two months; pages keep everything). */
const TIMELINE_SECONDS = 60 * 24 * 3600;

/** The page a post shows on (gsi1), if any: section pages, a group, or the party-wide feed. */
export function pageOf(audience: Audience): string | null {
  switch (audience.kind) {
    case 'section-public':
      return `PAGE#SECTION#${audience.sectionId}#PUBLIC`;
    case 'section-private':
      return `PAGE#SECTION#${audience.sectionId}#PRIVATE`;
    case 'group':
      return `PAGE#GROUP#${audience.groupId}`;
    case 'all':
    case 'adherents':
      // The adherents circle reads one partition with both; sympathisants read gsi3 `PARTY#ALL`.
      return 'PARTY#ADH';
    case 'coopains':
      return null;
  }
}

/** Pinned posts first on a page, then newest first (one descending Query). */
const pageSort = (p: Pick<Post, 'id' | 'createdAt' | 'pinnedAt'>) =>
  p.pinnedAt ? `9#${p.pinnedAt}#${p.id}` : `1#${p.createdAt}#${p.id}`;

function postIndexes(p: Post): Record<string, string> {
  const byAuthor = { gsi2pk: `AUTHOR#${p.authorId}#POSTS`, gsi2sk: `${p.createdAt}#${p.id}` };
  // A deleted post leaves its pages but stays findable by its author's id (D1: erasure finds it).
  if (p.deleted) return byAuthor;
  const page = pageOf(p.audience);
  return {
    ...(page ? { gsi1pk: page, gsi1sk: pageSort(p) } : {}),
    ...byAuthor,
    ...(p.audience.kind === 'all' ? { gsi3pk: 'PARTY#ALL', gsi3sk: `${p.createdAt}#${p.id}` } : {}),
  };
}

export function postFromItem(i: Record<string, unknown>): Post {
  return {
    id: String(i.id),
    authorId: String(i.authorId),
    audience: i.audience as Audience,
    placeName: typeof i.placeName === 'string' ? i.placeName : null,
    title: typeof i.title === 'string' ? i.title : null,
    body: String(i.body ?? ''),
    html: String(i.html ?? ''),
    createdAt: String(i.createdAt),
    editedAt: typeof i.editedAt === 'string' ? i.editedAt : null,
    pinnedAt: typeof i.pinnedAt === 'string' ? i.pinnedAt : null,
    commentCount: typeof i.commentCount === 'number' ? i.commentCount : 0,
    deleted: i.deleted === true,
    images: Array.isArray(i.images)
      ? i.images.map((img: Record<string, unknown>) => ({
          mediaId: String(img.mediaId),
          alt: String(img.alt),
          variants: variantsOf(img.variants),
        }))
      : [],
  };
}

function commentFromItem(i: Record<string, unknown>): Comment {
  return {
    id: String(i.id),
    postId: String(i.postId),
    postAuthorId: String(i.postAuthorId),
    audience: i.audience as Audience,
    parentId: typeof i.parentId === 'string' ? i.parentId : null,
    authorId: String(i.authorId),
    body: String(i.body ?? ''),
    html: String(i.html ?? ''),
    createdAt: String(i.createdAt),
    editedAt: typeof i.editedAt === 'string' ? i.editedAt : null,
    deleted: i.deleted === true,
  };
}

/** A timeline entry: what a feed page needs to fetch and check the post without reading it first. */
export interface TimelineEntry {
  postId: string;
  authorId: string;
  audience: Audience;
}

export function timelineWrite(memberId: string, post: Post): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...timelineKey(memberId, post),
        type: 'timeline-entry',
        postId: post.id,
        authorId: post.authorId,
        audience: post.audience,
        expiresAt: Math.floor(Date.parse(post.createdAt) / 1000) + TIMELINE_SECONDS,
      },
    },
  };
}

/** A new post, and its entry in the author's own timeline. */
export function newPostWrites(post: Post): TxWrite[] {
  return [
    {
      Put: {
        TableName: tableName(),
        Item: { ...postKey(post.id), type: 'post', ...post, ...postIndexes(post) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    timelineWrite(post.authorId, post),
  ];
}

export const postItemKey = postKey;

/** P1 — one post (strongly consistent). */
export async function getPostItem(id: string): Promise<Post | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: tableName(), Key: postKey(id), ConsistentRead: true }),
  );
  return out.Item ? postFromItem(out.Item) : undefined;
}

/** Saves an edited, pinned or deleted post (indexes recomputed); fails if it is gone. */
export function savePostWrite(post: Post): TxWrite {
  const item = { ...postKey(post.id), type: 'post', ...post, ...postIndexes(post) };
  return {
    Put: {
      TableName: tableName(),
      Item: item,
      ConditionExpression: 'attribute_exists(pk) AND deleted = :false',
      ExpressionAttributeValues: { ':false': false },
    },
  };
}

/**
 * P1 + P2 — a post and a page of its comments in one Query (the post sorts first). With a cursor
 * the page starts after it, so the post is not in it: the caller reads the post with the authors.
 */
export async function postWithComments(
  postId: string,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ post?: Post; comments: Comment[]; lastKey?: Record<string, unknown> }> {
  if (opts.startKey && opts.startKey.pk !== `POST#${postId}`)
    throw new ValidationError('request.invalid_cursor', 'Curseur de pagination invalide.', 'cursor');
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `POST#${postId}`, ':from': 'META', ':to': 'THREAD$' },
      Limit: opts.limit + (opts.startKey ? 0 : 1),
      ExclusiveStartKey: opts.startKey,
      ConsistentRead: true,
    }),
  );
  const items = out.Items ?? [];
  const meta = items.find((i) => i.sk === 'META');
  return {
    ...(meta ? { post: postFromItem(meta) } : {}),
    comments: items.filter((i) => String(i.sk).startsWith('THREAD#')).map(commentFromItem),
    lastKey: out.LastEvaluatedKey,
  };
}

export function commentKey(c: Pick<Comment, 'postId' | 'id' | 'parentId'>) {
  return { pk: `POST#${c.postId}`, sk: c.parentId ? commentSk(c.parentId, c.id) : commentSk(c.id) };
}

export { commentFromItem };

const commentItem = (c: Comment) => ({
  ...commentKey(c),
  type: 'comment',
  ...c,
  gsi2pk: `AUTHOR#${c.authorId}#COMMENTS`,
  gsi2sk: c.id,
});

/**
 * A new comment: the comment, the post's count (the post must still be there), and — for a
 * reply — a check that the comment answered is still there. Index of the post check: 1.
 */
export function newCommentWrites(c: Comment): TxWrite[] {
  return [
    {
      Put: {
        TableName: tableName(),
        Item: commentItem(c),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: postKey(c.postId),
        UpdateExpression: 'ADD commentCount :one',
        ConditionExpression: 'attribute_exists(pk) AND deleted = :false',
        ExpressionAttributeValues: { ':one': 1, ':false': false },
      },
    },
    ...(c.parentId
      ? [
          {
            ConditionCheck: {
              TableName: tableName(),
              Key: { pk: `POST#${c.postId}`, sk: commentSk(c.parentId) },
              ConditionExpression: 'attribute_exists(pk) AND deleted = :false',
              ExpressionAttributeValues: { ':false': false },
            },
          },
        ]
      : []),
  ];
}

/**
 * Saves an edited or deleted comment, which must still be there and not deleted (a deleted one
 * keeps its place in the thread, without text; the post's count goes down with it).
 */
export function saveCommentWrites(c: Comment): TxWrite[] {
  return [
    {
      Put: {
        TableName: tableName(),
        Item: commentItem(c),
        ConditionExpression: 'attribute_exists(pk) AND deleted = :false',
        ExpressionAttributeValues: { ':false': false },
      },
    },
    ...(c.deleted
      ? [
          {
            Update: {
              TableName: tableName(),
              Key: postKey(c.postId),
              UpdateExpression: 'ADD commentCount :minus',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':minus': -1 },
            },
          },
        ]
      : []),
  ];
}

/** P6 — the member's timeline, newest first. */
export async function timelineOf(
  memberId: string,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ entries: TimelineEntry[]; lastKey?: Record<string, unknown> }> {
  const page = await queryPage({
    partition: `MEMBER#${memberId}`,
    prefix: 'FEED#',
    newestFirst: true,
    ...opts,
  });
  return {
    entries: page.items.map((i) => ({
      postId: String(i.postId),
      authorId: String(i.authorId),
      audience: i.audience as Audience,
    })),
    lastKey: page.lastKey,
  };
}

/** P3/P4/P7 — posts of a page (pinned first) or of the party feed, newest first. */
export async function postsOfPage(
  page: { index: 'gsi1' | 'gsi2' | 'gsi3'; partition: string },
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ posts: Post[]; lastKey?: Record<string, unknown> }> {
  const out = await queryPage({ index: page.index, partition: page.partition, newestFirst: true, ...opts });
  return { posts: out.items.map(postFromItem).filter((p) => !p.deleted), lastKey: out.lastKey };
}

/** P5 — a member's posts, newest first (the viewer's read check comes after). */
export async function postsByAuthor(
  authorId: string,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ posts: Post[]; lastKey?: Record<string, unknown> }> {
  return postsOfPage({ index: 'gsi2', partition: `AUTHOR#${authorId}#POSTS` }, opts);
}

/** Writes timeline entries for many readers (the fan-out task): idempotent, deterministic keys. */
/** The keys of these readers' timeline entries for a post (erasure drops them with the post). */
export function timelineKeysOf(memberIds: readonly string[], post: Pick<Post, 'id' | 'createdAt'>) {
  return memberIds.map((m) => timelineKey(m, post));
}

/** The keys of a post and all its comments (erasure: the post goes with its thread). */
export async function postThreadKeys(postId: string): Promise<Record<string, unknown>[]> {
  const keys: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await queryPage({ partition: postKey(postId).pk, limit: 500, consistent: true, startKey });
    keys.push(...page.items.map((i) => ({ pk: i.pk, sk: i.sk })));
    startKey = page.lastKey;
  } while (startKey);
  return keys;
}

export function timelineWrites(memberIds: readonly string[], post: Post): TxWrite[] {
  return memberIds.map((id) => timelineWrite(id, post));
}

/** Sets or clears the pin (section pages); false if the post is gone. */
export async function setPinned(post: Post, pinnedAt: string | null): Promise<boolean> {
  const next = { ...post, pinnedAt };
  const page = pageOf(post.audience);
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: postKey(post.id),
        UpdateExpression: pinnedAt ? 'SET pinnedAt = :at, gsi1sk = :sk' : 'SET gsi1sk = :sk REMOVE pinnedAt',
        ConditionExpression: 'attribute_exists(pk) AND deleted = :false',
        ExpressionAttributeValues: {
          ':sk': page ? pageSort(next) : '',
          ':false': false,
          ...(pinnedAt ? { ':at': pinnedAt } : {}),
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
