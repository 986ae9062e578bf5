/**
 * A list of posts with « Afficher plus » (le fil, « Toute la coopol », a section's page, a group):
 * the page's markup gives the list, the button, the empty state and a status region.
 */
import { byId } from './forms.ts';
import { element, fullName } from './labels.ts';
import { isSessionLost, loadMe, messageOf, toSignIn } from './me.ts';
import { nextPosts, type Post, postCard } from './posts.ts';
import { reportButton } from './report-dialog.ts';

export interface PostListOptions {
  /** The ids of the list (`<ol>`), « Afficher plus », the empty state and the status region. */
  list: string;
  more: string;
  empty: string;
  status: string;
  /** The API path and its parameters (e.g. `{ page: 'private' }`). */
  path: string;
  params?: Record<string, string>;
  /** Where the error says what could not be loaded (« Le fil n’a pas pu être chargé. »). */
  failure: string;
}

export class PostList {
  private cursor: string | null = null;
  /** Who reads the list: « Signaler » is offered on everyone's posts but theirs. */
  private viewerId: string | null = null;
  private readonly list: HTMLOListElement;
  private readonly more: HTMLButtonElement;
  private readonly empty: HTMLElement;
  private readonly status: HTMLElement;

  constructor(private readonly options: PostListOptions) {
    this.list = byId<HTMLOListElement>(options.list);
    this.more = byId<HTMLButtonElement>(options.more);
    this.empty = byId(options.empty);
    this.status = byId(options.status);
    this.more.addEventListener('click', () => void this.loadMore());
  }

  private item(post: Post): HTMLLIElement {
    const item = element('li');
    const card = postCard(post);
    const report =
      this.viewerId && this.viewerId !== post.author.id
        ? reportButton(
            `post:${post.id}`,
            `${post.title ? 'le billet' : 'le message'} de ${fullName(post.author)}`,
          )
        : null;
    if (report) card.querySelector('.post-foot')?.append(report);
    item.append(card);
    return item;
  }

  private sync(): void {
    const shown = this.list.children.length;
    this.list.hidden = shown === 0;
    this.empty.hidden = shown > 0 || this.cursor !== null;
    this.more.hidden = !this.cursor;
  }

  private failed(error: unknown): void {
    if (isSessionLost(error)) {
      toSignIn('expiree');
      return;
    }
    this.status.dataset.kind = 'error';
    this.status.textContent = `${this.options.failure} ${messageOf(error)}`;
  }

  /** The first page; throws the API's error (a page not found is the caller's to explain). */
  async start(): Promise<void> {
    const [page, viewerId] = await Promise.all([
      nextPosts(this.options.path, this.options.params ?? {}, null),
      // Shared with the page's own call: no second request.
      loadMe().then(
        (me) => me.id,
        () => null,
      ),
    ]);
    this.viewerId = viewerId;
    this.cursor = page.cursor;
    this.list.replaceChildren(...page.items.map((post) => this.item(post)));
    this.sync();
  }

  private async loadMore(): Promise<void> {
    this.more.disabled = true;
    try {
      const page = await nextPosts(this.options.path, this.options.params ?? {}, this.cursor);
      this.cursor = page.cursor;
      const items = page.items
        .filter((post) => !this.list.querySelector(`[data-post-id="${CSS.escape(post.id)}"]`))
        .map((post) => this.item(post));
      this.list.append(...items);
      this.sync();
      // Keyboard and screen-reader users carry on from the first new post.
      items[0]?.querySelector<HTMLElement>('a')?.focus();
    } catch (error) {
      this.failed(error);
    } finally {
      this.more.disabled = false;
    }
  }

  /** A post just published here goes on top (the server's lists follow a moment later). */
  prepend(post: Post): void {
    // Below the pinned posts, which stay on top of a section's page.
    const firstUnpinned = Array.from(this.list.children).find((li) => !li.querySelector('.post-card.pinned'));
    if (firstUnpinned) firstUnpinned.before(this.item(post));
    else this.list.append(this.item(post));
    this.sync();
  }
}
