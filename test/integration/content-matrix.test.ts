import { readFileSync } from 'node:fs';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Membership, Visibility } from '../../shared/data/members.ts';
import { type ApiResponse, api, getItem } from '../support/api.ts';
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
 * The content policy matrix (content issue) run through the real API on the emulators: every cell
 * of test/fixtures/content-matrix.json — audience × viewer role × block state, for an author at
 * `all` (and at `adherents` without blocks) — with the expected answers of reading the post by id,
 * finding it in le fil and on its place's list, and commenting on it, derived by hand from SPEC
 * §1–§4 (never from shared/auth/policy.ts). Also who may publish where.
 *
 * The world is built once, through the API wherever the API can build it (groups, memberships,
 * blocks, posts); members, sections and coopain links are seeded through the data layer. Every
 * answer is gathered first (concurrently, a post's comments one after the other), then each cell
 * asserts its own.
 */

type Audience = 'all' | 'adherents' | 'coopains' | 'section-public' | 'section-private' | 'group';
type Block = 'none' | 'viewer_blocks' | 'author_blocks' | 'viewer_blocks_after' | 'author_blocks_after';
type AuthorKind = 'all' | 'adherents';

interface Cell {
  author: AuthorKind;
  audience: Audience;
  viewer: string;
  block: Block;
  read: 200 | 404;
  fil: boolean;
  list: boolean | null;
  comment: 201 | 403 | 404;
  rule: string;
}

interface PublishCell {
  publisher: string;
  audience: Audience;
  status: 201 | 403;
  code?: string;
  rule: string;
}

interface ViewerDef {
  description: string;
  membership: Membership;
  confirmed: boolean;
  section: 'S' | 'T' | null;
  visibility: Visibility;
  secretary?: boolean;
  coopain?: boolean;
  group?: 'active' | 'pending';
}

interface Matrix {
  viewers: Record<string, ViewerDef>;
  authors: Record<AuthorKind, { description: string; visibility: Visibility }>;
  blockStates: Record<Block, string>;
  cells: Cell[];
  publishCells: PublishCell[];
}

interface PostView {
  id: string;
  author: { id: string };
}
interface Page {
  items: PostView[];
  cursor: string | null;
}

const matrix = JSON.parse(
  readFileSync(new URL('../fixtures/content-matrix.json', import.meta.url), 'utf8'),
) as Matrix;

const AUDIENCES: Audience[] = ['all', 'adherents', 'coopains', 'section-public', 'section-private', 'group'];
const BLOCKS = Object.keys(matrix.blockStates) as Block[];
const VIEWERS = Object.keys(matrix.viewers);
/** What an author at `adherents` may publish (the others are publish cells: 403). */
const ADHERENTS_AUDIENCES: Audience[] = ['adherents', 'coopains', 'section-private', 'group'];

const run = letters(5);
let serial = 0;
const lastName = () => `Zz${run}${letterCode(serial++)}`;

const authorKey = (kind: AuthorKind, block: Block) => `author:${kind}:${block}`;
const viewerKey = (v: string) => `viewer:${v}`;
const cellAuthor = (c: Pick<Cell, 'author' | 'block'>) =>
  authorKey(c.author, c.author === 'all' ? c.block : 'none');
const cellViewer = (c: Cell) => (c.viewer === 'self' ? cellAuthor(c) : viewerKey(c.viewer));
const postKey = (author: string, audience: Audience) => `${author}|${audience}`;
const publisherKey = (p: string) =>
  p === 'author_all'
    ? authorKey('all', 'none')
    : p === 'author_adherents'
      ? authorKey('adherents', 'none')
      : viewerKey(p);

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

/** Every id of a paginated list (following the cursor); a party feed stops at posts older than `since`. */
async function listAll(
  path: string,
  token: string,
  since?: string,
): Promise<{ status: number; ids: string[]; body?: unknown }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 200; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res: ApiResponse<Page> = await api<Page>(
      cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path,
      { token },
    );
    if (res.status !== 200) return { status: res.status, ids, body: res.body };
    ids.push(...res.body.items.map((i) => i.id));
    cursor = res.body.cursor;
    const last = res.body.items.at(-1) as (PostView & { createdAt?: string }) | undefined;
    if (!cursor || (since && last?.createdAt && last.createdAt < since)) return { status: 200, ids };
  }
  throw new Error(`${path}: more than 200 pages`);
}

interface Lists {
  fil: Set<string>;
  party: Set<string>;
  sectionPublic: Set<string>;
  sectionPrivate: { status: number; ids: Set<string>; body?: unknown };
  group: Set<string>;
}

