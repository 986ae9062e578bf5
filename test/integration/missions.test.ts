import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../shared/auth/actor.ts';
import { addDynamoMiddleware } from '../../shared/data/client.ts';
import { getMemberWithBlocks } from '../../shared/data/members.ts';
import { signUp } from '../../shared/domain/missions/missions.ts';
import { UnavailableError } from '../../shared/errors.ts';
import { api, getItem, memberItems } from '../support/api.ts';
import { firstSlot, type MissionDetail, newMission, signUpTo, slot } from '../support/missions.ts';
import {
  freshSection,
  letterCode,
  letters,
  type Persona,
  type PersonaSpec,
  persona,
  seedPersonas,
  tokenOf,
  useLocalStack,
} from '../support/personas.ts';

/**
 * Missions (issue 6) through the local gateway on the real emulators: the organiser's flow,
 * capacity under 50 simultaneous sign-ups, slots across the changes of time, who sees a mission
 * and whom it reaches (hidden members yes, blocked and outside members never).
 */

const tag = letters(5);
let serial = 0;
const spec = (key: string, sectionId: string | null, extra: Partial<PersonaSpec> = {}): PersonaSpec => ({
  key,
  firstName: 'Camille',
  lastName: `Zm${tag}${letterCode(serial++)}`,
  membership: 'adherent',
  confirmed: true,
  section: null,
  ...(sectionId ? { ownSection: sectionId } : {}),
  visibility: 'adherents',
  signsIn: true,
  ...extra,
});

interface Card {
  id: string;
  signedUp: number;
  needed: number;
}
interface Notif {
  kind: string;
  data: Record<string, string>;
}

const get = (who: Persona, id: string) => api<MissionDetail>(`/api/missions/${id}`, { token: tokenOf(who) });
const signUpAs = (who: Persona, missionId: string, slotId: string) =>
  api<{ error?: { code: string; message: string } }>(`/api/missions/${missionId}/slots/${slotId}/sign-up`, {
    method: 'POST',
    token: tokenOf(who),
  });
const withdrawAs = (who: Persona, missionId: string, slotId: string) =>
  api(`/api/missions/${missionId}/slots/${slotId}/sign-up`, { method: 'DELETE', token: tokenOf(who) });
const listed = async (who: Persona, query = '') =>
  (await api<{ items: Card[] }>(`/api/missions${query}`, { token: tokenOf(who) })).body.items.map(
    (m) => m.id,
  );

/** Every page of a list (other test files add missions to the same department). */
async function listedAll(who: Persona, query: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const res: { body: { items: Card[]; cursor: string | null } } = await api(
      `/api/missions${query}${cursor ? `&cursor=${cursor}` : ''}`,
      { token: tokenOf(who) },
    );
    ids.push(...res.body.items.map((m) => m.id));
    cursor = res.body.cursor;
    if (!cursor) return ids;
  }
  throw new Error('more than 50 pages');
}

async function notificationsOf(memberId: string, kind: string): Promise<Notif[]> {
  return (await memberItems(memberId)).filter(
    (i) => String(i.sk).startsWith('NOTIF#') && i.kind === kind,
  ) as unknown as Notif[];
}

