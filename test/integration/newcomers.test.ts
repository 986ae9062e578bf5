import { beforeAll, describe, expect, it } from 'vitest';
import { transact } from '../../shared/data/client.ts';
import { newcomerPut } from '../../shared/data/newcomers.ts';
import { moveNewcomerStep, NEWCOMER_MOVE_TASK } from '../../shared/domain/secretariat/newcomers.ts';
import { api, getItem, setState } from '../support/api.ts';
import { answerAs, createEventAs, eventBody, eventually } from '../support/events.ts';
import { firstSlot, newMission, signUpTo } from '../support/missions.ts';
import {
  freshSection,
  letters,
  type Persona,
  type PersonaSpec,
  persona,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/**
 * « Nouveaux membres à accueillir » (issue 11, charter §4): members who joined in the last 30
 * days and did nothing yet (no coopain, post, event answer or mission sign-up), by section, for
 * the coopilotes and for each section's secretary. A hidden (`section`-level) newcomer shows to
 * their own secretary only.
 */

interface Card {
  id: string;
  firstName: string;
  lastName: string;
  membership: string;
  joinedAt: string;
}
interface NewcomersView {
  sectionId: string | null;
  since: string;
  groups: { section: { id: string; name: string } | null; members: Card[] }[];
  more: boolean;
}

let section: { id: string; name: string };
let other: { id: string; name: string };
let people: Map<string, Persona>;
const p = (key: string) => persona(people, key);

async function newcomers(who: string, query = '') {
  return api<NewcomersView>(`/api/newcomers${query}`, { token: tokenOf(p(who)) });
}

/** The ids listed for the fresh section, checked to be grouped under it. */
async function listedIn(who: string, sectionId: string): Promise<string[]> {
  const res = await newcomers(who, `?section=${sectionId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.sectionId).toBe(sectionId);
  for (const g of res.body.groups) expect(g.section?.id).toBe(sectionId);
  return res.body.groups.flatMap((g) => g.members.map((m) => m.id)).sort();
}

const ids = (...keys: string[]) => keys.map((k) => p(k).id).sort();

const tag = letters(6);
/** A newcomer of the fresh section (visible to all unless said otherwise). */
const inSection = (key: string, extra: Partial<PersonaSpec> = {}): PersonaSpec => ({
  key,
  firstName: 'Nouveau',
  lastName: `Zn${tag}${key.replace(/[^a-z]/gi, '').toLowerCase()}`,
  membership: 'adherent',
  confirmed: true,
  section: null,
  ownSection: section.id,
  visibility: 'all',
  ...extra,
});

beforeAll(async () => {
  section = await freshSection();
  other = await freshSection();
  people = await seedPersonas(
    [
      inSection('secretary', {
        roles: { secretaryOf: [section.id] },
        visibility: 'adherents',
        signsIn: true,
      }),
      inSection('visibleToAll'),
      inSection('adherentsOnly', { visibility: 'adherents' }),
      inSection('hidden', { visibility: 'section' }),
      inSection('pendingClaim', { confirmed: false, visibility: 'adherents' }),
      inSection('blocksCoopilote'),
      inSection('suspended'),
      inSection('old'),
      inSection('makesCoopain', { signsIn: true }),
      inSection('posts', { signsIn: true }),
      inSection('answers', { signsIn: true }),
      inSection('volunteers', { signsIn: true }),
      // Elsewhere: a coopilote, another section's secretary, a plain member, an inviter.
      inSection('coopilote', { ownSection: other.id, roles: { coopilote: true }, signsIn: true }),
      inSection('otherSecretary', {
        ownSection: other.id,
        roles: { secretaryOf: [other.id] },
        signsIn: true,
      }),
      inSection('plain', { ownSection: other.id, signsIn: true }),
      inSection('inviter', { ownSection: other.id, signsIn: true }),
    ],
    { blocks: [['blocksCoopilote', 'coopilote']] },
  );
  await setState(p('suspended').id, 'suspended');
  // Joined 40 days ago: the marker is still there (the TTL is lazy), the list leaves it out.
  const old = p('old');
  const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000).toISOString();
  await transact([newcomerPut({ id: old.id, createdAt: longAgo, sectionId: section.id })]);
}, 120_000);

describe('newcomers to welcome', () => {
  it('lists a section’s newcomers to its secretary, hidden ones included, without contact details', async () => {
    expect((await getItem(`MEMBER#${p('old').id}`, 'NEWCOMER'))?.joinedAt).toMatch(/^\d{4}-/);
    const listed = await listedIn('secretary', section.id);
    expect(listed).toEqual(
      ids(
        'visibleToAll',
        'adherentsOnly',
        'hidden',
        'pendingClaim',
        'blocksCoopilote',
        'makesCoopain',
        'posts',
        'answers',
        'volunteers',
      ),
    );
    const res = await newcomers('secretary', `?section=${section.id}`);
    const group = res.body.groups[0];
    expect(group?.section).toEqual(section);
    const cards = group?.members ?? [];
    for (const card of cards) expect(Object.keys(card).sort()).toEqual(Object.keys(cards[0] ?? {}).sort());
    expect(Object.keys(cards[0] ?? {}).sort()).toEqual([
      'firstName',
      'id',
      'joinedAt',
      'lastName',
      'membership',
    ]);
    expect(cards.find((c) => c.id === p('pendingClaim').id)?.membership).toBe('sympathisant');
    expect(cards.find((c) => c.id === p('hidden').id)?.membership).toBe('adherent');
    // Newest first.
    const times = cards.map((c) => c.joinedAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(res.body.more).toBe(false);
    expect(Date.now() - Date.parse(res.body.since)).toBeGreaterThan(30 * 24 * 3600 * 1000 - 60_000);
    // Without `section`, a secretary gets their own section.
    const own = await newcomers('secretary');
    expect(own.status).toBe(200);
    expect(own.body.sectionId).toBe(section.id);
  });

  it('shows a coopilote the newcomers the visibility rule shows them: never a hidden one of another section, nor one who blocks them', async () => {
    expect(await listedIn('coopilote', section.id)).toEqual(
      ids(
        'secretary',
        'visibleToAll',
        'adherentsOnly',
        'pendingClaim',
        'makesCoopain',
        'posts',
        'answers',
        'volunteers',
      ),
    );
  });

  it('lists the whole party for a coopilote, by section, never a hidden newcomer of another section', async () => {
    // A newcomer joining just now is among the newest, whatever other tests seed meanwhile.
    const third = await freshSection();
    const fresh = await seedPersonas([
      {
        key: 'fresh',
        firstName: 'Tout',
        lastName: `Zfresh${letters(6)}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        ownSection: third.id,
        visibility: 'adherents',
      },
      {
        key: 'freshHidden',
        firstName: 'Tout',
        lastName: `Zhid${letters(6)}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        ownSection: third.id,
        visibility: 'section',
      },
    ]);
    const res = await newcomers('coopilote');
    expect(res.status).toBe(200);
    expect(res.body.sectionId).toBeNull();
    const all = res.body.groups.flatMap((g) => g.members.map((m) => ({ ...m, sectionId: g.section?.id })));
    expect(all.find((m) => m.id === persona(fresh, 'fresh').id)?.sectionId).toBe(third.id);
    expect(all.map((m) => m.id)).not.toContain(persona(fresh, 'freshHidden').id);
    expect(all.map((m) => m.id)).not.toContain(p('hidden').id);
    expect(all.map((m) => m.id)).not.toContain(p('coopilote').id);
    // Each section once, in name order; members newest first.
    const names = res.body.groups.map((g) => g.section?.name ?? '\uffff');
    expect(new Set(names).size).toBe(names.length);
    for (const g of res.body.groups) {
      const times = g.members.map((m) => m.joinedAt);
      expect(times).toEqual([...times].sort().reverse());
    }
  });

  it('refuses anyone else: a plain member, another section’s secretary (404 for that section)', async () => {
    const plain = await newcomers('plain');
    expect(plain.status).toBe(404);
    expect((plain.body as unknown as { error: { code: string } }).error.code).toBe('moderation.not_found');
    expect((await newcomers('plain', `?section=${section.id}`)).status).toBe(404);

    const elsewhere = await newcomers('otherSecretary', `?section=${section.id}`);
    expect(elsewhere.status).toBe(404);
    expect((elsewhere.body as unknown as { error: { code: string } }).error.code).toBe('section.not_found');
    // Their own section answers (the plain member and the inviter are newcomers there).
    expect(await listedIn('otherSecretary', other.id)).toEqual(ids('coopilote', 'plain', 'inviter'));
  });

  it('drops a newcomer at their first coopain, post, event answer or mission sign-up', async () => {
    const invited = await api(`/api/members/${p('makesCoopain').id}/invitation`, {
      method: 'POST',
      token: tokenOf(p('inviter')),
    });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const accepted = await api(`/api/me/invitations/${p('inviter').id}/accept`, {
      method: 'POST',
      token: tokenOf(p('makesCoopain')),
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBeLessThan(300);

    const posted = await api('/api/posts', {
      token: tokenOf(p('posts')),
      body: { audience: { kind: 'adherents' }, body: 'Bonjour à toutes et à tous !' },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);

    const event = await createEventAs(
      tokenOf(p('secretary')),
      eventBody({ kind: 'section-private', sectionId: section.id }),
    );
    await answerAs(tokenOf(p('answers')), event, 'maybe');

    const mission = await newMission(
      { key: 'secretary', token: tokenOf(p('secretary')) },
      { audience: { kind: 'section-private', sectionId: section.id } },
    );
    await signUpTo({ key: 'volunteers', token: tokenOf(p('volunteers')) }, mission.id, firstSlot(mission));

    expect(await listedIn('secretary', section.id)).toEqual(
      ids('visibleToAll', 'adherentsOnly', 'hidden', 'pendingClaim', 'blocksCoopilote'),
    );
    // The inviter made a coopain too.
    expect(await listedIn('otherSecretary', other.id)).toEqual(ids('coopilote', 'plain'));
    for (const key of ['makesCoopain', 'inviter', 'posts', 'answers', 'volunteers'])
      expect(await getItem(`MEMBER#${p(key).id}`, 'NEWCOMER'), key).toBeUndefined();
    // The organiser who created the event and the mission is still a newcomer (no list names them).
    expect(await getItem(`MEMBER#${p('secretary').id}`, 'NEWCOMER')).toBeDefined();
  });

  it('follows a newcomer to their new section, and never brings back one who already acted', async () => {
    const movers = await seedPersonas([inSection('mover', { signsIn: true })]);
    const mover = persona(movers, 'mover');
    expect(await listedIn('secretary', section.id)).toContain(mover.id);

    const moveTo = async (who: Persona, sectionId: string) => {
      const res = await api('/api/me/section', { method: 'PUT', token: tokenOf(who), body: { sectionId } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    await moveTo(mover, other.id);
    // The old section's list leaves them out at once; the new one lists them once the task queued
    // with the change has moved the marker.
    expect(await listedIn('secretary', section.id)).not.toContain(mover.id);
    await eventually(
      async () => (await listedIn('otherSecretary', other.id)).includes(mover.id),
      'the newcomer listed in the new section',
    );
    expect(await getItem(`MEMBER#${mover.id}`, 'NEWCOMER')).toMatchObject({
      sectionId: other.id,
      gsi2pk: `NEWCOMERS#S#${other.id}`,
    });

    // The member who posted already left the list: moving does not put them back on either (the
    // task is run in-process here, so that its effect is checked, not merely awaited).
    await moveTo(p('posts'), other.id);
    await moveNewcomerStep({
      id: 'test',
      kind: NEWCOMER_MOVE_TASK,
      payload: { memberId: p('posts').id },
      dueAt: new Date().toISOString(),
      attempts: 0,
      version: 0,
    });
    expect(await getItem(`MEMBER#${p('posts').id}`, 'NEWCOMER')).toBeUndefined();
    expect(await listedIn('otherSecretary', other.id)).not.toContain(p('posts').id);
  });
});
