import { readFileSync } from 'node:fs';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { transact } from '../../shared/data/client.ts';
import { newConversationWrites } from '../../shared/data/conversations.ts';
import type { Membership, Visibility } from '../../shared/data/members.ts';
import { type ApiResponse, api } from '../support/api.ts';
import {
  directoryAll,
  letterCode,
  letters,
  type Persona,
  type PersonaSpec,
  persona,
  type SectionKey,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/**
 * The relationship-state authorization matrix run through the real API on the emulators: every cell
 * of test/fixtures/relationship-matrix.json — viewer kind × target visibility × relationship state ×
 * action (profile, directory, message in an existing or a new conversation, invitation) — with the
 * expected answers derived by hand from SPEC §2–§3 (never from shared/auth/policy.ts).
 */

type State =
  | 'none'
  | 'invited_by_me'
  | 'invited_me'
  | 'coopains'
  | 'removed_by_me'
  | 'removed_by_them'
  | 'blocked_by_me'
  | 'blocks_me';
type Action = 'view' | 'directory' | 'message_existing' | 'message_new' | 'invite';

interface Cell {
  viewer: string;
  visibility: Visibility;
  state: State;
  action: Action;
  /** HTTP status for the calls, listed or not for `directory`. */
  expected: number | boolean;
  /** The error code an `invite` refusal carries. */
  code?: string;
  rule: string;
  knownBug?: string;
}

interface ViewerDef {
  description: string;
  membership: Membership;
  confirmed: boolean;
  section: SectionKey;
  visibility: Visibility;
}

interface NeutralAnswer {
  status: number;
  error: { code: string; message: string };
}

interface Matrix {
  sections: Record<string, string>;
  targetSection: SectionKey;
  neutral: { notFound: NeutralAnswer; cannotWrite: NeutralAnswer };
  viewers: Record<string, ViewerDef>;
  states: Record<State, string>;
  cells: Cell[];
}

const matrix = JSON.parse(
  readFileSync(new URL('../fixtures/relationship-matrix.json', import.meta.url), 'utf8'),
) as Matrix;

const STATES: State[] = [
  'none',
  'invited_by_me',
  'invited_me',
  'coopains',
  'removed_by_me',
  'removed_by_them',
  'blocked_by_me',
  'blocks_me',
];
/**
 * The order the cells run in: reads first, then the conversation that exists already (pair B),
 * then the first message and the invitation on pair A — none of them can change a later answer.
 */
const ACTIONS: Action[] = ['view', 'directory', 'message_existing', 'message_new', 'invite'];

/** States made of an invitation or a coopain link: T starts at `all`, then lowers their visibility. */
const BUILT_AT_ALL = new Set<State>([
  'invited_by_me',
  'invited_me',
  'coopains',
  'removed_by_me',
  'removed_by_them',
]);
/** States in which T acts through the API (invites, removes, blocks), so T signs in. */
const TARGET_ACTS = new Set<State>([
  'invited_me',
  'coopains',
  'removed_by_me',
  'removed_by_them',
  'blocks_me',
]);

/** Last names are `Zy` + a run token + a fixed-width code: unique and prefix-free. */
const runToken = letters(5);
let serial = 0;
const lastName = () => `Zy${runToken}${letterCode(serial++)}`;

const groupKey = (c: Pick<Cell, 'viewer' | 'visibility' | 'state'>) =>
  `${c.viewer}:${c.visibility}:${c.state}`;
const viewerKey = (group: string) => `viewer:${group}`;
const targetKey = (group: string, pair: 'A' | 'B') => `target:${group}:${pair}`;

interface Group {
  key: string;
  viewer: string;
  visibility: Visibility;
  state: State;
}

const groups = new Map<string, Group>();
for (const c of matrix.cells)
  groups.set(groupKey(c), { key: groupKey(c), viewer: c.viewer, visibility: c.visibility, state: c.state });

/** The conversation seeded for pair B of each group. */
const conversations = new Map<string, string>();
let personas: Map<string, Persona>;
/** Answers for an id nobody has: what every refusal must look like. */
let unknown: { profile: ApiResponse; invite: ApiResponse; message: ApiResponse };

const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/;
const seenBodies: string[] = [];

/** Every API answer of this file goes through here: none may contain an email address. */
async function call<T = Record<string, unknown>>(
  path: string,
  opts: Parameters<typeof api>[1] = {},
): Promise<ApiResponse<T>> {
  const res = await api<T>(path, opts);
  const text = JSON.stringify(res.body);
  seenBodies.push(text);
  expect(text, `${opts.method ?? 'GET'} ${path} leaks an email address`).not.toMatch(EMAIL);
  return res;
}

/** A setup call that must succeed with this status. */
async function step(label: string, status: number, path: string, opts: Parameters<typeof api>[1]) {
  const res = await call(path, opts);
  if (res.status !== status)
    throw new Error(`setup ${label}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
}

async function inChunks<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

/** Builds the relationship state of one pair through the real API (see the fixture's $comment). */
async function buildPair(group: Group, pair: 'A' | 'B'): Promise<void> {
  const v = persona(personas, viewerKey(group.key));
  const t = persona(personas, targetKey(group.key, pair));
  const vt = { token: tokenOf(v) };
  const state = group.state;

  if (pair === 'B') {
    // An existing conversation: T wrote to V first (seeded like the personas' other items).
    const conversationId = ulid();
    const at = new Date().toISOString();
    await transact(
      newConversationWrites(
        conversationId,
        { id: ulid(), conversationId, authorId: t.id, text: 'Bonjour, on se voit jeudi ?', at },
        v.id,
      ),
    );
    conversations.set(group.key, conversationId);
  }

  if (state === 'invited_by_me')
    await step('V invites T', 201, `/api/members/${t.id}/invitation`, { method: 'POST', ...vt });
  if (state === 'invited_me' || state === 'coopains' || state.startsWith('removed_'))
    await step('T invites V', 201, `/api/members/${v.id}/invitation`, { method: 'POST', token: tokenOf(t) });
  if (state === 'coopains' || state.startsWith('removed_'))
    await step('V accepts', 204, `/api/me/invitations/${t.id}/accept`, { method: 'POST', ...vt });

  if (BUILT_AT_ALL.has(state) && group.visibility !== 'all')
    await step(`T lowers to ${group.visibility}`, 200, '/api/me', {
      method: 'PUT',
      token: tokenOf(t),
      body: { firstName: t.firstName, lastName: t.lastName, visibility: group.visibility },
    });

  if (state === 'removed_by_me')
    await step('V removes T', 204, `/api/me/coopains/${t.id}`, { method: 'DELETE', ...vt });
  if (state === 'removed_by_them')
    await step('T removes V', 204, `/api/me/coopains/${v.id}`, { method: 'DELETE', token: tokenOf(t) });
  if (state === 'blocked_by_me')
    await step('V blocks T', 204, `/api/me/blocks/${t.id}`, { method: 'PUT', ...vt });
  if (state === 'blocks_me')
    await step('T blocks V', 204, `/api/me/blocks/${v.id}`, { method: 'PUT', token: tokenOf(t) });
}

beforeAll(async () => {
  const specs: PersonaSpec[] = [];
  for (const g of groups.values()) {
    const def = matrix.viewers[g.viewer];
    if (!def) throw new Error(`unknown viewer ${g.viewer} in the matrix`);
    specs.push({
      key: viewerKey(g.key),
      firstName: 'Lectrice',
      lastName: lastName(),
      membership: def.membership,
      confirmed: def.confirmed,
      section: def.section,
      visibility: def.visibility,
      signsIn: true,
    });
    for (const pair of ['A', 'B'] as const)
      specs.push({
        key: targetKey(g.key, pair),
        firstName: 'Cible',
        lastName: lastName(),
        membership: 'adherent',
        confirmed: true,
        section: matrix.targetSection,
        visibility: BUILT_AT_ALL.has(g.state) ? 'all' : g.visibility,
        signsIn: TARGET_ACTS.has(g.state) || (BUILT_AT_ALL.has(g.state) && g.visibility !== 'all'),
      });
  }
  personas = await seedPersonas(specs);

  // Each group has its own viewer and targets: groups build in parallel, a group's pairs in turn
  // (two blocks by one viewer update the same block-list item).
  await inChunks([...groups.values()], 8, async (g) => {
    await buildPair(g, 'A');
    await buildPair(g, 'B');
  });

  const someone = tokenOf(persona(personas, viewerKey([...groups.keys()][0] ?? '')));
  const nobody = ulid();
  unknown = {
    profile: await call(`/api/members/${nobody}`, { token: someone }),
    invite: await call(`/api/members/${nobody}/invitation`, { method: 'POST', token: someone }),
    message: await call(`/api/members/${nobody}/messages`, { token: someone, body: { text: 'Allô ?' } }),
  };
}, 120_000);

function expectNeutral(res: ApiResponse, reference: ApiResponse, neutral: NeutralAnswer, why: string) {
  expect(res.status, why).toBe(neutral.status);
  expect(res.body, `neutral body — ${why}`).toEqual({ error: neutral.error });
  expect(res.body, `same as for an unknown id — ${why}`).toEqual(reference.body);
}

const ordered = [...matrix.cells].sort((a, b) => ACTIONS.indexOf(a.action) - ACTIONS.indexOf(b.action));

describe('relationship-state matrix through the real API (test/fixtures/relationship-matrix.json)', () => {
  it('has at least 120 cells covering every state, action, visibility and viewer kind', () => {
    expect(matrix.cells.length).toBeGreaterThanOrEqual(120);
    const distinct = (f: (c: Cell) => string) => new Set(matrix.cells.map(f));
    expect(distinct((c) => c.state)).toEqual(new Set(STATES));
    expect(distinct((c) => c.action)).toEqual(new Set(ACTIONS));
    expect(distinct((c) => c.visibility)).toEqual(new Set(['all', 'adherents', 'section']));
    expect(distinct((c) => c.viewer)).toEqual(new Set(Object.keys(matrix.viewers)));
    expect(distinct((c) => `${groupKey(c)}:${c.action}`).size).toBe(matrix.cells.length);
    // Every group answers all five actions.
    for (const g of groups.values())
      expect(
        matrix.cells
          .filter((c) => groupKey(c) === g.key)
          .map((c) => c.action)
          .sort(),
      ).toEqual([...ACTIONS].sort());
    for (const cell of matrix.cells) expect(cell.rule, JSON.stringify(cell)).toBeTruthy();
  });

  it('answers an unknown id with the neutral refusals', () => {
    expect(unknown.profile).toMatchObject({ status: 404, body: { error: matrix.neutral.notFound.error } });
    expect(unknown.invite).toMatchObject({ status: 404, body: { error: matrix.neutral.notFound.error } });
    expect(unknown.message).toMatchObject({ status: 403, body: { error: matrix.neutral.cannotWrite.error } });
  });

  it.each(
    ordered.map(
      (cell) =>
        [
          `${cell.viewer} → ${cell.visibility}, ${cell.state}: ${cell.action} ${String(cell.expected)}${cell.code ? ` ${cell.code}` : ''}`,
          cell,
        ] as const,
    ),
  )('%s', async (_title, cell) => {
    const group = groupKey(cell);
    const viewer = persona(personas, viewerKey(group));
    const target = persona(personas, targetKey(group, cell.action === 'message_existing' ? 'B' : 'A'));
    const token = tokenOf(viewer);
    const why = `${cell.rule} (viewer ${viewer.key}, target ${target.key})${cell.knownBug ? ` — known bug: ${cell.knownBug}` : ''}`;

    switch (cell.action) {
      case 'view': {
        const res = await call<{ member: Record<string, unknown> }>(`/api/members/${target.id}`, { token });
        if (cell.expected === 200) {
          expect(res.status, why).toBe(200);
          expect(res.body.member, why).toMatchObject({
            id: target.id,
            membership: 'adherent',
            relation: cell.state === 'coopains' ? 'coopain' : null,
          });
          expect(
            Object.keys(res.body.member).filter((k) =>
              /^(visibility|email|phone|postalAddress|contact)$/.test(k),
            ),
          ).toEqual([]);
        } else expectNeutral(res, unknown.profile, matrix.neutral.notFound, why);
        break;
      }
      case 'directory': {
        const cards = await directoryAll(token, { q: target.lastName });
        seenBodies.push(JSON.stringify(cards));
        expect(JSON.stringify(cards)).not.toMatch(EMAIL);
        const listed = cards.map((c) => c.id);
        expect(listed.includes(target.id), why).toBe(cell.expected);
        // The query is the target's full, prefix-free last name: nobody else may come back.
        expect(listed.filter((id) => id !== target.id)).toEqual([]);
        break;
      }
      case 'message_existing':
      case 'message_new': {
        const conversationId = conversations.get(group);
        const res = await call<{ conversationId: string }>(`/api/members/${target.id}/messages`, {
          token,
          body: { text: 'Bonjour, un mot pour la réunion de section.' },
        });
        if (cell.expected === 201) {
          expect(res.status, why).toBe(201);
          if (cell.action === 'message_existing') expect(res.body.conversationId, why).toBe(conversationId);
          else expect(res.body.conversationId, why).not.toBe(conversationId);
        } else expectNeutral(res, unknown.message, matrix.neutral.cannotWrite, why);
        if (cell.action === 'message_existing') {
          // The history stays, whatever the answer; a refused message added nothing to it.
          const thread = await call<{ items: { mine: boolean }[] }>(
            `/api/conversations/${conversationId}/messages`,
            { token },
          );
          expect(thread.status, why).toBe(200);
          expect(thread.body.items.map((m) => m.mine)).toEqual(
            cell.expected === 201 ? [true, false] : [false],
          );
        }
        break;
      }
      case 'invite': {
        const res = await call(`/api/members/${target.id}/invitation`, { method: 'POST', token });
        if (cell.expected === 404) expectNeutral(res, unknown.invite, matrix.neutral.notFound, why);
        else {
          expect(res.status, why).toBe(cell.expected);
          if (cell.code) expect(res.body, why).toMatchObject({ error: { code: cell.code } });
          else expect(res.body, why).toEqual({ status: 'invited' });
        }
        break;
      }
    }
  });

  it('never sent an email address in any answer', () => {
    for (const p of personas.values()) expect(seenBodies.join('\n')).not.toContain(p.email);
  });
});
