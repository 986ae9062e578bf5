import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, api, getItem, setState } from '../support/api.ts';
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
 * Reads and lists agree (content issue): for every viewer, a post is readable one by one
 * (GET /api/posts/{id}) exactly when it appears in some list the viewer can load — le fil, an author's posts, the
 * party feed, the section pages, the group pages, every page of each (cursors followed).
 *
 * The world mixes every audience with the states that make lists and reads drift apart if they
 * are not checked the same way: blocks made before and after the fan-out, an unblock, a post
 * deleted, an author who lowers their visibility to `section`, a suspended author, a member who
 * leaves a group, a secretary who lives in another section, a dormant coopain link (a member at
 * `section`) later woken up, and a coopain link made after the coopains post was fanned out.
 */

interface PostView {
  id: string;
  createdAt: string;
}
interface Page {
  items: PostView[];
  cursor: string | null;
}

type Audience =
  | { kind: 'all' | 'adherents' | 'coopains' }
  | { kind: 'section-public' | 'section-private'; sectionId: string }
  | { kind: 'group'; groupId: string };

const run = letters(5);
let serial = 0;

let S: string;
let T: string;
let G1: string;
let G2: string;
let people: Map<string, Persona>;
let since: string;
/** Every post of this world (including one deleted), by id, with a label for the messages. */
const ours = new Map<string, string>();

const p = (key: string) => persona(people, key);
const as = (key: string) => tokenOf(p(key));

