import { answerAs, createEventAs, eventBody, eventPeople, feedPathOf, groupWith, parisIn } from './events.ts';
import { tokenOf } from './personas.ts';

type Request = { path: string; method: string; body?: unknown; token?: string };

const sectionPublic = (section: { id: string }) => ({ kind: 'section-public', sectionId: section.id });

/**
 * The events and agenda routes' fixtures (issue 6), spread into the registry of
 * test/support/route-fixtures.ts: each route at its most expensive — an event for a group (the
 * group is read), a page with an answer to show, an edit that moves the event (its task queued in
 * the same transaction), a cancellation by the section's secretary.
 */
export const eventFixtures = {
  'events.create': async (): Promise<Request> => {
    const { organiser, reader } = await eventPeople();
    const groupId = await groupWith(organiser, [reader]);
    return {
      method: 'POST',
      path: '/api/events',
      token: tokenOf(organiser),
      body: eventBody({ kind: 'group', groupId }, { title: 'Atelier tracts', capacity: 12 }),
    };
  },
  'events.get': async (): Promise<Request> => {
    const { section, organiser, reader } = await eventPeople();
    const id = await createEventAs(tokenOf(organiser), eventBody(sectionPublic(section), { capacity: 30 }));
    await answerAs(tokenOf(reader), id, 'yes');
    return { method: 'GET', path: `/api/events/${id}`, token: tokenOf(reader) };
  },
  'events.update': async (): Promise<Request> => {
    const { section, organiser, reader } = await eventPeople();
    const id = await createEventAs(tokenOf(organiser), eventBody(sectionPublic(section)));
    await answerAs(tokenOf(reader), id, 'yes');
    return {
      method: 'PUT',
      path: `/api/events/${id}`,
      token: tokenOf(organiser),
      body: {
        title: 'Réunion publique (nouvelle date)',
        start: parisIn(12, '18:30'),
        end: parisIn(12, '20:30'),
        location: 'Salle des fêtes',
        capacity: 50,
      },
    };
  },
  'events.cancel': async (): Promise<Request> => {
    const { section, organiser, secretary } = await eventPeople();
    const id = await createEventAs(tokenOf(organiser), eventBody(sectionPublic(section)));
    return { method: 'POST', path: `/api/events/${id}/cancel`, token: tokenOf(secretary) };
  },
  'events.rsvp': async (): Promise<Request> => {
    const { section, organiser, reader } = await eventPeople();
    const id = await createEventAs(tokenOf(organiser), eventBody(sectionPublic(section), { capacity: 2 }));
    return { method: 'PUT', path: `/api/events/${id}/rsvp`, token: tokenOf(reader), body: { answer: 'yes' } };
  },
  'events.attendees': async (): Promise<Request> => {
    const { section, organiser, reader, secretary } = await eventPeople();
    const id = await createEventAs(tokenOf(organiser), eventBody(sectionPublic(section)));
    await answerAs(tokenOf(reader), id, 'yes');
    await answerAs(tokenOf(secretary), id, 'maybe');
    return { method: 'GET', path: `/api/events/${id}/attendees`, token: tokenOf(reader) };
  },
  'agenda.mine': async (): Promise<Request> => {
    const { section, organiser } = await eventPeople();
    await createEventAs(tokenOf(organiser), eventBody(sectionPublic(section)));
    await createEventAs(tokenOf(organiser), eventBody({ kind: 'coopains' }, { title: 'Pique-nique' }, 20));
    return { method: 'GET', path: '/api/agenda', token: tokenOf(organiser) };
  },
  'agenda.party': async (): Promise<Request> => {
    const { organiser, reader } = await eventPeople();
    await createEventAs(tokenOf(organiser), eventBody({ kind: 'all' }, { title: 'Fête de la rose' }));
    await createEventAs(tokenOf(organiser), eventBody({ kind: 'adherents' }, { title: 'Université d’été' }));
    return { method: 'GET', path: '/api/agenda/party', token: tokenOf(reader) };
  },
  'sections.events': async (): Promise<Request> => {
    const { section, organiser, reader } = await eventPeople();
    await createEventAs(tokenOf(organiser), eventBody(sectionPublic(section)));
    await createEventAs(
      tokenOf(organiser),
      eventBody({ kind: 'section-private', sectionId: section.id }, { title: 'Assemblée générale' }),
    );
    return { method: 'GET', path: `/api/sections/${section.id}/events`, token: tokenOf(reader) };
  },
  'groups.events': async (): Promise<Request> => {
    const { organiser, reader } = await eventPeople();
    const groupId = await groupWith(organiser, [reader]);
    await createEventAs(tokenOf(organiser), eventBody({ kind: 'group', groupId }, { title: 'Atelier' }));
    return { method: 'GET', path: `/api/groups/${groupId}/events`, token: tokenOf(reader) };
  },
  'calendar.status': async (): Promise<Request> => {
    const { reader } = await eventPeople();
    await feedPathOf(tokenOf(reader));
    return { method: 'GET', path: '/api/me/calendar', token: tokenOf(reader) };
  },
  'calendar.rotate': async (): Promise<Request> => {
    const { reader } = await eventPeople();
    return { method: 'POST', path: '/api/me/calendar', token: tokenOf(reader) };
  },
  'calendar.revoke': async (): Promise<Request> => {
    const { reader } = await eventPeople();
    await feedPathOf(tokenOf(reader));
    return { method: 'DELETE', path: '/api/me/calendar', token: tokenOf(reader) };
  },
  // Public: the calendar app sends no token, the URL is the credential.
  'calendar.feed': async (): Promise<Request> => {
    const { section, organiser, reader } = await eventPeople();
    const id = await createEventAs(tokenOf(organiser), eventBody(sectionPublic(section)));
    await answerAs(tokenOf(reader), id, 'yes');
    return { method: 'GET', path: await feedPathOf(tokenOf(reader)) };
  },
};