/** Waits for the task job (every second locally) to have told the member. */
async function told(memberId: string, kind: string, missionId: string): Promise<Notif> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = (await notificationsOf(memberId, kind)).find((n) => n.data.missionId === missionId);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`${memberId} never got ${kind} for ${missionId}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('the organiser’s flow', () => {
  it('creates a mission of two slots; two sign up, one withdraws; the organiser sees the coverage, marks attendance and closes it', async () => {
    const section = await freshSection();
    const people = await seedPersonas([
      spec('secretary', section.id, { roles: { secretaryOf: [section.id] } }),
      spec('ana', section.id),
      spec('bruno', section.id),
    ]);
    const [secretary, ana, bruno] = ['secretary', 'ana', 'bruno'].map((k) => persona(people, k)) as [
      Persona,
      Persona,
      Persona,
    ];
    const created = await newMission(secretary, {
      title: 'Tractage au marché',
      audience: { kind: 'section-private', sectionId: section.id },
      slots: [slot(10, '09:00', '11:00', 3), slot(10, '11:00', '13:00', 2)],
    });
    expect(created).toMatchObject({
      status: 'open',
      needed: 5,
      signedUp: 0,
      can: { manage: true },
      organiser: { id: secretary.id },
    });
    const [morning, noon] = created.slots.map((s) => s.id) as [string, string];

    expect((await signUpAs(ana, created.id, morning)).status).toBe(201);
    expect((await signUpAs(bruno, created.id, morning)).status).toBe(201);
    expect((await signUpAs(bruno, created.id, noon)).status).toBe(201);
    expect((await withdrawAs(bruno, created.id, morning)).status).toBe(204);

    // Everyone in the circle sees the coverage; ana sees her own place and bruno's name (visible to her).
    const seenByAna = (await get(ana, created.id)).body;
    expect(seenByAna.slots.map((s) => [s.needed, s.signedUp, s.mine])).toEqual([
      [3, 1, true],
      [2, 1, false],
    ]);
    expect(seenByAna.can.manage).toBe(false);
    expect(seenByAna.slots[1]?.volunteers.map((v) => v.id)).toEqual([bruno.id]);
    expect(seenByAna.slots[1]?.volunteers[0]).not.toHaveProperty('attended');

    const sheet = (await get(secretary, created.id)).body;
    expect(sheet.signedUp).toBe(2);
    expect(sheet.slots.map((s) => s.volunteers.map((v) => [v.id, v.attended]))).toEqual([
      [[ana.id, null]],
      [[bruno.id, null]],
    ]);

    const mark = (memberId: string, slotId: string, attended: boolean, who = secretary) =>
      api(`/api/missions/${created.id}/slots/${slotId}/volunteers/${memberId}/attendance`, {
        method: 'PUT',
        token: tokenOf(who),
        body: { attended },
      });
    expect((await mark(ana.id, morning, true)).status).toBe(204);
    expect((await mark(bruno.id, noon, false)).status).toBe(204);
    // A volunteer marks nobody; a member not signed up to that slot cannot be marked.
    expect((await mark(bruno.id, noon, true, ana)).body).toMatchObject({
      error: { code: 'mission.not_found' },
    });
    expect((await mark(bruno.id, morning, true)).body).toMatchObject({
      error: { code: 'mission.not_signed_up' },
    });

    const close = await api(`/api/missions/${created.id}/close`, {
      token: tokenOf(secretary),
      body: { outcome: 'done' },
    });
    expect(close).toMatchObject({ status: 200, body: { status: 'done' } });
    const after = (await get(secretary, created.id)).body;
    expect(after.status).toBe('done');
    expect(after.slots.flatMap((s) => s.volunteers.map((v) => v.attended))).toEqual([true, false]);
    // Closed: nobody signs up or withdraws any more; it moves to the section's closed list.
    expect((await signUpAs(ana, created.id, noon)).body).toMatchObject({ error: { code: 'mission.closed' } });
    expect((await withdrawAs(bruno, created.id, noon)).status).toBe(409);
    expect(await listed(ana, `?section=${section.id}`)).not.toContain(created.id);
    expect(await listed(ana, `?section=${section.id}&state=closed`)).toContain(created.id);
    // A volunteer's history keeps the mission, with their attendance.
    const history = await api<{ items: { mission: { id: string }; attended: boolean | null }[] }>(
      '/api/me/mission-sign-ups?when=upcoming',
      { token: tokenOf(ana) },
    );
    expect(history.body.items).toEqual([
      expect.objectContaining({ mission: expect.objectContaining({ id: created.id }), attended: true }),
    ]);
  });

  it('tells the volunteers of a cancelled mission (mission.changed), not its organiser', async () => {
    const section = await freshSection();
    const people = await seedPersonas([
      spec('secretary', section.id, { roles: { secretaryOf: [section.id] } }),
      spec('volunteer', section.id),
    ]);
    const secretary = persona(people, 'secretary');
    const volunteer = persona(people, 'volunteer');
    const m = await newMission(secretary, { audience: { kind: 'section-private', sectionId: section.id } });
    await signUpTo(volunteer, m.id, firstSlot(m));
    const cancel = await api(`/api/missions/${m.id}/close`, {
      token: tokenOf(secretary),
      body: { outcome: 'cancelled', reason: 'Pluie annoncée' },
    });
    expect(cancel.body).toMatchObject({ status: 'cancelled' });
    const notice = await told(volunteer.id, 'mission.changed', m.id);
    expect(notice.data.change).toContain('Pluie annoncée');
    expect(await notificationsOf(secretary.id, 'mission.changed')).toEqual([]);
    expect((await get(volunteer, m.id)).body).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Pluie annoncée',
    });
    expect(
      (await api(`/api/missions/${m.id}/close`, { token: tokenOf(secretary), body: { outcome: 'done' } }))
        .body,
    ).toMatchObject({ error: { code: 'mission.closed' } });
  });
});

describe('capacity', () => {
  let section: { id: string };
  let secretary: Persona;
  let volunteers: Persona[];

  beforeAll(async () => {
    section = await freshSection();
    const people = await seedPersonas([
      spec('secretary', section.id, { roles: { secretaryOf: [section.id] } }),
      ...Array.from({ length: 50 }, (_, i) => spec(`v${i}`, section.id)),
    ]);
    secretary = persona(people, 'secretary');
    volunteers = Array.from({ length: 50 }, (_, i) => persona(people, `v${i}`));
  }, 240_000);

  it('lets exactly 10 of 50 simultaneous sign-ups in a slot of 10; the others get « Ce créneau est complet. »', async () => {
    const m = await newMission(secretary, {
      audience: { kind: 'section-private', sectionId: section.id },
      slots: [slot(12, '14:00', '17:00', 10)],
    });
    const slotId = firstSlot(m);
    const answers = await Promise.all(volunteers.map((v) => signUpAs(v, m.id, slotId)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    for (const a of answers.filter((x) => x.status === 409))
      expect(a.body.error).toEqual({ code: 'mission.slot_full', message: 'Ce créneau est complet.' });

    // The counts are exact, on the slot, on the mission and in the sign-ups stored.
    const inSlot = await getItem(`MISSION#${m.id}`, `SLOT#${slotId}`);
    expect(inSlot?.signedUp).toBe(10);
    expect((await getItem(`MISSION#${m.id}`, 'META'))?.signedUp).toBe(10);
    const page = (await get(secretary, m.id)).body;
    expect(page.slots[0]?.volunteers).toHaveLength(10);

    // Withdrawing frees a place, which the next member takes; twice is a clear 409, counts unchanged.
    const inside = volunteers.filter((_, i) => answers[i]?.status === 201);
    const outside = volunteers.filter((_, i) => answers[i]?.status === 409);
    const [leaving, staying] = inside as [Persona, Persona];
    const [late, later] = outside as [Persona, Persona];
    expect((await withdrawAs(leaving, m.id, slotId)).status).toBe(204);
    expect((await withdrawAs(leaving, m.id, slotId)).body).toMatchObject({
      error: { code: 'mission.not_signed_up' },
    });
    expect((await getItem(`MISSION#${m.id}`, `SLOT#${slotId}`))?.signedUp).toBe(9);
    expect((await signUpAs(late, m.id, slotId)).status).toBe(201);
    expect((await signUpAs(later, m.id, slotId)).body).toMatchObject({
      error: { code: 'mission.slot_full' },
    });
    expect((await signUpAs(staying, m.id, slotId)).body).toMatchObject({
      error: { code: 'mission.already_signed_up' },
    });
    expect((await getItem(`MISSION#${m.id}`, `SLOT#${slotId}`))?.signedUp).toBe(10);
    expect((await getItem(`MISSION#${m.id}`, 'META'))?.signedUp).toBe(10);
  }, 120_000);

  it('keeps counts exact when the same member signs up twice at once, and under mixed sign-ups and withdrawals', async () => {
    const m = await newMission(secretary, {
      audience: { kind: 'section-private', sectionId: section.id },
      slots: [slot(13, '14:00', '17:00', 30)],
    });
    const slotId = firstSlot(m);
    const [twice] = volunteers as [Persona];
    const doubled = await Promise.all([signUpAs(twice, m.id, slotId), signUpAs(twice, m.id, slotId)]);
    expect(doubled.map((d) => d.status).sort()).toEqual([201, 409]);
    const group = volunteers.slice(1, 21);
    for (const v of group.slice(0, 10)) await signUpTo(v, m.id, slotId);
    // 10 withdraw while 10 others sign up, all at once.
    const mixed = await Promise.all([
      ...group.slice(0, 10).map((v) => withdrawAs(v, m.id, slotId)),
      ...group.slice(10).map((v) => signUpAs(v, m.id, slotId)),
    ]);
    expect(mixed.every((r) => r.status < 300)).toBe(true);
    expect((await getItem(`MISSION#${m.id}`, `SLOT#${slotId}`))?.signedUp).toBe(11);
    expect((await getItem(`MISSION#${m.id}`, 'META'))?.signedUp).toBe(11);
    expect((await get(secretary, m.id)).body.slots[0]?.volunteers).toHaveLength(11);
  }, 60_000);
});

