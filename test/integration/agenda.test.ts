import { beforeAll, describe, expect, it } from 'vitest';
import { api, memberItems, setState } from '../support/api.ts';
import {
  answerAs,
  createEventAs,
  eventBody,
  eventually,
  feedPathOf,
  groupWith,
  parseCalendar,
} from '../support/events.ts';
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
 * The agendas and the calendar feed (issue 6): events reach the right circles — the section's, the
 * group's, the coopains' — and never a blocked member or one outside the audience, in every list
 * (my agenda, the section's and the party's agendas, the event page, the attendee list, the
 * iCalendar feed parsed back by ical.js). The feed re-checks the policy at each request.
 */

interface Item {
  id: string;
  title: string;
  startAt: string;
  cancelled: boolean;
}
const ids = (items: Item[]) => items.map((i) => i.id);

let p: Map<string, Persona>;
let section: { id: string; name: string };
const t = (k: string) => tokenOf(persona(p, k));
const ev: Record<string, string> = {};

beforeAll(async () => {
  section = await freshSection();
  const spec = (key: string, extra: Partial<PersonaSpec> = {}): PersonaSpec => ({
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
  p = await seedPersonas(
    [
      spec('organiser', { visibility: 'all' }),
      spec('member'),
      spec('hidden', { visibility: 'section' }),
      spec('blocked'),
      spec('outsider', { section: 'lille', ownSection: undefined }),
      spec('sympathisant', {
        membership: 'sympathisant',
        confirmed: false,
        visibility: 'all',
        section: 'lille',
        ownSection: undefined,
      }),
      spec('groupie', { section: 'lyon', ownSection: undefined }),
      spec('coopain', { section: 'rennes', ownSection: undefined }),
    ],
    { coopains: [['organiser', 'coopain']], blocks: [['organiser', 'blocked']] },
  );
  const groupId = await groupWith(persona(p, 'organiser'), [persona(p, 'groupie')]);
  const o = t('organiser');
  ev.private = await createEventAs(
    o,
    eventBody({ kind: 'section-private', sectionId: section.id }, { title: 'AG de section' }, 5),
  );
  ev.public = await createEventAs(
    o,
    eventBody({ kind: 'section-public', sectionId: section.id }, { title: 'Réunion publique' }, 6),
  );
  ev.group = await createEventAs(o, eventBody({ kind: 'group', groupId }, { title: 'Atelier du groupe' }, 7));
  ev.coopains = await createEventAs(o, eventBody({ kind: 'coopains' }, { title: 'Pique-nique' }, 8));
  ev.all = await createEventAs(o, eventBody({ kind: 'all' }, { title: 'Fête de la rose' }, 9));
  ev.adherents = await createEventAs(o, eventBody({ kind: 'adherents' }, { title: 'Université d’été' }, 10));
  // The fan-out (the task job, every second locally) writes the circles' agenda entries.
  await eventually(async () => {
    const entries = (await memberItems(persona(p, 'coopain').id)).filter((i) =>
      String(i.sk).startsWith('AGENDA#'),
    );
    const group = (await memberItems(persona(p, 'groupie').id)).filter((i) =>
      String(i.sk).startsWith('AGENDA#'),
    );
    const hidden = (await memberItems(persona(p, 'hidden').id)).filter((i) =>
      String(i.sk).startsWith('AGENDA#'),
    );
    return entries.length >= 3 && group.length >= 1 && hidden.length >= 2;
  }, 'the fan-out of the six events');
}, 120_000);

const agenda = async (k: string, path = '/api/agenda') => {
  const res = await api<{ items: Item[]; cursor: string | null }>(path, { token: t(k) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return ids(res.body.items);
};

describe('my agenda: what reached me through my section, my groups, my coopains', () => {
  it.each([
    ['organiser', ['private', 'public', 'group', 'coopains', 'all', 'adherents'], []],
    ['member', ['private', 'public'], ['group', 'coopains', 'all', 'adherents']],
    ['hidden', ['private', 'public'], ['group', 'coopains']],
    ['groupie', ['group'], ['private', 'public', 'coopains']],
    // Events to all and to the adherents reach the organiser's coopains (the party agenda has the rest).
    ['coopain', ['coopains', 'all', 'adherents'], ['private', 'public', 'group']],
    ['outsider', [], ['private', 'public', 'group', 'coopains', 'all', 'adherents']],
    ['blocked', [], ['private', 'public', 'group', 'coopains', 'all', 'adherents']],
  ] as const)('%s', async (k, has, hasNot) => {
    const seen = await agenda(k);
    for (const e of has) expect(seen, `${k} should have ${e}`).toContain(ev[e]);
    for (const e of hasNot) expect(seen, `${k} should not have ${e}`).not.toContain(ev[e]);
  });

  it('tells the circle with event.new — never the blocked member, never outside the audience', async () => {
    const told = async (k: string) =>
      (await memberItems(persona(p, k).id))
        .filter((i) => String(i.sk).startsWith('NOTIF#') && i.kind === 'event.new')
        .map((i) => (i.data as { eventId: string }).eventId);
    expect(await told('member')).toEqual(expect.arrayContaining([ev.private, ev.public]));
    expect(await told('hidden')).toEqual(expect.arrayContaining([ev.private, ev.public]));
    expect(await told('groupie')).toEqual([ev.group]);
    expect((await told('coopain')).sort()).toEqual([ev.coopains, ev.all, ev.adherents].sort());
    expect(await told('blocked')).toEqual([]);
    expect(await told('outsider')).toEqual([]);
  });

  it('keeps a page within a date range (Paris days, both ends included)', async () => {
    const res = await api<{ items: Item[]; range: { from: string; to: string } }>(
      `/api/agenda?from=${new Date(Date.now() + 6 * 86400_000).toISOString().slice(0, 10)}&to=${new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10)}`,
      { token: t('organiser') },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(ids(res.body.items)).toEqual([ev.public, ev.group]);
    const bad = await api('/api/agenda?from=2027-02-30', { token: t('organiser') });
    expect(bad).toMatchObject({ status: 400, body: { error: { field: 'from' } } });
  });
});

describe('the section’s, the group’s and the party’s agendas; the event page', () => {
  it('a section’s agenda: the public events for every member, the private ones for its circle', async () => {
    const path = `/api/sections/${section.id}/events`;
    expect(await agenda('member', path)).toEqual([ev.private, ev.public]);
    expect(await agenda('hidden', path)).toEqual([ev.private, ev.public]);
    expect(await agenda('outsider', path)).toEqual([ev.public]);
    expect(await agenda('sympathisant', path)).toEqual([ev.public]);
    expect(await agenda('blocked', path)).toEqual([]);
  });

  it('the party agenda: to all for everyone, to the adherents for the circle', async () => {
    expect(await agenda('outsider', '/api/agenda/party')).toEqual(
      expect.arrayContaining([ev.all, ev.adherents]),
    );
    const sym = await agenda('sympathisant', '/api/agenda/party');
    expect(sym).toContain(ev.all);
    expect(sym).not.toContain(ev.adherents);
    const blocked = await agenda('blocked', '/api/agenda/party');
    expect(blocked).not.toContain(ev.all);
    expect(blocked).not.toContain(ev.adherents);
  });

  it('a group’s agenda for its members only', async () => {
    const page = await api<{ items: Item[] }>(`/api/events/${ev.group}`, { token: t('groupie') });
    expect(page.status).toBe(200);
    expect((await api(`/api/events/${ev.group}`, { token: t('member') })).status).toBe(404);
  });

  it('the event page is a 404 — like an unknown id — for the blocked member and outside the audience', async () => {
    const unknown = await api(`/api/events/01KC0EVT000000000000009999`, { token: t('blocked') });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'event.not_found' } } });
    for (const [k, e] of [
      ['blocked', 'public'],
      ['blocked', 'all'],
      ['outsider', 'private'],
      ['sympathisant', 'adherents'],
    ]) {
      const res = await api(`/api/events/${ev[e as string]}`, { token: t(k as string) });
      expect({ status: res.status, body: res.body }, `${k} → ${e}`).toEqual({
        status: unknown.status,
        body: unknown.body,
      });
      const answer = await api(`/api/events/${ev[e as string]}/rsvp`, {
        method: 'PUT',
        token: t(k as string),
        body: { answer: 'yes' },
      });
      expect(answer.status, `${k} answers ${e}`).toBe(404);
    }
  });

  it('the blocked member never appears in the organiser’s attendee list, nor the organiser in theirs', async () => {
    // The member who blocks is the organiser; a third member's event both may read.
    const other = await createEventAs(
      t('member'),
      eventBody({ kind: 'section-private', sectionId: section.id }, { title: 'Permanence' }, 12),
    );
    expect(await answerAs(t('blocked'), other, 'yes')).toBe('yes');
    expect(await answerAs(t('organiser'), other, 'yes')).toBe('yes');
    const byOrganiser = await api(`/api/events/${other}`, { token: t('organiser') });
    const byBlocked = await api(`/api/events/${other}`, { token: t('blocked') });
    expect(JSON.stringify(byOrganiser.body)).not.toContain(persona(p, 'blocked').id);
    expect(JSON.stringify(byBlocked.body)).not.toContain(persona(p, 'organiser').id);
    // The organiser of that event (the member) sees both.
    const byMember = await api<{ attendees: { member: { id: string } }[] }>(`/api/events/${other}`, {
      token: t('member'),
    });
    expect(byMember.body.attendees.map((a) => a.member.id).sort()).toEqual(
      [persona(p, 'blocked').id, persona(p, 'organiser').id].sort(),
    );
  });
});

describe('the iCalendar feed (parsed back by ical.js)', () => {
  const feed = async (path: string) => {
    const res = await fetch(`${(await import('vitest')).inject('baseUrl')}${path}`);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it('shows exactly the member’s readable events, at the right times, without a session token', async () => {
    const path = await feedPathOf(t('coopain'));
    const res = await feed(path);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/calendar/);
    const cal = parseCalendar(res.text);
    expect(cal.events.map((e) => e.uid.replace('@coopol', '')).sort()).toEqual(
      [ev.coopains, ev.all, ev.adherents].sort(),
    );
    const page = await api<{ event: { startAt: string; endAt: string } }>(`/api/events/${ev.all}`, {
      token: t('coopain'),
    });
    const inFeed = cal.events.find((e) => e.uid === `${ev.all}@coopol`);
    expect(inFeed).toMatchObject({
      start: page.body.event.startAt,
      end: page.body.event.endAt,
      startIsUtc: true,
      status: 'CONFIRMED',
    });
    expect(res.text).not.toMatch(/ORGANIZER|mailto:/);
  });

  it('re-checks the policy at each request: a block made after the fan-out drops the events at once', async () => {
    const path = await feedPathOf(t('member'));
    const before = parseCalendar((await feed(path)).text).events.map((e) => e.uid);
    expect(before).toEqual(expect.arrayContaining([`${ev.private}@coopol`, `${ev.public}@coopol`]));
    const block = await api(`/api/me/blocks/${persona(p, 'organiser').id}`, {
      method: 'PUT',
      token: t('member'),
    });
    expect(block.status).toBe(204);
    const after = parseCalendar((await feed(path)).text).events.map((e) => e.uid);
    expect(after).not.toContain(`${ev.private}@coopol`);
    expect(after).not.toContain(`${ev.public}@coopol`);
    // The stale entries are still in the member's agenda partition: the feed dropped them.
    const entries = (await memberItems(persona(p, 'member').id)).filter((i) => i.eventId === ev.private);
    expect(entries).toHaveLength(1);
  });

  it('shows a cancelled event as STATUS:CANCELLED', async () => {
    const path = await feedPathOf(t('groupie'));
    expect(
      (await api(`/api/events/${ev.group}/cancel`, { method: 'POST', token: t('organiser') })).status,
    ).toBe(204);
    const cal = parseCalendar((await feed(path)).text);
    expect(cal.events.find((e) => e.uid === `${ev.group}@coopol`)).toMatchObject({ status: 'CANCELLED' });
  });

  it('answers 404 to a wrong, rotated or revoked token, and for a suspended or deleted member', async () => {
    const first = await feedPathOf(t('hidden'));
    expect((await feed(first)).status).toBe(200);
    const wrong = first.replace(/[^/]{26}$/, 'ZZZZZZZZZZZZZZZZZZZZZZZZZZ');
    expect((await feed(wrong)).status).toBe(404);
    const second = await feedPathOf(t('hidden'));
    expect((await feed(first)).status).toBe(404);
    expect((await feed(second)).status).toBe(200);
    const status = await api('/api/me/calendar', { token: t('hidden') });
    expect(status.body).toMatchObject({ active: true });
    expect(JSON.stringify(status.body)).not.toContain(second.slice(-26));

    await setState(persona(p, 'hidden').id, 'suspended');
    expect((await feed(second)).status).toBe(404);
    await setState(persona(p, 'hidden').id, 'deleted');
    expect((await feed(second)).status).toBe(404);
    await setState(persona(p, 'hidden').id, 'active');
    expect((await feed(second)).status).toBe(200);

    expect((await api('/api/me/calendar', { method: 'DELETE', token: t('hidden') })).status).toBe(204);
    const revoked = await feed(second);
    expect(revoked.status).toBe(404);
    expect(JSON.parse(revoked.text)).toMatchObject({ error: { code: 'calendar.not_found' } });
    // Only the token's hash is stored.
    const item = (await memberItems(persona(p, 'hidden').id)).find((i) => i.sk === 'ICAL');
    expect(item).toBeUndefined();
  });

  it('stores only the SHA-256 of the token', async () => {
    const path = await feedPathOf(t('outsider'));
    const token = path.slice(-26);
    const item = (await memberItems(persona(p, 'outsider').id)).find((i) => i.sk === 'ICAL');
    expect(item?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(item)).not.toContain(token);
  });
});