let S: string;
let T: string;
let G: string;
let people: Map<string, Persona>;
let startedAt: string;
const posts = new Map<string, string>();
const lists = new Map<string, Lists>();
const reads = new Map<Cell, ApiResponse>();
const comments = new Map<Cell, ApiResponse>();
const unknownRead = new Map<string, ApiResponse>();
const unknownComment = new Map<string, ApiResponse>();
const unknownPrivatePage = new Map<string, ApiResponse>();
const published = new Map<string, ApiResponse<PostView & { error?: { code: string } }>>();

const p = (key: string) => persona(people, key);
const as = (key: string) => tokenOf(p(key));

function audienceBody(a: Audience): Record<string, string> {
  if (a === 'section-public' || a === 'section-private') return { kind: a, sectionId: S };
  if (a === 'group') return { kind: a, groupId: G };
  return { kind: a };
}

async function publish(key: string, audience: Audience) {
  return api<PostView & { error?: { code: string } }>('/api/posts', {
    token: as(key),
    body: { audience: audienceBody(audience), title: `Billet ${audience}`, body: `Pour ${audience}.` },
  });
}

async function must(res: Promise<ApiResponse>, status: number, what: string): Promise<ApiResponse> {
  const out = await res;
  if (out.status !== status) throw new Error(`${what}: ${out.status} ${JSON.stringify(out.body)}`);
  return out;
}

async function loadLists(key: string): Promise<Lists> {
  const token = as(key);
  const [fil, party, pub, priv, group] = await Promise.all([
    listAll('/api/feed', token),
    listAll('/api/feed/party', token, startedAt),
    listAll(`/api/sections/${S}/posts?page=public`, token),
    listAll(`/api/sections/${S}/posts?page=private`, token),
    listAll(`/api/groups/${G}/posts`, token),
  ]);
  return {
    fil: new Set(fil.ids),
    party: new Set(party.ids),
    sectionPublic: new Set(pub.ids),
    sectionPrivate: { status: priv.status, ids: new Set(priv.ids), body: priv.body },
    group: new Set(group.ids),
  };
}

/** The fanned-out posts whose fil entries each reader must hold before any block made "after". */
function filPositivesBeforeAfterBlocks(): { reader: string; postId: string }[] {
  const out: { reader: string; postId: string }[] = [];
  for (const c of matrix.cells) {
    if (c.block !== 'none' || !c.fil) continue;
    const states: Block[] =
      c.author === 'all' ? ['none', 'viewer_blocks_after', 'author_blocks_after'] : ['none'];
    for (const block of states) {
      const author = authorKey(c.author, block);
      const reader = c.viewer === 'self' ? author : viewerKey(c.viewer);
      out.push({ reader, postId: posts.get(postKey(author, c.audience)) as string });
    }
  }
  return out;
}

