import { acceptCommitment, sectionWithSecretary, tokenOf } from './personas.ts';

type Request = { path: string; method: string; body?: unknown; token?: string };

/** The secretary's tools routes' fixtures (issue 11), spread into test/support/route-fixtures.ts. */
export const secretariatFixtures = {
  'sections.getWelcomeTemplate': async (): Promise<Request> => {
    const { section, secretary } = await sectionWithSecretary();
    return { method: 'GET', path: `/api/sections/${section.id}/welcome-template`, token: tokenOf(secretary) };
  },
  'sections.putWelcomeTemplate': async (): Promise<Request> => {
    const { section, secretary } = await sectionWithSecretary();
    return {
      method: 'PUT',
      path: `/api/sections/${section.id}/welcome-template`,
      token: tokenOf(secretary),
      body: { text: 'Bienvenue {prénom} dans la section {section} !' },
    };
  },
  'sections.dashboard': async (): Promise<Request> => {
    const { section, secretary } = await sectionWithSecretary();
    return { method: 'GET', path: `/api/sections/${section.id}/dashboard`, token: tokenOf(secretary) };
  },
  'sections.exportRoster': async (): Promise<Request> => {
    const { section, secretary } = await sectionWithSecretary();
    await acceptCommitment(secretary);
    return { method: 'GET', path: `/api/sections/${section.id}/roster-export`, token: tokenOf(secretary) };
  },
};
