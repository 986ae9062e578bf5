/**
 * Posts, comments and the lists that show them (le fil, « Toute la coopol », a section's pages, a
 * group): the API's shapes (shared/domain/posts/read.ts), the calls, and the cards.
 *
 * A post's and a comment's `html` is rendered from Markdown by the server, which escapes any raw
 * HTML and keeps only web and mail links: it is the one thing inserted with `innerHTML`. Every
 * other text (names, titles, places) is set with `textContent`.
 */
import { apiFetch, type Page, type Profile } from './api.ts';
import { element, formatDateTime, fullName } from './labels.ts';
import { initials } from './member-cards.ts';
import { type PostImage, postImages } from './post-images.ts';

export type Audience =
  | { kind: 'all' }
  | { kind: 'adherents' }
  | { kind: 'coopains' }
  | { kind: 'section-public'; sectionId: string }
  | { kind: 'section-private'; sectionId: string }
  | { kind: 'group'; groupId: string };

export interface Author {
  id: string;
  firstName: string;
  lastName: string;
}

/** `PostView`. */
export interface Post {
  id: string;
  author: Author;
  audience: Audience;
  /** The section's or the group's name; null for the party and the coopains. */
  placeName: string | null;
  /** A *billet* has a title; a short message has none. */
  title: string | null;
  /** The Markdown source (for editing). */
  body: string;
  /** Safe HTML rendered by the server. */
  html: string;
  createdAt: string;
  editedAt: string | null;
  pinned: boolean;
  commentCount: number;
  /** Its images, with signed URLs that live 10 minutes (issue 10). */
  images: PostImage[];
  can: { edit: boolean; delete: boolean; pin: boolean };
}

/** `CommentView`: a deleted comment keeps its place without its text or author. */
export interface Comment {
  id: string;
  parentId: string | null;
  author: Author | null;
  body: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  can: { edit: boolean; delete: boolean };
}

/** The API's limits (shared/domain/posts). */
export const POST_MAX = 20_000;
export const TITLE_MAX = 150;
export const COMMENT_MAX = 5000;

/** « Vous avez choisi « Ma section uniquement » »: such a member reads but neither posts nor comments. */
export function mayWrite(me: Profile): boolean {
  return me.visibility !== 'section' && me.state === 'active';
}

/** PS and MJS members whose membership is confirmed (the adherents circle). */
export function inAdherentsCircle(me: Profile): boolean {
  return me.membership.confirmed && (me.membership.claimed === 'adherent' || me.membership.claimed === 'mjs');
}

/** The section circle: its confirmed adherents and MJS members, and its secretaries. */
export function inSectionCircle(me: Profile, sectionId: string): boolean {
  return me.roles.secretaryOf.includes(sectionId) || (me.section?.id === sectionId && inAdherentsCircle(me));
}

/** May I post on the section's public page (read by every member, sympathisants included)? */
export function mayPostOnPublicPage(me: Profile, sectionId: string): boolean {
  const mine = me.section?.id === sectionId || me.roles.secretaryOf.includes(sectionId);
  return mine && me.visibility === 'all';
}

// — Addresses —

export function postHref(postId: string): string {
  return `/billet/?id=${encodeURIComponent(postId)}`;
}

export function sectionHref(sectionId: string, page: 'public' | 'private' = 'public'): string {
  const params = new URLSearchParams({ id: sectionId });
  if (page === 'private') params.set('page', 'privee');
  return `/section/?${params}`;
}

export function groupHref(groupId: string): string {
  return `/groupe/?id=${encodeURIComponent(groupId)}`;
}

export function memberHref(memberId: string): string {
  return `/membre/?id=${encodeURIComponent(memberId)}`;
}

// — Words —

/** Who reads a post, in words: « Tous les membres », « Page privée · Paris 11e »… */
export function placeLabel(post: Pick<Post, 'audience' | 'placeName'>): string {
  const name = post.placeName ?? '';
  switch (post.audience.kind) {
    case 'all':
      return 'Tous les membres';
    case 'adherents':
      return 'Les adhérent·es';
    case 'coopains':
      return 'Coopains';
    case 'section-public':
      return `Page publique · ${name || 'section'}`;
    case 'section-private':
      return `Page privée · ${name || 'section'}`;
    case 'group':
      return `Groupe · ${name || 'groupe'}`;
  }
}

/** Where the place leads (a section's page, a group), or null. */
export function placeHref(audience: Audience): string | null {
  switch (audience.kind) {
    case 'section-public':
      return sectionHref(audience.sectionId);
    case 'section-private':
      return sectionHref(audience.sectionId, 'private');
    case 'group':
      return groupHref(audience.groupId);
    default:
      return null;
  }
}

export function commentsLabel(count: number): string {
  if (count === 0) return 'Aucun commentaire';
  return count === 1 ? '1 commentaire' : `${count.toLocaleString('fr-FR')} commentaires`;
}