describe('Paris time across the changes of time', () => {
  it('keeps 10:00 at 10:00 the Sundays the clocks change (last Sundays of March and October 2027)', async () => {
    const section = await freshSection();
    const people = await seedPersonas([
      spec('secretary', section.id, { roles: { secretaryOf: [section.id] } }),
    ]);
    const secretary = persona(people, 'secretary');
    const local = [
      ['2027-03-27T10:00', '2027-03-27T12:00', '2027-03-27T09:00:00.000Z'],
      ['2027-03-28T10:00', '2027-03-28T12:00', '2027-03-28T08:00:00.000Z'],
      ['2027-10-30T10:00', '2027-10-30T12:00', '2027-10-30T08:00:00.000Z'],
      ['2027-10-31T10:00', '2027-10-31T12:00', '2027-10-31T09:00:00.000Z'],
    ] as const;
    const m = await newMission(secretary, {
      audience: { kind: 'section-private', sectionId: section.id },
      slots: local.map(([start, end]) => ({ start, end, needed: 2 })),
    });
    const page = (await get(secretary, m.id)).body;
    expect(page.slots.map((s) => [s.start, s.end, s.startsAt])).toEqual(
      local.map(([a, b, utc]) => [a, b, utc]),
    );
    for (const s of page.slots)
      expect((await getItem(`MISSION#${m.id}`, `SLOT#${s.id}`))?.startsAt).toBe(s.startsAt);
    // The slot on the night the clocks go forward lasts one hour less: 01:30 → 03:30 is one hour.
    const night = await newMission(secretary, {
      audience: { kind: 'section-private', sectionId: section.id },
      slots: [{ start: '2027-03-28T01:30', end: '2027-03-28T03:30', needed: 1 }],
    });
    expect(night.slots[0]).toMatchObject({
      startsAt: '2027-03-28T00:30:00.000Z',
      endsAt: '2027-03-28T01:30:00.000Z',
    });
  });

  it('refuses a time that does not exist in Paris (the hour skipped in March), and writes nothing', async () => {
    const section = await freshSection();
    const people = await seedPersonas([
      spec('secretary', section.id, { roles: { secretaryOf: [section.id] } }),
    ]);
    const secretary = persona(people, 'secretary');
    const res = await api('/api/missions', {
      token: tokenOf(secretary),
      body: {
        title: 'Collage de nuit',
        kind: 'collage',
        place: 'Local',
        audience: { kind: 'section-private', sectionId: section.id },
        slots: [{ start: '2027-03-28T02:30', end: '2027-03-28T04:00', needed: 2 }],
      },
    });
    expect(res).toMatchObject({
      status: 400,
      body: { error: { code: 'mission.invalid_time', field: 'slots.0.start' } },
    });
    expect(await listed(secretary, `?section=${section.id}`)).toEqual([]);
    expect((await memberItems(secretary.id)).filter((i) => String(i.sk).startsWith('MISSION#'))).toEqual([]);
  });
});

