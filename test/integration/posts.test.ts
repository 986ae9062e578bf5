import { describe, expect, it } from 'vitest';
import { api, memberItems } from '../support/api.ts';
import {
  freshSection,
  letterCode,
  letters,
  type Persona,
  type PersonaSpec,
  persona,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/**
 * Posts, comments and feeds through the real API (issue 5): audiences, the asynchronous fan-out
 * into timelines (the local scheduler runs the task job every second), deletion reaching every
 * copy, comments closed by a block.
 */

interface PostView {
  id: string;
  author: { id: string };
  title: string | null;
  html: string;
  commentCount: number;
  pinned: boolean;
  can: { edit: boolean; delete: boolean; pin: boolean };
}
interface Page {
  items: PostView[];
  cursor: string | null;
}

const run = letters(5);
let serial = 0;
const spec = (key: string, sectionId: string, extra: Partial<PersonaSpec> = {}): PersonaSpec => ({
  key,
  firstName: 'Alix',
  lastName: `Zz${run}${letterCode(serial++)}`,
  membership: 'adherent',
  confirmed: true,
  section: null,
  ownSection: sectionId,
  visibility: 'all',
  signsIn: true,
  ...extra,
});

const feed = async (p: Persona, path = '/api/feed') =>
  (await api<Page>(path, { token: tokenOf(p) })).body.items.map((i) => i.id);

/** Waits until the fan-out put the post in the reader's fil (the task job runs every second locally). */
async function inFil(p: Persona, postId: string): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if ((await feed(p)).includes(postId)) return true;
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

async function publish(p: Persona, body: Record<string, unknown>) {
  return api<PostView & { error?: { code: string } }>('/api/posts', { token: tokenOf(p), body });
}

describe('posts and feeds', () => {
  it('publishes to a section’s private page: its circle reads it in le fil, nobody else; the secretary deletes it everywhere', async () => {
    const section = await freshSection();
    const other = await freshSection();
    const people = await seedPersonas([
      spec('author', section.id, { visibility: 'adherents' }),
      spec('peer', section.id, { visibility: 'section' }),
      spec('secretary', section.id, { roles: { secretaryOf: [section.id] } }),
      spec('follower', section.id, { membership: 'sympathisant', confirmed: false }),
      spec('outsider', other.id),
    ]);
    const p = (k: string) => persona(people, k);
    const audience = { kind: 'section-private', sectionId: section.id };
    const created = await publish(p('author'), {
      audience,
      title: 'Réunion de rentrée',
      body: 'Ordre du jour : **tractage**.',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Réunion de rentrée', can: { edit: true, delete: true } });
    expect(created.body.html).toContain('<strong>tractage</strong>');
    const id = created.body.id;

    expect(await feed(p('author'))).toContain(id);
    expect(await inFil(p('peer'), id)).toBe(true);
    expect(await inFil(p('secretary'), id)).toBe(true);
    // Not in the circle: no timeline entry, and the post itself is a 404 like any unknown one.
    for (const key of ['follower', 'outsider']) {
      expect(
        (await memberItems(p(key).id)).filter((i) => String(i.sk).startsWith('FEED#')),
        key,
      ).toEqual([]);
      expect((await api(`/api/posts/${id}`, { token: tokenOf(p(key)) })).status, key).toBe(404);
      const page = await api(`/api/sections/${section.id}/posts?page=private`, { token: tokenOf(p(key)) });
      expect(page.status, key).toBe(404);
    }
    const privatePage = await api<Page>(`/api/sections/${section.id}/posts?page=private`, {
      token: tokenOf(p('peer')),
    });
    expect(privatePage.body.items.map((i) => i.id)).toEqual([id]);

    // The secretary pins it, then deletes it: it leaves the page and every fil at once.
    const secretary = tokenOf(p('secretary'));
    expect(
      (await api(`/api/posts/${id}/pin`, { method: 'PUT', token: secretary, body: { pinned: true } })).body,
    ).toEqual({ pinned: true });
    expect((await api<PostView>(`/api/posts/${id}`, { token: secretary })).body).toBeDefined();
    expect((await api(`/api/posts/${id}`, { method: 'DELETE', token: secretary })).status).toBe(204);
    for (const key of ['author', 'peer', 'secretary']) {
      expect(await feed(p(key)), key).not.toContain(id);
      expect((await api(`/api/posts/${id}`, { token: tokenOf(p(key)) })).status, key).toBe(404);
    }
  });

  it('keeps each audience to its readers: party-wide, adherents, coopains; and the author’s visibility bounds it', async () => {
    const section = await freshSection();
    const people = await seedPersonas(
      [
        spec('author', section.id),
        spec('adherent', section.id),
        spec('sympathisant', section.id, { membership: 'sympathisant', confirmed: false }),
        spec('coopain', section.id, { membership: 'sympathisant', confirmed: false }),
        spec('quiet', section.id, { visibility: 'adherents' }),
      ],
      { coopains: [['author', 'coopain']] },
    );
    const p = (k: string) => persona(people, k);
    const toAll = (await publish(p('author'), { audience: { kind: 'all' }, body: 'Pour tout le monde' })).body
      .id;
    const toAdh = (await publish(p('author'), { audience: { kind: 'adherents' }, body: 'Entre adhérent·es' }))
      .body.id;
    const toCoopains = (
      await publish(p('author'), { audience: { kind: 'coopains' }, body: 'Entre coopains' })
    ).body.id;

    const party = async (k: string) => feed(p(k), '/api/feed/party?');
    expect(await party('adherent')).toEqual(expect.arrayContaining([toAll, toAdh]));
    expect(await party('sympathisant')).toContain(toAll);
    expect(await party('sympathisant')).not.toContain(toAdh);
    expect((await api(`/api/posts/${toAdh}`, { token: tokenOf(p('sympathisant')) })).status).toBe(404);

    expect(await inFil(p('coopain'), toCoopains)).toBe(true);
    expect((await api(`/api/posts/${toCoopains}`, { token: tokenOf(p('adherent')) })).status).toBe(404);

    // An `adherents`-level member may not publish where sympathisants would read them.
    const wide = await publish(p('quiet'), { audience: { kind: 'all' }, body: 'Bonjour à tous' });
    expect(wide).toMatchObject({
      status: 403,
      body: { error: { code: 'post.audience_wider_than_profile' } },
    });
    // A sympathisant may not publish to the adherents.
    const notCircle = await publish(p('sympathisant'), { audience: { kind: 'adherents' }, body: 'Bonjour' });
    expect(notCircle).toMatchObject({ status: 403, body: { error: { code: 'post.not_in_audience' } } });
  });

  it('comments and replies, notifies the author, and closes a post to anyone across a block', async () => {
    const section = await freshSection();
    const people = await seedPersonas(
      [
        spec('author', section.id),
        spec('reader', section.id),
        spec('blocked', section.id),
        spec('hidden', section.id, { visibility: 'section' }),
      ],
      { blocks: [['author', 'blocked']] },
    );
    const p = (k: string) => persona(people, k);
    const id = (await publish(p('author'), { audience: { kind: 'all' }, body: 'Votre avis ?' })).body.id;

    const comment = await api<{ id: string }>(`/api/posts/${id}/comments`, {
      token: tokenOf(p('reader')),
      body: { body: 'D’accord !' },
    });
    expect(comment.status).toBe(201);
    const reply = await api<{ parentId: string }>(`/api/posts/${id}/comments`, {
      token: tokenOf(p('author')),
      body: { body: 'Merci', replyTo: comment.body.id },
    });
    expect(reply).toMatchObject({ status: 201, body: { parentId: comment.body.id } });
    const read = await api<{ post: PostView; comments: { id: string; parentId: string | null }[] }>(
      `/api/posts/${id}`,
      {
        token: tokenOf(p('reader')),
      },
    );
    expect(read.body.post.commentCount).toBe(2);
    expect(read.body.comments.map((c) => c.parentId)).toEqual([null, comment.body.id]);
    const notes = (await memberItems(p('author').id)).filter((i) => i.type === 'notification');
    expect(notes.map((n) => n.kind)).toEqual(['comment.new']);
    expect((await memberItems(p('reader').id)).filter((i) => i.kind === 'comment.reply')).toHaveLength(1);

    // Blocked by the author: the post is a 404 and so is commenting on it — nothing says why.
    const blocked = tokenOf(p('blocked'));
    expect((await api(`/api/posts/${id}`, { token: blocked })).status).toBe(404);
    const refused = await api(`/api/posts/${id}/comments`, {
      token: blocked,
      body: { body: 'Je réponds quand même' },
    });
    expect(refused).toMatchObject({ status: 404, body: { error: { code: 'post.not_found' } } });
    // A member at `section` reads but does not comment.
    const quiet = await api(`/api/posts/${id}/comments`, {
      token: tokenOf(p('hidden')),
      body: { body: 'Moi aussi' },
    });
    expect(quiet).toMatchObject({ status: 403, body: { error: { code: 'comment.visibility_too_low' } } });
  });

  it('renders Markdown safely and refuses bad input without writing', async () => {
    const section = await freshSection();
    const people = await seedPersonas([spec('author', section.id)]);
    const author = persona(people, 'author');
    const hostile =
      '<script>alert(1)</script> [clic](javascript:alert(1)) <img src=x onerror=alert(1)> [ok](https://ps.fr)';
    const created = await publish(author, { audience: { kind: 'all' }, body: hostile });
    expect(created.status).toBe(201);
    // Only harmless tags survive, and every link is a web link: the rest is escaped text.
    const tags = [...created.body.html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1]?.toLowerCase());
    expect(new Set(tags)).toEqual(new Set(['p', 'a']));
    expect([...created.body.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual(['https://ps.fr']);
    expect(created.body.html).toContain(
      '<a href="https://ps.fr" rel="nofollow noopener noreferrer" target="_blank">ok</a>',
    );

    const before = (await memberItems(author.id)).length;
    for (const body of [
      {},
      { audience: { kind: 'all' }, body: '' },
      { audience: { kind: 'nowhere' }, body: 'x' },
      { audience: { kind: 'group' }, body: 'x' },
      { audience: { kind: 'all' }, body: 'x', extra: true },
      { audience: { kind: 'all' }, body: 'x'.repeat(20_001) },
      { audience: { kind: 'all' }, body: 'x', mentions: ['pas-un-id'] },
    ]) {
      const res = await publish(author, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
    }
    expect((await memberItems(author.id)).length).toBe(before);
  });
});
