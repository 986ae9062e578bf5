import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../shared/auth/actor.ts';
import { addDynamoMiddleware } from '../../shared/data/client.ts';
import { getMemberWithBlocks } from '../../shared/data/members.ts';
import { answerEvent } from '../../shared/domain/events/rsvp.ts';
import { UnavailableError } from '../../shared/errors.ts';
import { api, getItem, memberItems, tableClient } from '../support/api.ts';
import { answerAs, createEventAs, eventBody, eventPeople, eventually, parisIn } from '../support/events.ts';
import {
  freshSection,
  letters,
  type Persona,
  type PersonaSpec,
  persona,
  seedPersonas,
  tokenOf,
  useLocalStack,
} from '../support/personas.ts';

/**
 * Events (issue 6) through the API on the real emulators: Paris times across both clock changes,
 * the capacity and the waiting list under parallel answers, who sees whose answer, edits and
 * cancellations told to who answered, and the retry of transaction conflicts.
 */

interface EventView {
  id: string;
  startAt: string;
  endAt: string;
  startLocal: string;
  endLocal: string;
  counts: { going: number; maybe: number; waiting: number };
  placesLeft: number | null;
  cancelled: boolean;
  myAnswer: string | null;
  can: { edit: boolean; cancel: boolean; rsvp: boolean };
}
interface EventPage {
  event: EventView;
  attendees: { member: { id: string }; answer: string }[];
  cursor: string | null;
}

const sectionPublic = (id: string) => ({ kind: 'section-public', sectionId: id });

async function notificationsOf(memberId: string, kind: string) {
  return (await memberItems(memberId)).filter((i) => String(i.sk).startsWith('NOTIF#') && i.kind === kind);
}

async function answersByStatus(eventId: string): Promise<Record<string, string[]>> {
  const out = await tableClient().send(
    new QueryCommand({
      TableName: inject('tableName'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rsvp)',
      ExpressionAttributeValues: { ':pk': `EVENT#${eventId}`, ':rsvp': 'RSVP#' },
      ConsistentRead: true,
    }),
  );
  const by: Record<string, string[]> = {};
  for (const i of out.Items ?? []) {
    const status = String(i.status);
    by[status] = [...(by[status] ?? []), String(i.memberId)];
  }
  return by;
}