describe('who sees a mission, and whom it reaches', () => {
  let people: Map<string, Persona>;
  let section: { id: string; name: string };
  let mission: MissionDetail;
  const p = (key: string) => persona(people, key);

  beforeAll(async () => {
    section = await freshSection();
    const other = await freshSection();
    people = await seedPersonas(
      [
        spec('secretary', section.id, { roles: { secretaryOf: [section.id] } }),
        spec('circle', section.id),
        spec('hidden', section.id, { visibility: 'section' }),
        spec('sympathisant', section.id, { membership: 'sympathisant', confirmed: false, visibility: 'all' }),
        spec('blocker', section.id),
        spec('blocked', section.id),
        spec('outsider', other.id),
        spec('visibleSecretary', section.id, { visibility: 'all', roles: { secretaryOf: [section.id] } }),
        spec('farSympathisant', null, { membership: 'sympathisant', confirmed: false, visibility: 'all' }),
      ],
      // One blocks the organiser, the organiser blocks the other: both ways hide it.
      {
        blocks: [
          ['blocker', 'secretary'],
          ['blocker', 'visibleSecretary'],
          ['secretary', 'blocked'],
        ],
      },
    );
    mission = await newMission(p('secretary'), {
      title: 'Phoning du jeudi',
      kind: 'phoning',
      audience: { kind: 'section-private', sectionId: section.id },
    });
    // The fan-out task tells the circle (hidden members included) and fills their « mes missions ».
    await told(p('circle').id, 'mission.new', mission.id);
    await told(p('hidden').id, 'mission.new', mission.id);
  }, 120_000);

  it('shows a section’s mission to its circle, hidden members included, in their lists and by id', async () => {
    for (const key of ['circle', 'hidden', 'secretary']) {
      expect((await get(p(key), mission.id)).status, key).toBe(200);
      expect(await listed(p(key)), key).toContain(mission.id);
      expect(await listed(p(key), `?section=${section.id}`), key).toContain(mission.id);
    }
  });

  it('tells the circle with mission.new — the hidden member too — and never a blocked member', async () => {
    const notice = await told(p('hidden').id, 'mission.new', mission.id);
    expect(notice.data.title).toBe('Phoning du jeudi');
    for (const key of ['blocker', 'blocked', 'outsider', 'sympathisant', 'secretary'])
      expect(await notificationsOf(p(key).id, 'mission.new'), key).toEqual([]);
  });

  it('is a 404 for members outside its circle and for a block either way: by id, in lists, to sign up', async () => {
    const slotId = firstSlot(mission);
    for (const key of ['outsider', 'sympathisant', 'blocker', 'blocked', 'farSympathisant']) {
      const read = await get(p(key), mission.id);
      expect(read, key).toMatchObject({ status: 404, body: { error: { code: 'mission.not_found' } } });
      expect(await listed(p(key), `?section=${section.id}`), key).not.toContain(mission.id);
      expect(await listed(p(key)), key).not.toContain(mission.id);
      const sign = await signUpAs(p(key), mission.id, slotId);
      expect(sign, key).toMatchObject({ status: 404, body: { error: { code: 'mission.not_found' } } });
    }
    expect((await getItem(`MISSION#${mission.id}`, `SLOT#${slotId}`))?.signedUp).toBe(0);
  });

  it('shows a hidden member’s sign-up only to the organiser and the section’s secretaries; others see the count', async () => {
    const slotId = firstSlot(mission);
    expect((await signUpAs(p('hidden'), mission.id, slotId)).status).toBe(201);
    expect((await signUpAs(p('circle'), mission.id, slotId)).status).toBe(201);
    const names = async (key: string) =>
      (await get(p(key), mission.id)).body.slots[0]?.volunteers.map((v) => v.id).sort();
    expect(await names('secretary')).toEqual([p('hidden').id, p('circle').id].sort());
    expect(await names('visibleSecretary')).toEqual([p('hidden').id, p('circle').id].sort());
    expect(await names('hidden')).toEqual([p('hidden').id, p('circle').id].sort());
    expect(await names('circle')).toEqual([p('circle').id]);
    expect((await get(p('circle'), mission.id)).body.slots[0]?.signedUp).toBe(2);
    expect(JSON.stringify((await get(p('circle'), mission.id)).body)).not.toContain(p('hidden').lastName);
    // The hidden member's own list has it.
    const mine = await api<{ items: { mission: { id: string } }[] }>('/api/me/mission-sign-ups', {
      token: tokenOf(p('hidden')),
    });
    expect(mine.body.items.map((i) => i.mission.id)).toContain(mission.id);
  });

  it('opens a public mission to every member (sympathisants too, « près de chez moi » by department)', async () => {
    // A secretary at `adherents` may not show themself to sympathisants: refused with the reason.
    const refused = await api('/api/missions', {
      token: tokenOf(p('secretary')),
      body: {
        title: 'Tractage ouvert',
        kind: 'tractage',
        place: 'Gare',
        audience: { kind: 'section-public', sectionId: section.id },
        slots: [slot(9, '08:00', '10:00', 5)],
      },
    });
    expect(refused).toMatchObject({
      status: 403,
      body: { error: { code: 'mission.audience_wider_than_profile' } },
    });
    const open = await newMission(p('visibleSecretary'), {
      title: 'Tractage ouvert',
      audience: { kind: 'section-public', sectionId: section.id },
    });
    for (const key of ['outsider', 'farSympathisant', 'sympathisant', 'hidden']) {
      expect((await get(p(key), open.id)).status, key).toBe(200);
      expect(await listedAll(p(key), '?near=99'), key).toContain(open.id);
    }
    expect((await signUpAs(p('farSympathisant'), open.id, firstSlot(open))).status).toBe(201);
    // Its volunteer is seen by name by those who may see their profile (visible to all).
    expect((await get(p('outsider'), open.id)).body.slots[0]?.volunteers.map((v) => v.id)).toEqual([
      p('farSympathisant').id,
    ]);
    // The blocks still hold.
    expect((await get(p('blocker'), open.id)).status).toBe(404);
    expect(await listedAll(p('blocker'), '?near=99')).not.toContain(open.id);
  });

  it('lets only a section’s secretaries and a group’s admins organise, and only where they are', async () => {
    const asCircle = await api('/api/missions', {
      token: tokenOf(p('circle')),
      body: {
        title: 'Sans mandat',
        kind: 'autre',
        place: 'Local',
        audience: { kind: 'section-private', sectionId: section.id },
        slots: [slot(9, '08:00', '10:00', 5)],
      },
    });
    expect(asCircle).toMatchObject({ status: 403, body: { error: { code: 'mission.not_organiser' } } });
    const toAll = await api('/api/missions', {
      token: tokenOf(p('visibleSecretary')),
      body: {
        title: 'À tous',
        kind: 'autre',
        place: 'Local',
        audience: { kind: 'all' },
        slots: [slot(9, '08:00', '10:00', 5)],
      },
    });
    expect(toAll).toMatchObject({
      status: 400,
      body: { error: { code: 'mission.invalid_audience', field: 'audience' } },
    });
  });

  it('keeps a group’s mission to its active members', async () => {
    const group = await api<{ id: string }>('/api/groups', {
      token: tokenOf(p('circle')),
      body: { name: `Phoning ${tag}`, joinPolicy: 'open', visibility: 'all' },
    });
    expect(group.status).toBe(201);
    const joined = await api(`/api/groups/${group.body.id}/membership`, {
      method: 'POST',
      token: tokenOf(p('outsider')),
    });
    expect(joined.status).toBe(200);
    const m = await newMission(p('circle'), { audience: { kind: 'group', groupId: group.body.id } });
    await told(p('outsider').id, 'mission.new', m.id);
    expect((await get(p('outsider'), m.id)).status).toBe(200);
    expect(await listed(p('outsider'))).toContain(m.id);
    expect(await listed(p('outsider'), `?group=${group.body.id}`)).toContain(m.id);
    expect((await get(p('blocker'), m.id)).status).toBe(404);
    expect(await listed(p('blocker'), `?group=${group.body.id}`)).toEqual([]);
    expect((await signUpAs(p('blocker'), m.id, firstSlot(m))).status).toBe(404);
    // A member of the group is no organiser of it.
    const notAdmin = await api('/api/missions', {
      token: tokenOf(p('outsider')),
      body: {
        title: 'Pas admin',
        kind: 'autre',
        place: 'Local',
        audience: { kind: 'group', groupId: group.body.id },
        slots: [slot(9, '08:00', '10:00', 5)],
      },
    });
    expect(notAdmin).toMatchObject({ status: 403, body: { error: { code: 'mission.not_organiser' } } });
  });
});

