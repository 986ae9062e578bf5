import ICAL from 'ical.js';
import { utcToParis } from '../../shared/time.ts';
import { api } from './api.ts';
import { freshSection, letters, type Persona, persona, seedPersonas, tokenOf } from './personas.ts';

/** Test helpers for events and the agenda (issue 6). */

/** A Paris wall-clock time `days` days from now, at `time` (`HH:mm`), as a form sends it. */
export function parisIn(days: number, time = '19:00'): string {
  const day = utcToParis(new Date(Date.now() + days * 24 * 3600 * 1000).toISOString()).slice(0, 10);
  return `${day}T${time}`;
}

/** The body of a valid event for this audience, starting in `days` days (2 hours long). */
export function eventBody(
  audience: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
  days = 10,
): Record<string, unknown> {
  return {
    audience,
    title: 'Réunion publique',
    description: 'Ordre du jour : les municipales.',
    start: parisIn(days, '19:00'),
    end: parisIn(days, '21:00'),
    location: 'Local de la section, 12 rue Oberkampf',
    ...overrides,
  };
}

/** Creates an event (a setup call: it must succeed); its id. */
export async function createEventAs(token: string, body: Record<string, unknown>): Promise<string> {
  const res = await api<{ id: string }>('/api/events', { token, body });
  if (res.status !== 201) throw new Error(`event failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Answers an event (a setup call: it must succeed); the answer recorded. */
export async function answerAs(
  token: string,
  eventId: string,
  answer: 'yes' | 'maybe' | 'no',
): Promise<string> {
  const res = await api<{ answer: string }>(`/api/events/${eventId}/rsvp`, {
    method: 'PUT',
    token,
    body: { answer },
  });
  if (res.status !== 200) throw new Error(`answer failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.answer;
}

/** Makes the member's calendar feed (a setup call); the path of its URL (`/api/calendar/…`). */
export async function feedPathOf(token: string): Promise<string> {
  const res = await api<{ url: string }>('/api/me/calendar', { method: 'POST', token });
  if (res.status !== 201) throw new Error(`calendar failed: ${res.status} ${JSON.stringify(res.body)}`);
  return new URL(res.body.url).pathname;
}

/** Waits until `check` is true (the task job runs every second locally). */
export async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * A fresh section with three signed-in members: an organiser visible to all (who may organise for
 * every audience a member may), a confirmed adherent of the section at `adherents` (a reader of
 * both agendas) and the section's secretary.
 */
export async function eventPeople(): Promise<{
  section: { id: string; name: string };
  organiser: Persona;
  reader: Persona;
  secretary: Persona;
}> {
  const section = await freshSection();
  const member = {
    membership: 'adherent',
    confirmed: true,
    section: null,
    ownSection: section.id,
    signsIn: true,
  } as const;
  const seeded = await seedPersonas([
    { key: 'organiser', firstName: 'Odile', lastName: `Zz${letters(8)}`, visibility: 'all', ...member },
    { key: 'reader', firstName: 'Rémi', lastName: `Zz${letters(8)}`, visibility: 'adherents', ...member },
    {
      key: 'secretary',
      firstName: 'Solène',
      lastName: `Zz${letters(8)}`,
      visibility: 'adherents',
      roles: { secretaryOf: [section.id] },
      ...member,
    },
  ]);
  return {
    section,
    organiser: persona(seeded, 'organiser'),
    reader: persona(seeded, 'reader'),
    secretary: persona(seeded, 'secretary'),
  };
}

/** A group of `admin`'s (open to every member) that `members` joined; its id. */
export async function groupWith(admin: Persona, members: Persona[]): Promise<string> {
  const res = await api<{ id: string }>('/api/groups', {
    token: tokenOf(admin),
    body: {
      name: `Atelier ${letters(10)}`,
      description: 'Pour agir.',
      joinPolicy: 'open',
      visibility: 'all',
    },
  });
  if (res.status !== 201) throw new Error(`group failed: ${res.status} ${JSON.stringify(res.body)}`);
  for (const m of members) {
    const join = await api(`/api/groups/${res.body.id}/membership`, { method: 'POST', token: tokenOf(m) });
    if (join.status !== 200) throw new Error(`join failed: ${join.status} ${JSON.stringify(join.body)}`);
  }
  return res.body.id;
}

export interface ParsedEvent {
  uid: string;
  summary: string;
  start: string;
  end: string;
  /** The raw DTSTART value type: UTC times end with `Z`. */
  startIsUtc: boolean;
  status: string | null;
  sequence: number;
  location: string | null;
  description: string;
  url: string | null;
}

/** Parses an iCalendar text with ical.js (a strict RFC 5545 parser) into its events. */
export function parseCalendar(text: string): { name: string | null; events: ParsedEvent[] } {
  const root = new ICAL.Component(ICAL.parse(text));
  if (root.name !== 'vcalendar') throw new Error(`not a VCALENDAR: ${root.name}`);
  const events = root.getAllSubcomponents('vevent').map((vevent) => {
    const e = new ICAL.Event(vevent);
    const str = (name: string) => {
      const v = vevent.getFirstPropertyValue(name);
      return v === null ? null : String(v);
    };
    return {
      uid: e.uid,
      summary: e.summary,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      startIsUtc: e.startDate.zone?.tzid === 'UTC',
      status: str('status'),
      sequence: e.sequence,
      location: e.location ?? null,
      description: e.description ?? '',
      url: str('url'),
    };
  });
  const name = root.getFirstPropertyValue('x-wr-calname') ?? root.getFirstPropertyValue('name');
  return { name: name === null ? null : String(name), events };
}
