import { letters, sectionWithSecretary, seedPersonas, tokenOf } from './personas.ts';

type Request = { path: string; method: string; body?: unknown; token?: string };

/** The newcomers list's fixture (issue 11), spread into test/support/route-fixtures.ts. */
export const newcomersFixtures = {
  // The secretary of a fresh section, with one newcomer in it to list.
  'newcomers.list': async (): Promise<Request> => {
    const { section, secretary } = await sectionWithSecretary();
    await seedPersonas([
      {
        key: 'newcomer',
        firstName: 'Nina',
        lastName: `Zz${letters(8)}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        ownSection: section.id,
        visibility: 'adherents',
      },
    ]);
    return { method: 'GET', path: `/api/newcomers?section=${section.id}`, token: tokenOf(secretary) };
  },
};