describe('transaction conflicts (fault injection before the emulator, which serialises transactions)', () => {
  /** How many of the next TransactWriteItems calls of this worker fail as a TransactionConflict. */
  let conflicts = 0;
  let seen = 0;

  beforeAll(() => {
    useLocalStack();
    addDynamoMiddleware('missionConflicts', (next, context) => async (args) => {
      if (conflicts > 0 && /TransactWrite/.test(String(context.commandName))) {
        conflicts--;
        seen++;
        throw Object.assign(new Error('Transaction cancelled, please refer cancellation reasons'), {
          name: 'TransactionCanceledException',
          CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }, { Code: 'None' }],
        });
      }
      return next(args);
    });
  });

  async function actorOf(p: Persona): Promise<Actor> {
    const found = await getMemberWithBlocks(p.id);
    if (!found) throw new Error(`no member ${p.key}`);
    return { memberId: p.id, ...found };
  }

  it('retries a sign-up that meets a concurrent transaction, with jitter, and counts it once', async () => {
    const section = await freshSection();
    const people = await seedPersonas([
      spec('secretary', section.id, { roles: { secretaryOf: [section.id] } }),
      spec('volunteer', section.id),
    ]);
    const m = await newMission(persona(people, 'secretary'), {
      audience: { kind: 'section-private', sectionId: section.id },
    });
    const slotId = firstSlot(m);
    conflicts = 3;
    seen = 0;
    const done = await signUp(await actorOf(persona(people, 'volunteer')), m.id, slotId);
    expect(done.slotId).toBe(slotId);
    expect(seen).toBe(3);
    expect((await getItem(`MISSION#${m.id}`, `SLOT#${slotId}`))?.signedUp).toBe(1);
  });

  it('answers 503 mission.busy — never a 500 — when the conflicts outlast the attempts, and writes nothing', async () => {
    const section = await freshSection();
    const people = await seedPersonas([
      spec('secretary', section.id, { roles: { secretaryOf: [section.id] } }),
      spec('volunteer', section.id),
    ]);
    const m = await newMission(persona(people, 'secretary'), {
      audience: { kind: 'section-private', sectionId: section.id },
    });
    const slotId = firstSlot(m);
    conflicts = 100;
    seen = 0;
    const refused = await signUp(await actorOf(persona(people, 'volunteer')), m.id, slotId).catch((e) => e);
    conflicts = 0;
    expect(refused).toBeInstanceOf(UnavailableError);
    expect(refused).toMatchObject({ code: 'mission.busy' });
    expect(seen).toBe(8);
    expect((await getItem(`MISSION#${m.id}`, `SLOT#${slotId}`))?.signedUp).toBe(0);
  }, 30_000);
});