/** Waits until every fan-out task of these posts is done and every expected fil entry is there. */
async function waitForFanOut(postIds: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const positives = filPositivesBeforeAfterBlocks();
  let missing: { reader: string; postId: string }[] = positives;
  let pending: string[] = postIds;
  while (Date.now() < deadline) {
    pending = [];
    for (const id of postIds) {
      if (await getItem('TASKS#FAILED', id)) throw new Error(`the fan-out of post ${id} failed`);
      if (await getItem('TASKS', id)) pending.push(id);
    }
    const fils = new Map<string, Set<string>>();
    await pool([...new Set(missing.map((m) => m.reader))], 6, async (reader) => {
      fils.set(reader, new Set((await listAll('/api/feed', as(reader))).ids));
    });
    missing = missing.filter((m) => !fils.get(m.reader)?.has(m.postId));
    if (pending.length === 0 && missing.length === 0) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(
    `fan-out not done within ${timeoutMs} ms: ${pending.length} tasks pending, missing fil entries ${JSON.stringify(missing.slice(0, 5))}`,
  );
}

beforeAll(async () => {
  const [s, t] = await Promise.all([freshSection(), freshSection()]);
  S = s.id;
  T = t.id;
  const sectionOf = (k: 'S' | 'T' | null) => (k === 'S' ? S : k === 'T' ? T : undefined);

  const specs: PersonaSpec[] = [];
  const authorKeys: string[] = [];
  for (const block of BLOCKS) authorKeys.push(authorKey('all', block));
  authorKeys.push(authorKey('adherents', 'none'));
  for (const key of authorKeys)
    specs.push({
      key,
      firstName: 'Autrice',
      lastName: lastName(),
      membership: 'adherent',
      confirmed: true,
      section: null,
      ownSection: S,
      visibility: key.startsWith('author:all:') ? 'all' : 'adherents',
      signsIn: true,
    });
  for (const v of VIEWERS) {
    const def = matrix.viewers[v] as ViewerDef;
    const own = sectionOf(def.section);
    specs.push({
      key: viewerKey(v),
      firstName: 'Lectrice',
      lastName: lastName(),
      membership: def.membership,
      confirmed: def.confirmed,
      section: null,
      ...(own ? { ownSection: own } : {}),
      visibility: def.visibility,
      roles: { secretaryOf: def.secretary ? [S] : [] },
      signsIn: true,
    });
  }
  const coopains = VIEWERS.filter((v) => matrix.viewers[v]?.coopain).flatMap((v) =>
    authorKeys.map((a): [string, string] => [viewerKey(v), a]),
  );
  people = await seedPersonas(specs, { coopains });

  // The group: on request, so that a request can stay pending; every author is an active member.
  const creator = authorKey('all', 'none');
  const group = await must(
    api('/api/groups', {
      token: as(creator),
      body: { name: `Atelier ${run}`, joinPolicy: 'request', visibility: 'all' },
    }),
    201,
    'group creation',
  );
  G = String(group.body.id);
  const joiners = [
    ...authorKeys.filter((a) => a !== creator).map((key) => ({ key, approve: true })),
    ...VIEWERS.filter((v) => matrix.viewers[v]?.group).map((v) => ({
      key: viewerKey(v),
      approve: matrix.viewers[v]?.group === 'active',
    })),
  ];
  await pool(joiners, 4, async ({ key, approve }) => {
    await must(api(`/api/groups/${G}/membership`, { method: 'POST', token: as(key) }), 200, `${key} joins`);
    if (approve)
      await must(
        api(`/api/groups/${G}/members/${p(key).id}/approve`, { method: 'POST', token: as(creator) }),
        204,
        `${key} approved`,
      );
  });

  const block = (blocker: string, blocked: string) =>
    must(
      api(`/api/me/blocks/${p(blocked).id}`, { method: 'PUT', token: as(blocker) }),
      204,
      `${blocker} blocks ${blocked}`,
    );
  const blocksOf = (state: Block): [string, string][] =>
    VIEWERS.map((v) =>
      state.startsWith('viewer_blocks')
        ? [viewerKey(v), authorKey('all', state)]
        : [authorKey('all', state), viewerKey(v)],
    );
  await pool([...blocksOf('viewer_blocks'), ...blocksOf('author_blocks')], 4, ([a, b]) => block(a, b));

  startedAt = new Date(Date.now() - 5_000).toISOString();
  const toPublish = authorKeys.flatMap((a) =>
    (a.startsWith('author:all:') ? AUDIENCES : ADHERENTS_AUDIENCES).map((audience) => ({ a, audience })),
  );
  await pool(toPublish, 4, async ({ a, audience }) => {
    const res = await publish(a, audience);
    published.set(postKey(a, audience), res);
    if (res.status !== 201)
      throw new Error(`${a} publishes to ${audience}: ${res.status} ${JSON.stringify(res.body)}`);
    posts.set(postKey(a, audience), res.body.id);
  });

  const fannedOut = [...posts.entries()]
    .filter(([k]) => !k.endsWith('|all') && !k.endsWith('|adherents'))
    .map(([, id]) => id);
  await waitForFanOut(fannedOut, 45_000);
  // The "after" blocks: the timeline entries exist; reads must drop them.
  await pool([...blocksOf('viewer_blocks_after'), ...blocksOf('author_blocks_after')], 4, ([a, b]) =>
    block(a, b),
  );

  const readers = [...VIEWERS.map(viewerKey), authorKey('all', 'none'), authorKey('adherents', 'none')];
  const unknown = ulid();
  await pool(readers, 4, async (key) => {
    lists.set(key, await loadLists(key));
    unknownRead.set(key, await api(`/api/posts/${unknown}`, { token: as(key) }));
    unknownComment.set(
      key,
      await api(`/api/posts/${unknown}/comments`, { token: as(key), body: { body: 'Un avis.' } }),
    );
    unknownPrivatePage.set(key, await api(`/api/sections/${ulid()}/posts?page=private`, { token: as(key) }));
  });

  await pool(matrix.cells, 6, async (c) => {
    reads.set(
      c,
      await api(`/api/posts/${posts.get(postKey(cellAuthor(c), c.audience))}`, { token: as(cellViewer(c)) }),
    );
  });
  // Comments: a post's one after the other (they all update its comment count).
  const byPost = new Map<string, Cell[]>();
  for (const c of matrix.cells) {
    const k = postKey(cellAuthor(c), c.audience);
    byPost.set(k, [...(byPost.get(k) ?? []), c]);
  }
  await pool([...byPost.entries()], 6, async ([k, cells]) => {
    for (const c of cells)
      comments.set(
        c,
        await api(`/api/posts/${posts.get(k)}/comments`, {
          token: as(cellViewer(c)),
          body: { body: `Avis de ${c.viewer}.` },
        }),
      );
  });

  for (const cell of matrix.publishCells) {
    const key = publisherKey(cell.publisher);
    if (!published.has(postKey(key, cell.audience)))
      published.set(postKey(key, cell.audience), await publish(key, cell.audience));
  }
}, 120_000);

describe('content policy matrix through the real API (test/fixtures/content-matrix.json)', () => {
  it('has at least 150 cells covering every audience, viewer role and block state, each with its rule', () => {
    expect(matrix.cells.length).toBeGreaterThanOrEqual(150);
    const distinct = (f: (c: Cell) => string) => new Set(matrix.cells.map(f));
    expect(distinct((c) => c.audience)).toEqual(new Set(AUDIENCES));
    expect(distinct((c) => c.viewer)).toEqual(new Set(['self', ...VIEWERS]));
    expect(distinct((c) => c.block)).toEqual(new Set(BLOCKS));
    for (const c of matrix.cells) expect(c.rule, JSON.stringify(c)).toBeTruthy();
    for (const c of matrix.publishCells) expect(c.rule, JSON.stringify(c)).toBeTruthy();
  });

  it.each(
    matrix.cells.map(
      (c) =>
        [
          `${c.author}-author ${c.audience} × ${c.viewer} × ${c.block}: read ${c.read}, fil ${c.fil}, list ${c.list}, comment ${c.comment}`,
          c,
        ] as const,
    ),
  )('%s', (_title, c) => {
    const viewer = cellViewer(c);
    const postId = posts.get(postKey(cellAuthor(c), c.audience));
    const why = `${c.rule} (viewer ${viewer}, author ${cellAuthor(c)}, post ${postId})`;

    const read = reads.get(c) as ApiResponse<{ post?: PostView }>;
    expect(read.status, `read — ${why}`).toBe(c.read);
    if (c.read === 200)
      expect(read.body.post, why).toMatchObject({ id: postId, author: { id: p(cellAuthor(c)).id } });
    // A post one may not read answers exactly like an unknown id: same status, code and message.
    else expect(read.body, `read refusal is neutral — ${why}`).toEqual(unknownRead.get(viewer)?.body);

    const l = lists.get(viewer) as Lists;
    expect(l.fil.has(postId as string), `le fil — ${why}`).toBe(c.fil);
    const place =
      c.audience === 'all' || c.audience === 'adherents'
        ? l.party
        : c.audience === 'section-public'
          ? l.sectionPublic
          : c.audience === 'section-private'
            ? l.sectionPrivate.ids
            : c.audience === 'group'
              ? l.group
              : null;
    expect(place ? place.has(postId as string) : null, `list — ${why}`).toBe(c.list);
    if (c.audience === 'section-private' && l.sectionPrivate.status !== 200)
      expect(
        { status: l.sectionPrivate.status, body: l.sectionPrivate.body },
        `private page refusal is neutral — ${why}`,
      ).toEqual({
        status: unknownPrivatePage.get(viewer)?.status,
        body: unknownPrivatePage.get(viewer)?.body,
      });

    const comment = comments.get(c) as ApiResponse<{ error?: { code: string } }>;
    expect(comment.status, `comment — ${why}`).toBe(c.comment);
    if (c.comment === 404)
      expect(comment.body, `comment refusal is neutral — ${why}`).toEqual(unknownComment.get(viewer)?.body);
  });

  it.each(
    matrix.publishCells.map(
      (c) =>
        [`${c.publisher} publishes to ${c.audience}: ${c.status}${c.code ? ` ${c.code}` : ''}`, c] as const,
    ),
  )('%s', (_title, c) => {
    const res = published.get(postKey(publisherKey(c.publisher), c.audience));
    expect(res?.status, c.rule).toBe(c.status);
    if (c.code) expect(res?.body.error?.code, c.rule).toBe(c.code);
    else if (c.status === 403) expect(res?.body.error?.code, c.rule).toMatch(/^post\./);
  });
});