/** A short name for a post, for buttons and headings: its title, or « le message de Camille Martin ». */
export function postName(post: Pick<Post, 'title' | 'author'>): string {
  return post.title ?? `le message de ${fullName(post.author)}`;
}

// — The server's HTML —

/**
 * Inserts the server's safe HTML into `container`. Headings written in Markdown (`# …`) would
 * break the page's outline (one `h1`, the page's own): they become bold paragraphs.
 */
export function setRenderedHtml(container: HTMLElement, html: string): void {
  container.innerHTML = html;
  for (const heading of container.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const paragraph = element('p', undefined, 'md-heading');
    const strong = element('strong');
    strong.append(...heading.childNodes);
    paragraph.append(strong);
    heading.replaceWith(paragraph);
  }
}

/** A `<time>` in French, as read in Paris. */
export function timeOf(iso: string): HTMLTimeElement {
  const time = element('time', formatDateTime(iso));
  time.dateTime = iso;
  return time;
}

// — Cards —

export interface PostCardOptions {
  /** Heading level of the title (3 in lists under an `h2`). */
  headingLevel?: 2 | 3;
}

/** The author, the place and the date of a post (or a comment). */
export function bylineOf(
  author: Author | null,
  at: string,
  editedAt: string | null,
  place?: Pick<Post, 'audience' | 'placeName'>,
): HTMLParagraphElement {
  const line = element('p', undefined, 'post-meta');
  if (author) {
    const link = element('a', fullName(author), 'post-author');
    link.href = memberHref(author.id);
    line.append(link);
  } else line.append(element('span', 'Membre', 'post-author'));
  if (place) {
    line.append(element('span', ' · ', 'sep'));
    const href = placeHref(place.audience);
    const label = placeLabel(place);
    if (href) {
      const link = element('a', label, 'post-place');
      link.href = href;
      line.append(link);
    } else line.append(element('span', label, 'post-place'));
  }
  line.append(element('span', ' · ', 'sep'), timeOf(at));
  if (editedAt) line.append(element('span', ' (modifié)', 'muted'));
  return line;
}

/** A post in a list: author, place, date, « Épinglé », title, text, « n commentaires ». */
export function postCard(post: Post, options: PostCardOptions = {}): HTMLElement {
  const article = element('article', undefined, post.pinned ? 'post-card pinned' : 'post-card');
  article.dataset.postId = post.id;
  const head = element('div', undefined, 'post-head');
  const avatar = element('span', initials(post.author), 'avatar small');
  avatar.setAttribute('aria-hidden', 'true');
  head.append(avatar, bylineOf(post.author, post.createdAt, post.editedAt, post));
  article.append(head);
  if (post.pinned) article.append(element('p', 'Épinglé', 'badge pin'));
  if (post.title) {
    const heading = element(options.headingLevel === 2 ? 'h2' : 'h3', undefined, 'post-title');
    const link = element('a', post.title);
    link.href = postHref(post.id);
    heading.append(link);
    article.append(heading);
    heading.id = `post-${post.id}-title`;
    article.setAttribute('aria-labelledby', heading.id);
  } else {
    article.setAttribute('aria-label', `Message de ${fullName(post.author)}`);
  }
  const body = element('div', undefined, 'post-body');
  setRenderedHtml(body, post.html);
  article.append(body);
  const pictures = postImages(post.images ?? []);
  if (pictures) article.append(pictures);
  const foot = element('p', undefined, 'post-foot');
  const comments = element('a', commentsLabel(post.commentCount));
  comments.href = postHref(post.id);
  // Many cards say « 2 commentaires »: each link says which post it opens.
  comments.append(
    element('span', ` — ${post.title ? `« ${post.title} »` : postName(post)}`, 'visually-hidden'),
  );
  foot.append(comments);
  article.append(foot);
  return article;
}

// — Calls —

export interface PostPage {
  post: Post;
  comments: Comment[];
  cursor: string | null;
}

export function createPost(input: {
  audience: Audience;
  title?: string;
  body: string;
  images?: { mediaId: string; alt: string }[];
}): Promise<Post> {
  return apiFetch<Post>('/api/posts', { method: 'POST', body: input });
}

export function getPost(postId: string): Promise<PostPage> {
  return apiFetch<PostPage>(`/api/posts/${encodeURIComponent(postId)}`);
}

/**
 * The next page of a list. A page can be shorter than 20 (posts dropped since) or even empty with
 * a cursor: read on a few pages to show something, and keep « Afficher plus » while a cursor is left.
 */
export async function nextPosts(
  path: string,
  params: Record<string, string>,
  cursor: string | null,
): Promise<Page<Post>> {
  const items: Post[] = [];
  let next = cursor;
  for (let pages = 0; pages < 5; pages++) {
    const query = new URLSearchParams(params);
    if (next) query.set('cursor', next);
    const qs = query.toString();
    const page = await apiFetch<Page<Post>>(qs ? `${path}?${qs}` : path);
    items.push(...page.items);
    next = page.cursor;
    if (items.length > 0 || !next) break;
  }
  return { items, cursor: next };
}
