import { firstSlot, sectionMission, signUpTo } from './missions.ts';
import { tokenOf } from './personas.ts';

type Request = { path: string; method: string; body?: unknown; token?: string };

/**
 * The missions routes' fixtures (issue 6), spread into the registry of test/support/route-fixtures.ts:
 * each route at its most expensive — a page with a volunteer to show, a cancellation with a volunteer
 * to tell (its task queued in the same transaction).
 */
export const missionFixtures = {
  'missions.create': async (): Promise<Request> => {
    const { section, secretary } = await sectionMission();
    return {
      method: 'POST',
      path: '/api/missions',
      token: tokenOf(secretary),
      body: {
        title: 'Porte-à-porte quartier nord',
        description: 'Par binômes, avec le tract de la section.',
        kind: 'porte-a-porte',
        place: 'Devant le local',
        audience: { kind: 'section-private', sectionId: section.id },
        slots: [
          { start: '2027-03-27T10:00', end: '2027-03-27T12:00', needed: 6 },
          { start: '2027-03-28T10:00', end: '2027-03-28T12:00', needed: 6 },
        ],
      },
    };
  },
  'missions.list': async (): Promise<Request> => {
    const { section, volunteer } = await sectionMission();
    return { method: 'GET', path: `/api/missions?section=${section.id}`, token: tokenOf(volunteer) };
  },
  'missions.get': async (): Promise<Request> => {
    const { mission, volunteer } = await sectionMission();
    await signUpTo(volunteer, mission.id, firstSlot(mission));
    return { method: 'GET', path: `/api/missions/${mission.id}`, token: tokenOf(volunteer) };
  },
  'missions.signUp': async (): Promise<Request> => {
    const { mission, volunteer } = await sectionMission();
    return {
      method: 'POST',
      path: `/api/missions/${mission.id}/slots/${firstSlot(mission)}/sign-up`,
      token: tokenOf(volunteer),
    };
  },
  'missions.withdraw': async (): Promise<Request> => {
    const { mission, volunteer } = await sectionMission();
    await signUpTo(volunteer, mission.id, firstSlot(mission));
    return {
      method: 'DELETE',
      path: `/api/missions/${mission.id}/slots/${firstSlot(mission)}/sign-up`,
      token: tokenOf(volunteer),
    };
  },
  'missions.attendance': async (): Promise<Request> => {
    const { mission, secretary, volunteer } = await sectionMission();
    await signUpTo(volunteer, mission.id, firstSlot(mission));
    return {
      method: 'PUT',
      path: `/api/missions/${mission.id}/slots/${firstSlot(mission)}/volunteers/${volunteer.id}/attendance`,
      token: tokenOf(secretary),
      body: { attended: true },
    };
  },
  'missions.close': async (): Promise<Request> => {
    const { mission, secretary, volunteer } = await sectionMission();
    await signUpTo(volunteer, mission.id, firstSlot(mission));
    return {
      method: 'POST',
      path: `/api/missions/${mission.id}/close`,
      token: tokenOf(secretary),
      body: { outcome: 'cancelled', reason: 'Marché annulé' },
    };
  },
  'missions.mySignUps': async (): Promise<Request> => {
    const { mission, volunteer } = await sectionMission();
    await signUpTo(volunteer, mission.id, firstSlot(mission));
    return { method: 'GET', path: '/api/me/mission-sign-ups', token: tokenOf(volunteer) };
  },
};