/** Every item of a paginated list; `status` is the first page's (404: a page the viewer may not load). */
async function listAll(
  path: string,
  token: string,
  stopBefore?: string,
): Promise<{ status: number; ids: string[] }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 200; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res: ApiResponse<Page> = await api<Page>(
      cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path,
      { token },
    );
    if (res.status !== 200) {
      if (page === 0) return { status: res.status, ids };
      throw new Error(`${path} page ${page}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    ids.push(...res.body.items.map((i) => i.id));
    cursor = res.body.cursor;
    const last = res.body.items.at(-1);
    // The party feed holds every other test file's posts too: ours are all newer than `since`.
    if (!cursor || (stopBefore && last && last.createdAt < stopBefore)) return { status: 200, ids };
  }
  throw new Error(`${path}: more than 200 pages`);
}

async function must(res: Promise<ApiResponse>, ok: (status: number) => boolean, what: string) {
  const out = await res;
  if (!ok(out.status)) throw new Error(`${what}: ${out.status} ${JSON.stringify(out.body)}`);
  return out;
}
const is = (n: number) => (s: number) => s === n;

const spec = (key: string, extra: Partial<PersonaSpec>): PersonaSpec => ({
  key,
  firstName: 'Camille',
  lastName: `Zz${run}${letterCode(serial++)}`,
  membership: 'adherent',
  confirmed: true,
  section: null,
  visibility: 'adherents',
  signsIn: true,
  ...extra,
});

/** Who reads at the end (the suspended author cannot call the API any more). */
const VIEWERS = [
  'adh_all',
  'adh_quiet',
  'mjs',
  'symp_s',
  'symp_none',
  'unconfirmed',
  'hidden',
  'secretary_elsewhere',
  'coopain',
  'lowering',
  'leaver',
  'unblocker',
  'late_coopain',
  'riser',
];

beforeAll(async () => {
  const [s, t] = await Promise.all([freshSection(), freshSection()]);
  S = s.id;
  T = t.id;
  people = await seedPersonas(
    [
      spec('adh_all', { ownSection: S, visibility: 'all' }),
      spec('adh_quiet', { ownSection: S }),
      spec('mjs', { membership: 'mjs', ownSection: T, visibility: 'all' }),
      spec('symp_s', { membership: 'sympathisant', confirmed: false, ownSection: S, visibility: 'all' }),
      spec('symp_none', { membership: 'sympathisant', confirmed: false, visibility: 'all' }),
      spec('unconfirmed', { confirmed: false, ownSection: S }),
      spec('hidden', { ownSection: S, visibility: 'section' }),
      spec('secretary_elsewhere', { ownSection: T, roles: { secretaryOf: [S] } }),
      spec('coopain', { membership: 'sympathisant', confirmed: false, ownSection: T }),
      spec('lowering', { ownSection: S, visibility: 'all' }),
      spec('suspended', { ownSection: S, visibility: 'all' }),
      spec('leaver', { ownSection: T }),
      spec('unblocker', { membership: 'sympathisant', confirmed: false, ownSection: S, visibility: 'all' }),
      spec('late_coopain', {
        membership: 'sympathisant',
        confirmed: false,
        ownSection: T,
        visibility: 'all',
      }),
      spec('riser', { ownSection: S, visibility: 'section' }),
    ],
    {
      coopains: [
        ['coopain', 'adh_all'],
        ['coopain', 'adh_quiet'],
        ['coopain', 'lowering'],
        // Dormant while `hidden` and `riser` are at `section` (SPEC §2); `riser` wakes it later.
        ['hidden', 'adh_all'],
        ['riser', 'adh_all'],
      ],
    },
  );

  const group = async (owner: string, visibility: 'all' | 'adherents') =>
    String(
      (
        await must(
          api('/api/groups', {
            token: as(owner),
            body: { name: `Cercle ${run} ${visibility}`, joinPolicy: 'open', visibility },
          }),
          is(201),
          'group',
        )
      ).body.id,
    );
  G1 = await group('adh_all', 'all');
  G2 = await group('adh_quiet', 'adherents');
  const joins: [string, string][] = [
    ['adh_quiet', G1],
    ['symp_none', G1],
    ['coopain', G1],
    ['leaver', G1],
    ['lowering', G1],
    ['suspended', G1],
    ['mjs', G2],
    ['secretary_elsewhere', G2],
    ['leaver', G2],
  ];
  for (const [key, g] of joins)
    await must(
      api(`/api/groups/${g}/membership`, { method: 'POST', token: as(key) }),
      is(200),
      `${key} joins`,
    );

  const block = (a: string, b: string) =>
    must(api(`/api/me/blocks/${p(b).id}`, { method: 'PUT', token: as(a) }), is(204), `${a} blocks ${b}`);
  await block('symp_none', 'adh_quiet');
  await block('unblocker', 'adh_all');
  await block('lowering', 'symp_s');

  // Everyone tries every audience; refusals (403) are simply not posts.
  since = new Date(Date.now() - 5_000).toISOString();
  const sectionOf = (key: string) => p(key).sectionId;
  const audiencesOf = (key: string): Audience[] => {
    const own = sectionOf(key);
    return [
      { kind: 'all' },
      { kind: 'adherents' },
      { kind: 'coopains' },
      ...(own
        ? ([
            { kind: 'section-public', sectionId: own },
            { kind: 'section-private', sectionId: own },
          ] as const)
        : []),
      { kind: 'section-private', sectionId: S },
      { kind: 'group', groupId: G1 },
      { kind: 'group', groupId: G2 },
    ];
  };
  const publishers = [...VIEWERS, 'suspended'];
  const labelled = new Map<string, string>();
  await Promise.all(
    publishers.map(async (key) => {
      for (const audience of audiencesOf(key)) {
        const res = await api<PostView>('/api/posts', {
          token: as(key),
          body: { audience, body: `${key} → ${audience.kind}` },
        });
        if (res.status === 201) {
          const label = `${key}→${audience.kind}${'sectionId' in audience ? (audience.sectionId === S ? ':S' : ':T') : ''}${'groupId' in audience ? (audience.groupId === G1 ? ':G1' : ':G2') : ''}`;
          ours.set(res.body.id, label);
          labelled.set(label, res.body.id);
        } else if (res.status !== 403) throw new Error(`${key} → ${audience.kind}: ${res.status}`);
      }
    }),
  );

  // Let every fan-out finish, so that the changes below leave timeline entries behind.
  const deadline = Date.now() + 45_000;
  for (;;) {
    const pending: string[] = [];
    for (const id of ours.keys()) {
      if (await getItem('TASKS#FAILED', id)) throw new Error(`the fan-out of ${ours.get(id)} failed`);
      if (await getItem('TASKS', id)) pending.push(id);
    }
    if (pending.length === 0) break;
    if (Date.now() > deadline) throw new Error(`fan-out not done: ${pending.map((id) => ours.get(id))}`);
    await new Promise((r) => setTimeout(r, 300));
  }

  const id = (label: string) => {
    const found = labelled.get(label);
    if (!found) throw new Error(`no post ${label}: ${[...labelled.keys()].join(', ')}`);
    return found;
  };
  await must(
    api(`/api/posts/${id('adh_all→section-public:S')}`, { method: 'DELETE', token: as('adh_all') }),
    is(204),
    'delete',
  );
  const profile = (key: string, visibility: string) =>
    must(
      api('/api/me', {
        method: 'PUT',
        token: as(key),
        body: { firstName: p(key).firstName, lastName: p(key).lastName, visibility },
      }),
      is(200),
      `${key} → ${visibility}`,
    );
  await profile('lowering', 'section');
  await profile('riser', 'adherents');
  await setState(p('suspended').id, 'suspended');
  await must(
    api(`/api/groups/${G1}/membership`, { method: 'DELETE', token: as('leaver') }),
    is(204),
    'leave',
  );
  await block('adh_quiet', 'mjs');
  await must(
    api(`/api/me/blocks/${p('adh_all').id}`, { method: 'DELETE', token: as('unblocker') }),
    is(204),
    'unblock',
  );
  await must(
    api(`/api/members/${p('late_coopain').id}/invitation`, { method: 'POST', token: as('adh_all') }),
    (st) => st >= 200 && st < 300,
    'invite',
  );
  await must(
    api(`/api/me/invitations/${p('adh_all').id}/accept`, { method: 'POST', token: as('late_coopain') }),
    is(204),
    'accept',
  );
}, 120_000);

describe('reading one by one and reading lists agree', () => {
  it('built a world with every audience', () => {
    const kinds = new Set([...ours.values()].map((l) => l.split('→')[1]?.split(':')[0]));
    expect(kinds).toEqual(
      new Set(['all', 'adherents', 'coopains', 'section-public', 'section-private', 'group']),
    );
  });

  it.each(VIEWERS)(
    '%s reads by id exactly the posts of this world that some list shows them',
    async (key) => {
      const token = as(key);
      const loadable = await Promise.all([
        listAll('/api/feed', token),
        listAll('/api/feed/party', token, since),
        ...[S, T].flatMap((sid) => [
          listAll(`/api/sections/${sid}/posts?page=public`, token),
          listAll(`/api/sections/${sid}/posts?page=private`, token),
        ]),
        listAll(`/api/groups/${G1}/posts`, token),
        listAll(`/api/groups/${G2}/posts`, token),
        // Each member's own list (on their profile): a post to coopains written before two
        // members became coopains is readable, and found there.
        ...[...people.values()].map((m) => listAll(`/api/members/${m.id}/posts`, token)),
      ]);
      for (const l of loadable) expect([200, 404]).toContain(l.status);
      const listed = new Set(loadable.flatMap((l) => l.ids).filter((i) => ours.has(i)));

      const readable = new Set<string>();
      await Promise.all(
        [...ours.keys()].map(async (postId) => {
          const res = await api(`/api/posts/${postId}`, { token });
          expect([200, 404], ours.get(postId)).toContain(res.status);
          if (res.status === 200) readable.add(postId);
        }),
      );

      expect(readable.size, 'every viewer reads something here').toBeGreaterThan(0);
      const label = (ids: Iterable<string>) => [...ids].map((i) => ours.get(i)).sort();
      expect(label([...readable].filter((i) => !listed.has(i))), 'readable by id but in no list').toEqual([]);
      expect(label([...listed].filter((i) => !readable.has(i))), 'listed but not readable by id').toEqual([]);
    },
  );
});