describe('Paris times through the API, across the clock changes of 2027', () => {
  let people: Awaited<ReturnType<typeof eventPeople>>;
  beforeAll(async () => {
    people = await eventPeople();
  });

  it.each([
    ['the Saturday before the spring change', '2027-03-27T10:00', '2027-03-27T09:00:00.000Z'],
    [
      'the Sunday of the spring change (last Sunday of March)',
      '2027-03-28T10:00',
      '2027-03-28T08:00:00.000Z',
    ],
    ['the Saturday before the autumn change', '2027-10-30T10:00', '2027-10-30T08:00:00.000Z'],
    [
      'the Sunday of the autumn change (last Sunday of October)',
      '2027-10-31T10:00',
      '2027-10-31T09:00:00.000Z',
    ],
    [
      'the autumn hour that happens twice (the later, winter time, is taken)',
      '2027-10-31T02:30',
      '2027-10-31T01:30:00.000Z',
    ],
  ])('stores %s in UTC and reads back the same Paris time', async (_t, local, utc) => {
    const [day, time] = local.split('T') as [string, string];
    const end = `${day}T${time === '02:30' ? '03:30' : '12:00'}`;
    const created = await api<EventView>('/api/events', {
      token: tokenOf(people.organiser),
      body: { ...eventBody(sectionPublic(people.section.id)), start: local, end },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ startAt: utc, startLocal: local, endLocal: end });
    const read = await api<EventPage>(`/api/events/${created.body.id}`, { token: tokenOf(people.reader) });
    expect(read.body.event).toMatchObject({ startAt: utc, startLocal: local, endLocal: end });
    expect((await getItem(`EVENT#${created.body.id}`, 'META'))?.startAt).toBe(utc);
  });

  it('refuses a time in the spring-forward gap (02:30 on 28 March 2027 does not exist), writing nothing', async () => {
    const res = await api('/api/events', {
      token: tokenOf(people.organiser),
      body: {
        ...eventBody(sectionPublic(people.section.id)),
        title: `Trou ${letters(6)}`,
        start: '2027-03-28T02:30',
        end: '2027-03-28T04:00',
      },
    });
    expect(res).toMatchObject({
      status: 400,
      body: { error: { code: 'event.invalid_time', field: 'start' } },
    });
  });

  it('moves an event across the change and keeps the wall-clock time: 10:00 stays 10:00, UTC moves an hour', async () => {
    const id = await createEventAs(tokenOf(people.organiser), {
      ...eventBody(sectionPublic(people.section.id)),
      start: '2027-03-27T10:00',
      end: '2027-03-27T12:00',
    });
    const moved = await api(`/api/events/${id}`, {
      method: 'PUT',
      token: tokenOf(people.organiser),
      body: {
        title: 'Réunion déplacée',
        start: '2027-03-28T10:00',
        end: '2027-03-28T12:00',
        location: 'Local',
      },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(204);
    const read = await api<EventPage>(`/api/events/${id}`, { token: tokenOf(people.organiser) });
    expect(read.body.event).toMatchObject({
      startLocal: '2027-03-28T10:00',
      startAt: '2027-03-28T08:00:00.000Z',
      endAt: '2027-03-28T10:00:00.000Z',
    });
  });

  it('refuses bad input with a French message and a field: end before start, no place, a past start', async () => {
    const base = eventBody(sectionPublic(people.section.id));
    const cases: [Record<string, unknown>, string, string][] = [
      [{ end: parisIn(5, '18:00'), start: parisIn(5, '19:00') }, 'event.end_before_start', 'end'],
      [{ location: null }, 'event.place_required', 'location'],
      [{ start: parisIn(-2), end: parisIn(-2, '21:00') }, 'event.in_the_past', 'start'],
      [{ onlineUrl: 'javascript:alert(1)' }, 'request.invalid', 'onlineUrl'],
      [{ capacity: 0 }, 'request.invalid', 'capacity'],
    ];
    for (const [over, code, field] of cases) {
      const res = await api('/api/events', { token: tokenOf(people.organiser), body: { ...base, ...over } });
      expect(res, code).toMatchObject({ status: 400, body: { error: { code, field } } });
    }
  });
});

describe('capacity and waiting list under parallel answers', () => {
  const N = 40;
  const CAPACITY = 10;
  let section: { id: string };
  let organiser: Persona;
  let members: Persona[];
  let eventId: string;

  beforeAll(async () => {
    section = await freshSection();
    const spec = (key: string, extra: Partial<PersonaSpec> = {}): PersonaSpec => ({
      key,
      firstName: 'Membre',
      lastName: `Zz${letters(8)}`,
      membership: 'adherent',
      confirmed: true,
      section: null,
      ownSection: section.id,
      visibility: 'adherents',
      signsIn: true,
      ...extra,
    });
    const seeded = await seedPersonas([
      spec('organiser', { visibility: 'all' }),
      ...Array.from({ length: N }, (_, i) => spec(`m${i}`)),
    ]);
    organiser = persona(seeded, 'organiser');
    members = Array.from({ length: N }, (_, i) => persona(seeded, `m${i}`));
    eventId = await createEventAs(
      tokenOf(organiser),
      eventBody(sectionPublic(section.id), { title: 'Meeting', capacity: CAPACITY }),
    );
  }, 180_000);

  it(`${N} parallel « oui » on ${CAPACITY} places end with exactly ${CAPACITY} going and the rest waiting — no 500`, async () => {
    const answers = await Promise.all(
      members.map((m) =>
        api<{ answer: string }>(`/api/events/${eventId}/rsvp`, {
          method: 'PUT',
          token: tokenOf(m),
          body: { answer: 'yes' },
        }),
      ),
    );
    expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([]);
    expect(answers.filter((a) => a.body.answer === 'yes')).toHaveLength(CAPACITY);
    expect(answers.filter((a) => a.body.answer === 'waiting')).toHaveLength(N - CAPACITY);
    const by = await answersByStatus(eventId);
    expect(by.yes).toHaveLength(CAPACITY);
    expect(by.waiting).toHaveLength(N - CAPACITY);
    expect(await getItem(`EVENT#${eventId}`, 'META')).toMatchObject({
      going: CAPACITY,
      waiting: N - CAPACITY,
      maybe: 0,
    });
    const page = await api<EventPage>(`/api/events/${eventId}`, { token: tokenOf(organiser) });
    expect(page.body.event).toMatchObject({
      counts: { going: CAPACITY, waiting: N - CAPACITY },
      placesLeft: 0,
    });
  }, 120_000);

  it('a withdrawal moves the first waiter up (told with event.changed); the counts stay exact', async () => {
    const meta = async () => getItem(`EVENT#${eventId}`, 'META');
    const before = await answersByStatus(eventId);
    const waiting = (
      await Promise.all(
        (before.waiting ?? []).map(async (id) => ({
          id,
          at: String((await getItem(`EVENT#${eventId}`, `RSVP#${id}`))?.at),
        })),
      )
    ).sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
    const first = waiting[0]?.id as string;
    const leaver = members.find((m) => m.id === before.yes?.[0]) as Persona;

    const res = await api<{ answer: string; counts: { going: number } }>(`/api/events/${eventId}/rsvp`, {
      method: 'PUT',
      token: tokenOf(leaver),
      body: { answer: 'no' },
    });
    expect(res.body).toMatchObject({ answer: 'no', counts: { going: CAPACITY - 1 } });
    await eventually(async () => (await meta())?.going === CAPACITY, 'the first waiter moved up');
    const after = await answersByStatus(eventId);
    expect(after.yes).toContain(first);
    expect(after.yes).toHaveLength(CAPACITY);
    expect(after.waiting).toHaveLength(N - CAPACITY - 1);
    expect(after.no).toEqual([leaver.id]);
    expect(await meta()).toMatchObject({ going: CAPACITY, waiting: N - CAPACITY - 1 });
    expect(await notificationsOf(first, 'event.changed')).toHaveLength(1);
    // A « oui » given now waits behind the others: a freed place never goes to a newcomer.
    expect(await answerAs(tokenOf(leaver), eventId, 'yes')).toBe('waiting');
  });

  it('a waiter who changes their mind leaves the list; « peut-être » counts apart', async () => {
    const by = await answersByStatus(eventId);
    const waiter = members.find((m) => m.id === by.waiting?.[0]) as Persona;
    expect(await answerAs(tokenOf(waiter), eventId, 'maybe')).toBe('maybe');
    const meta = await getItem(`EVENT#${eventId}`, 'META');
    expect(meta).toMatchObject({ going: CAPACITY, maybe: 1, waiting: (by.waiting?.length ?? 0) - 1 });
  });
});

describe('transaction conflicts (fault injection before the emulator, which serialises transactions)', () => {
  let conflicts = 0;
  let seen = 0;

  beforeAll(() => {
    useLocalStack();
    addDynamoMiddleware('eventConflicts', (next, context) => async (args) => {
      if (conflicts > 0 && /TransactWrite/.test(String(context.commandName))) {
        conflicts--;
        seen++;
        throw Object.assign(new Error('Transaction cancelled, please refer cancellation reasons'), {
          name: 'TransactionCanceledException',
          CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
        });
      }
      return next(args);
    });
  });

  const actorOf = async (p: Persona): Promise<Actor> => {
    const found = await getMemberWithBlocks(p.id);
    if (!found) throw new Error(`no member ${p.key}`);
    return { memberId: p.id, ...found };
  };

  it('retries an answer that meets a TransactionConflict, with jitter, and counts it once', async () => {
    const { section, organiser, reader } = await eventPeople();
    const id = await createEventAs(tokenOf(organiser), eventBody(sectionPublic(section.id), { capacity: 3 }));
    conflicts = 3;
    seen = 0;
    const done = await answerEvent(await actorOf(reader), id, { answer: 'yes' });
    expect(done).toMatchObject({ answer: 'yes', counts: { going: 1 } });
    expect(seen).toBe(3);
    expect(await getItem(`EVENT#${id}`, 'META')).toMatchObject({ going: 1, waiting: 0 });
  });

  it('answers 503 event.busy — never a 500 — when conflicts outlast the attempts, writing nothing', async () => {
    const { section, organiser, reader } = await eventPeople();
    const id = await createEventAs(tokenOf(organiser), eventBody(sectionPublic(section.id), { capacity: 3 }));
    conflicts = 100;
    seen = 0;
    const refused = await answerEvent(await actorOf(reader), id, { answer: 'yes' }).catch((e: unknown) => e);
    conflicts = 0;
    expect(refused).toBeInstanceOf(UnavailableError);
    expect(refused).toMatchObject({ code: 'event.busy' });
    expect(seen).toBe(12);
    expect(await getItem(`EVENT#${id}`, 'META')).toMatchObject({ going: 0 });
    expect(await getItem(`EVENT#${id}`, `RSVP#${reader.id}`)).toBeUndefined();
  }, 30_000);
});

describe('who sees whose answer (SPEC §2)', () => {
  let section: { id: string };
  let p: Map<string, Persona>;
  let eventId: string;

  beforeAll(async () => {
    section = await freshSection();
    const spec = (key: string, extra: Partial<PersonaSpec>): PersonaSpec => ({
      key,
      firstName: key,
      lastName: `Zz${letters(8)}`,
      membership: 'adherent',
      confirmed: true,
      section: null,
      ownSection: section.id,
      visibility: 'adherents',
      signsIn: true,
      ...extra,
    });
    p = await seedPersonas([
      spec('organiser', { visibility: 'all' }),
      spec('secretary', { roles: { secretaryOf: [section.id] } }),
      spec('hidden', { visibility: 'section' }),
      spec('adherent', {}),
      spec('sympathisant', {
        membership: 'sympathisant',
        confirmed: false,
        visibility: 'all',
        section: 'lille',
        ownSection: undefined,
      }),
    ]);
    eventId = await createEventAs(tokenOf(persona(p, 'organiser')), eventBody(sectionPublic(section.id)));
    await answerAs(tokenOf(persona(p, 'hidden')), eventId, 'yes');
    await answerAs(tokenOf(persona(p, 'adherent')), eventId, 'maybe');
  }, 60_000);

  const seenBy = async (key: string) => {
    const res = await api<EventPage>(`/api/events/${eventId}`, { token: tokenOf(persona(p, key)) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return {
      ids: res.body.attendees.map((a) => a.member.id),
      event: res.body.event,
      text: JSON.stringify(res.body),
    };
  };

  it('the organiser and the secretary see the hidden member’s answer', async () => {
    for (const key of ['organiser', 'secretary']) {
      const { ids } = await seenBy(key);
      expect(ids, key).toContain(persona(p, 'hidden').id);
      expect(ids, key).toContain(persona(p, 'adherent').id);
    }
  });

  it('another member of the section sees the counts, not the hidden member — nowhere in the answer', async () => {
    const hidden = persona(p, 'hidden');
    const { ids, event, text } = await seenBy('adherent');
    expect(event.counts).toEqual({ going: 1, maybe: 1, waiting: 0 });
    expect(ids).toEqual([persona(p, 'adherent').id]);
    expect(text).not.toContain(hidden.id);
    expect(text).not.toContain(hidden.lastName);
    const list = await api(`/api/events/${eventId}/attendees`, { token: tokenOf(persona(p, 'adherent')) });
    expect(JSON.stringify(list.body)).not.toContain(hidden.id);
  });

  it('a sympathisant sees neither the hidden member nor an adherent at `adherents`', async () => {
    const { ids, event } = await seenBy('sympathisant');
    expect(ids).toEqual([]);
    expect(event.counts.going + event.counts.maybe).toBe(2);
  });

  it('the hidden member sees their own answer', async () => {
    const { ids, event } = await seenBy('hidden');
    expect(ids).toContain(persona(p, 'hidden').id);
    expect(event.myAnswer).toBe('yes');
  });
});

describe('edits and cancellations, told to who answered', () => {
  it('a change of time tells « oui », « peut-être » and waiting — not « non » — once; a cancellation too', async () => {
    const section = await freshSection();
    const spec = (key: string): PersonaSpec => ({
      key,
      firstName: key,
      lastName: `Zz${letters(8)}`,
      membership: 'adherent',
      confirmed: true,
      section: null,
      ownSection: section.id,
      visibility: key === 'organiser' ? 'all' : 'adherents',
      signsIn: true,
      ...(key === 'secretary' ? { roles: { secretaryOf: [section.id] } } : {}),
    });
    const p = await seedPersonas(
      ['organiser', 'secretary', 'yes', 'maybe', 'no', 'waiter', 'other'].map(spec),
    );
    const t = (k: string) => tokenOf(persona(p, k));
    const id = await createEventAs(t('organiser'), eventBody(sectionPublic(section.id), { capacity: 1 }));
    expect(await answerAs(t('yes'), id, 'yes')).toBe('yes');
    await answerAs(t('maybe'), id, 'maybe');
    await answerAs(t('no'), id, 'no');
    expect(await answerAs(t('waiter'), id, 'yes')).toBe('waiting');

    // Someone who does not manage it learns nothing (404); its organiser moves it.
    const body = {
      title: 'Réunion',
      start: parisIn(15, '18:00'),
      end: parisIn(15, '20:00'),
      location: 'Salle',
      capacity: 1,
    };
    expect((await api(`/api/events/${id}`, { method: 'PUT', token: t('other'), body })).status).toBe(404);
    expect((await api(`/api/events/${id}`, { method: 'PUT', token: t('organiser'), body })).status).toBe(204);
    const told = async (kind: string) =>
      Object.fromEntries(
        await Promise.all(
          ['yes', 'maybe', 'no', 'waiter', 'other'].map(async (k) => [
            k,
            (await notificationsOf(persona(p, k).id, kind)).length,
          ]),
        ),
      );
    await eventually(async () => (await told('event.changed')).waiter === 1, 'the change notices');
    expect(await told('event.changed')).toEqual({ yes: 1, maybe: 1, no: 0, waiter: 1, other: 0 });
    // The answers' agenda entries moved with the event.
    const entries = (await memberItems(persona(p, 'yes').id)).filter((i) =>
      String(i.sk).startsWith('AGENDA#'),
    );
    const meta = await getItem(`EVENT#${id}`, 'META');
    expect(entries.map((e) => e.sk)).toEqual([`AGENDA#${meta?.startAt}#${id}`]);

    // The section's secretary cancels it (a moderator); the same three are told, once.
    expect((await api(`/api/events/${id}/cancel`, { method: 'POST', token: t('secretary') })).status).toBe(
      204,
    );
    await eventually(async () => (await told('event.cancelled')).waiter === 1, 'the cancellation notices');
    expect(await told('event.cancelled')).toEqual({ yes: 1, maybe: 1, no: 0, waiter: 1, other: 0 });
    const page = await api<EventPage>(`/api/events/${id}`, { token: t('yes') });
    expect(page.body.event).toMatchObject({ cancelled: true, can: { rsvp: false, edit: false } });
    expect(
      await api(`/api/events/${id}/rsvp`, { method: 'PUT', token: t('other'), body: { answer: 'yes' } }),
    ).toMatchObject({
      status: 409,
      body: { error: { code: 'event.cancelled' } },
    });
  }, 90_000);
});
