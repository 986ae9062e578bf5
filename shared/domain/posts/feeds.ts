import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { inAdherentsCircle, inSectionCircle } from '../../auth/policy.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import { type Post, postsByAuthor, postsOfPage, timelineOf } from '../../data/posts.ts';
import { sectionFromItem, sectionKey } from '../../data/sections.ts';
import { NotFoundError } from '../../errors.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { type Loaded, loadForViewer, mayRead, type PostView, postView } from './read.ts';

/**
 * Le fil and the pages (ADR 003, ADR 008). Every list is one Query (timeline, page or party
 * feed) and one BatchGet (posts not in hand, authors, group memberships), then the policy:
 * with the state check, 3 round trips a page. A page can be shorter than asked when entries
 * were dropped (post deleted, audience or relation changed since): follow the cursor.
 */

export const FeedQuery = z.strictObject({ cursor: z.optional(z.string().check(z.maxLength(1024))) });
export const SectionPageQuery = z.strictObject({
  page: z.optional(z.enum(['public', 'private'])),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});

const PAGE = 20;

interface FeedPage {
  items: PostView[];
  cursor: string | null;
}

/** The posts the viewer may read, and only those get their images signed (postView). */
function views(actor: Actor, posts: Iterable<Post>, loaded: Loaded, now: Date): Promise<PostView[]> {
  return Promise.all(
    [...posts].filter((p) => mayRead(actor, p, loaded, now)).map((p) => postView(actor, p, loaded)),
  );
}

/** P6 — le fil: what reached the member's timeline (coopains, section pages, groups, their own posts). */
export async function homeFeed(
  actor: Actor,
  query: z.infer<typeof FeedQuery>,
  deps: Deps = defaultDeps,
): Promise<FeedPage> {
  const page = await timelineOf(actor.memberId, { limit: PAGE, startKey: startKeyOf(query.cursor) });
  const loaded = await loadForViewer(actor, page.entries);
  const posts = page.entries.flatMap((e) => loaded.posts.get(e.postId) ?? []);
  return { items: await views(actor, posts, loaded, deps.now()), cursor: encodeCursor(page.lastKey) };
}

/** P7 — « Toute la coopol »: posts to every member, and to the adherents for the adherents circle. */
export async function partyFeed(
  actor: Actor,
  query: z.infer<typeof FeedQuery>,
  deps: Deps = defaultDeps,
): Promise<FeedPage> {
  const source = inAdherentsCircle(actor.member)
    ? ({ index: 'gsi1', partition: 'PARTY#ADH' } as const)
    : ({ index: 'gsi3', partition: 'PARTY#ALL' } as const);
  const page = await postsOfPage(source, { limit: PAGE, startKey: startKeyOf(query.cursor) });
  const loaded = await loadForViewer(actor, [], page.posts);
  return { items: await views(actor, page.posts, loaded, deps.now()), cursor: encodeCursor(page.lastKey) };
}

/**
 * P3 — a section's public page (every member) or private page (its circle: confirmed adherents
 * and MJS of the section, hidden ones included, and its secretaries), pinned posts first.
 */
export async function sectionPage(
  actor: Actor,
  sectionId: string,
  query: z.infer<typeof SectionPageQuery>,
  deps: Deps = defaultDeps,
): Promise<FeedPage & { section: { id: string; name: string } }> {
  const which = query.page ?? 'public';
  if (which === 'private' && !inSectionCircle(actor.member, sectionId))
    throw new NotFoundError('section.page_not_found', 'Cette page est réservée aux membres de la section.');
  const page = await postsOfPage(
    { index: 'gsi1', partition: `PAGE#SECTION#${sectionId}#${which === 'public' ? 'PUBLIC' : 'PRIVATE'}` },
    { limit: PAGE, startKey: startKeyOf(query.cursor) },
  );
  // The section itself comes in the same BatchGet: the page shows its name.
  const loaded = await loadForViewer(actor, [], page.posts, [], [sectionKey(sectionId)]);
  const [section] = loaded.extra;
  if (!section) throw new NotFoundError('section.not_found', 'Section introuvable.');
  return {
    section: { id: sectionId, name: sectionFromItem(section).name },
    items: await views(actor, page.posts, loaded, deps.now()),
    cursor: encodeCursor(page.lastKey),
  };
}

/** P4 — a group's posts, for its members (anyone else gets an empty page: nothing is revealed). */
export async function groupPosts(
  actor: Actor,
  groupId: string,
  query: z.infer<typeof FeedQuery>,
  deps: Deps = defaultDeps,
): Promise<FeedPage> {
  const page = await postsOfPage(
    { index: 'gsi1', partition: `PAGE#GROUP#${groupId}` },
    { limit: PAGE, startKey: startKeyOf(query.cursor) },
  );
  const loaded = await loadForViewer(actor, [], page.posts);
  return { items: await views(actor, page.posts, loaded, deps.now()), cursor: encodeCursor(page.lastKey) };
}

/**
 * P5 — a member's posts as the viewer may read them (on their profile): every post the viewer may
 * read by id is in some list they can load, including a post to coopains written before they
 * became coopains (le fil only gets what was published after).
 */
export async function memberPosts(
  actor: Actor,
  memberId: string,
  query: z.infer<typeof FeedQuery>,
  deps: Deps = defaultDeps,
): Promise<FeedPage> {
  const page = await postsByAuthor(memberId, { limit: PAGE, startKey: startKeyOf(query.cursor) });
  const loaded = await loadForViewer(actor, [], page.posts);
  return { items: await views(actor, page.posts, loaded, deps.now()), cursor: encodeCursor(page.lastKey) };
}
