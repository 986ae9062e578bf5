import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { transact } from '../../shared/data/client.ts';
import { newEventWrites } from '../../shared/data/events.ts';
import { type Mission, newMissionWrites } from '../../shared/data/missions.ts';
import { sectionStatsChanged } from '../../shared/data/section-stats.ts';
import { lastTwelveMonths } from '../../shared/domain/secretariat/dashboard.ts';
import { api, setState, tableClient } from '../support/api.ts';
import { answerAs, createEventAs, eventBody, eventually } from '../support/events.ts';
import { newMission, signUpTo, slot } from '../support/missions.ts';
import {
  letterCode,
  letters,
  type Persona,
  type PersonaSpec,
  persona,
  sectionWithSecretary,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/**
 * The secretary's dashboard (issue 11): a section seeded with known numbers, and the figures the
 * page gets equal them exactly — the aggregate recomputed by the `stats.run` job after the
 * changes, the agenda, missions and reports read live — in ≤ 3 DynamoDB round trips.
 */

interface Dashboard {
  section: { id: string; name: string };
  stats: {
    computedAt: string;
    members: {
      total: number;
      byCircle: Record<string, number>;
      byVisibility: Record<string, number>;
      emailOnly: number;
      suspended: number;
      notActivated: number;
    };
    pendingConfirmations: number;
    pendingMandates: number;
    joinedByMonth: Record<string, number>;
    joinedBefore: number;
    eventsByMonth: Record<string, number>;
    missionsDoneByMonth: Record<string, number>;
    newThisMonth: number;
    months: string[];
  } | null;
  upcomingEvents: { id: string; title: string; going: number; maybe: number; waiting: number }[];
  openMissions: {
    id: string;
    needed: number;
    signedUp: number;
    slots: { needed: number; signedUp: number }[];
  }[];
  openReports: number;
}

const tag = letters(5);
let serial = 0;
const months = lastTwelveMonths(new Date());
/** Noon UTC on the 15th of the month `back` months ago: far from any month's edge in Paris. */
const midMonth = (back: number) => `${months[11 - back]}-15T12:00:00.000Z`;

let section: { id: string; name: string };
let secretary: Persona;
let people: Map<string, Persona>;
let eventIds: string[];
let missionId: string;

async function setCreatedAt(memberId: string, at: string): Promise<void> {
  await tableClient().send(
    new UpdateCommand({
      TableName: inject('tableName'),
      Key: { pk: `MEMBER#${memberId}`, sk: 'PROFILE' },
      UpdateExpression: 'SET createdAt = :at',
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

async function load(token: string, sectionId = section.id) {
  const res = await api<Dashboard>(`/api/sections/${sectionId}/dashboard`, { token });
  const meter = Object.fromEntries(
    (res.headers.get('x-coopol-dynamodb') ?? '')
      .split(';')
      .map((p) => p.trim().split('=') as [string, string]),
  );
  return { ...res, rounds: Number(meter.rounds), calls: Number(meter.calls) };
}

beforeAll(async () => {
  ({ section, secretary } = await sectionWithSecretary());
  const spec = (key: string, extra: Partial<PersonaSpec>): PersonaSpec => ({
    key,
    firstName: 'Dominique',
    lastName: `Zt${tag}${letterCode(serial++)}`,
    membership: 'adherent',
    confirmed: true,
    section: null,
    ownSection: section.id,
    visibility: 'adherents',
    ...extra,
  });
  people = await seedPersonas([
    spec('ps-hidden', { visibility: 'section' }),
    spec('ps-all', { visibility: 'all', signsIn: true }),
    spec('mjs', { membership: 'mjs', signsIn: true }),
    spec('claim', { confirmed: false, visibility: 'section' }),
    spec('mjs-claim', { membership: 'mjs', confirmed: false }),
    spec('sympathisant', { membership: 'sympathisant', confirmed: false, visibility: 'all', signsIn: true }),
    spec('elu', {
      mandates: [
        {
          id: ulid(),
          office: 'Conseillère municipale',
          territory: 'Test',
          startDate: '2020-07-01',
          endDate: null,
          verified: false,
        },
        {
          id: ulid(),
          office: 'Adjointe au maire',
          territory: 'Test',
          startDate: '2020-07-01',
          endDate: null,
          verified: true,
        },
      ],
    }),
    spec('old', {}),
    spec('veteran', {}),
    spec('suspended', {}),
    spec('unverified-email', { membership: 'sympathisant', confirmed: false }),
  ]);
  // Arrivals in earlier months, a suspension, an account whose email is not confirmed yet: written
  // straight into the table (as time would have), then a change marker, as any change writes one.
  await setCreatedAt(persona(people, 'old').id, midMonth(3));
  await setCreatedAt(persona(people, 'veteran').id, '2019-03-15T12:00:00.000Z');
  await setState(persona(people, 'suspended').id, 'suspended');
  await setState(persona(people, 'unverified-email').id, 'pending');

  // Two upcoming events with answers; a past one two months ago, a cancelled one last month.
  const token = tokenOf(secretary);
  eventIds = [
    await createEventAs(
      token,
      eventBody({ kind: 'section-private', sectionId: section.id }, { title: `AG ${tag}` }, 5),
    ),
    await createEventAs(
      token,
      eventBody({ kind: 'section-private', sectionId: section.id }, { title: `Réunion ${tag}` }, 9),
    ),
  ];
  await answerAs(tokenOf(persona(people, 'ps-all')), eventIds[0] as string, 'yes');
  await answerAs(tokenOf(persona(people, 'mjs')), eventIds[0] as string, 'maybe');
  await answerAs(tokenOf(persona(people, 'ps-all')), eventIds[1] as string, 'yes');
  const past = (back: number, cancelled: boolean) => {
    const start = midMonth(back);
    return newEventWrites({
      id: ulid(),
      organiserId: secretary.id,
      audience: { kind: 'section-private', sectionId: section.id },
      placeName: section.name,
      title: 'Ancienne réunion',
      description: '',
      startAt: start,
      endAt: new Date(Date.parse(start) + 7_200_000).toISOString(),
      location: 'Local',
      onlineUrl: null,
      capacity: null,
      going: 0,
      maybe: 0,
      waiting: 0,
      cancelled,
      cancelledAt: cancelled ? start : null,
      createdAt: start,
      updatedAt: start,
      rev: cancelled ? 1 : 0,
    });
  };
  await transact(past(2, false));
  await transact(past(1, true));

  // An open mission (4 + 2 needed, one volunteer) and one done last month.
  const mission = await newMission(secretary, {
    audience: { kind: 'section-private', sectionId: section.id },
    slots: [slot(6, '09:00', '12:00', 4), slot(7, '10:00', '12:00', 2)],
  });
  missionId = mission.id;
  await signUpTo(
    { token: tokenOf(persona(people, 'mjs')), key: 'mjs' },
    mission.id,
    mission.slots[0]?.id as string,
  );
  const doneAt = midMonth(1);
  const done: Mission = {
    id: ulid(),
    title: 'Tractage passé',
    description: '',
    kind: 'tractage',
    place: 'Marché',
    audience: { kind: 'section-private', sectionId: section.id },
    placeName: section.name,
    department: '99',
    organiserId: secretary.id,
    status: 'done',
    startsAt: new Date(Date.parse(doneAt) - 7_200_000).toISOString(),
    endsAt: new Date(Date.parse(doneAt) - 3_600_000).toISOString(),
    needed: 2,
    signedUp: 2,
    createdAt: midMonth(2),
    closedAt: doneAt,
    cancelReason: null,
  };
  await transact(newMissionWrites(done, []));

  // One report on the section's pages (an event), one elsewhere (a member's profile).
  const reporter = tokenOf(persona(people, 'ps-all'));
  const onSection = await api('/api/reports', {
    token: reporter,
    body: { target: `event:${eventIds[1]}`, category: 'spam' },
  });
  expect(onSection.status, JSON.stringify(onSection.body)).toBe(201);
  const elsewhere = await api('/api/reports', {
    token: reporter,
    body: { target: `member:${persona(people, 'mjs').id}`, category: 'spam' },
  });
  expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(201);

  const marked = new Date().toISOString();
  await transact([sectionStatsChanged(section.id, marked)]);
  await eventually(async () => {
    const res = await load(token);
    return res.status === 200 && !!res.body.stats && res.body.stats.computedAt >= marked;
  }, 'the stats job recomputes the section');
});

describe('secretary dashboard (issue 11)', () => {
  it('shows exactly what the seeded section holds, in ≤ 3 round trips', async () => {
    const res = await load(tokenOf(secretary));
    expect(res.status).toBe(200);
    const d = res.body;
    const s = d.stats;
    if (!s) throw new Error('no stats');
    // 12 members: the secretary and the 11 seeded (the suspended one counts; none is deleted).
    expect(s.members).toEqual({
      total: 12,
      // PS: secretary, ps-hidden, ps-all, elu, old, veteran, suspended; MJS: mjs; claims: claim,
      // mjs-claim; sympathisants: sympathisant, unverified-email.
      byCircle: { adherent: 7, mjs: 1, unconfirmed: 2, sympathisant: 2 },
      byVisibility: { section: 2, adherents: 8, all: 2 },
      emailOnly: 2,
      suspended: 1,
      notActivated: 1,
    });
    expect(s.pendingConfirmations).toBe(2);
    expect(s.pendingMandates).toBe(1);
    // Arrivals: 10 this month, 1 three months ago, 1 before the window.
    expect(s.newThisMonth).toBe(10);
    expect(s.joinedByMonth[months[11] as string]).toBe(10);
    expect(s.joinedByMonth[months[8] as string]).toBe(1);
    expect(s.joinedBefore).toBe(1);
    expect(Object.values(s.joinedByMonth).reduce((a, b) => a + b, 0)).toBe(11);
    // Events held: the one two months ago (the cancelled one is not); upcoming ones are not past.
    expect(Object.entries(s.eventsByMonth).filter(([, n]) => n > 0)).toEqual([[months[9], 1]]);
    expect(Object.entries(s.missionsDoneByMonth).filter(([, n]) => n > 0)).toEqual([[months[10], 1]]);
    expect(s.months).toEqual(months);

    expect(d.upcomingEvents.map((e) => [e.id, e.going, e.maybe, e.waiting])).toEqual([
      [eventIds[0], 1, 1, 0],
      [eventIds[1], 1, 0, 0],
    ]);
    expect(d.openMissions).toHaveLength(1);
    expect(d.openMissions[0]?.id).toBe(missionId);
    expect(d.openMissions[0]?.slots.map((x) => [x.needed, x.signedUp])).toEqual([
      [4, 1],
      [2, 0],
    ]);
    expect(d.openReports).toBe(1);
    // Counts only: no member of the section is named anywhere in the answer.
    const raw = JSON.stringify(d);
    for (const p of people.values()) {
      expect(raw).not.toContain(p.id);
      expect(raw).not.toContain(p.lastName);
    }
    expect(res.rounds, `${res.calls} calls`).toBeLessThanOrEqual(3);
  });

  it('follows a change: a confirmation moves the figures after the job runs', async () => {
    const token = tokenOf(secretary);
    const before = (await load(token)).body.stats;
    const claim = persona(people, 'claim');
    const res = await api(`/api/sections/${section.id}/members/${claim.id}/confirm`, {
      method: 'POST',
      token,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await eventually(async () => {
      const s = (await load(token)).body.stats;
      return !!s && !!before && s.computedAt > before.computedAt && s.pendingConfirmations === 1;
    }, 'the confirmation reaches the dashboard');
    const s = (await load(token)).body.stats;
    expect(s?.members.byCircle).toEqual({ adherent: 8, mjs: 1, unconfirmed: 1, sympathisant: 2 });
  });

  it('is the section secretary’s only: another section’s secretary and a member get 404', async () => {
    const other = await sectionWithSecretary();
    const refused = await load(tokenOf(other.secretary));
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ error: { code: 'section.not_found' } });
    // Their own section's dashboard works (no figures yet or their own only).
    const own = await load(tokenOf(other.secretary), other.section.id);
    expect(own.status).toBe(200);
    const member = await load(tokenOf(persona(people, 'ps-all')));
    expect(member.status).toBe(404);
  });
});
