import { beforeAll, describe, expect, it } from 'vitest';
import type { Membership, Visibility } from '../../shared/data/members.ts';
import { api } from '../support/api.ts';
import {
  directoryAll,
  letterCode,
  letters,
  type Persona,
  type PersonaSpec,
  persona,
  SECTIONS,
  type SectionKey,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/**
 * Directory / profile consistency (issue 3, item 8, second test), for every viewer role: every
 * member the directory lists opens with GET /api/members/{id}, and every seeded member that opens
 * but is not listed is explained by a relation — self, coopain (in effect: both above `section`),
 * or the viewer being the member's section secretary. Anything else is a leak or a hole.
 */

const lastToken = letters(5);
const firstToken = letters(5);
let serial = 0;
/** Every seeded member shares the last-name prefix `Zy<lastToken>` and the first-name prefix `Zy<firstToken>`. */
const names = () => {
  const code = letterCode(serial++);
  return { firstName: `Zy${firstToken}${code}`, lastName: `Zy${lastToken}${code}` };
};

const MEMBERSHIPS: [string, Membership, boolean][] = [
  ['adherent_confirmed', 'adherent', true],
  ['mjs_confirmed', 'mjs', true],
  ['adherent_unconfirmed', 'adherent', false],
  ['sympathisant', 'sympathisant', false],
];
const VISIBILITIES: Visibility[] = ['section', 'adherents', 'all'];

const VIEWERS: Omit<PersonaSpec, 'firstName' | 'lastName'>[] = [
  {
    key: 'sympathisant',
    membership: 'sympathisant',
    confirmed: false,
    section: 'nantes',
    visibility: 'adherents',
  },
  // An adherent whose claim is not confirmed yet counts as a sympathisant.
  {
    key: 'adherent_unconfirmed',
    membership: 'adherent',
    confirmed: false,
    section: 'nantes',
    visibility: 'adherents',
  },
  {
    key: 'adherent_same_section',
    membership: 'adherent',
    confirmed: true,
    section: 'nantes',
    visibility: 'all',
  },
  {
    key: 'adherent_other_section',
    membership: 'adherent',
    confirmed: true,
    section: 'lille',
    visibility: 'adherents',
  },
  { key: 'mjs', membership: 'mjs', confirmed: true, section: 'lyon', visibility: 'adherents' },
  {
    key: 'secretary_same_section',
    membership: 'adherent',
    confirmed: true,
    section: 'nantes',
    visibility: 'adherents',
    roles: { secretaryOf: [SECTIONS.nantes] },
  },
  {
    key: 'secretary_other_section',
    membership: 'adherent',
    confirmed: true,
    section: 'lille',
    visibility: 'section',
    roles: { secretaryOf: [SECTIONS.lille] },
  },
  {
    key: 'coopilote',
    membership: 'adherent',
    confirmed: true,
    section: 'lyon',
    visibility: 'adherents',
    roles: { coopilote: true },
  },
  {
    key: 'admin',
    membership: 'adherent',
    confirmed: true,
    section: 'toulouse',
    visibility: 'adherents',
    roles: { admin: true },
  },
  // « self »: a member at `section` who searches for their own name (and has links without effect).
  { key: 'self', membership: 'adherent', confirmed: true, section: 'nantes', visibility: 'section' },
];

let personas: Map<string, Persona>;
/** Unordered coopain pairs, as `a|b` with a < b. */
const coopainPairs = new Set<string>();
const pair = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

beforeAll(async () => {
  const specs: PersonaSpec[] = VIEWERS.map((v) => ({ ...v, ...names(), signsIn: true }));
  const targets: string[] = [];
  for (const section of ['nantes', 'lille'] as SectionKey[])
    for (const visibility of VISIBILITIES)
      for (const [label, membership, confirmed] of MEMBERSHIPS) {
        // Nantes targets come with and without coopains; Lille ones without (the Lille secretary's).
        for (const rel of section === 'nantes' ? ['none', 'coopains'] : ['none']) {
          const key = `${section}:${visibility}:${label}:${rel}`;
          targets.push(key);
          specs.push({ key, ...names(), membership, confirmed, section, visibility });
        }
      }
  const links: [string, string][] = [];
  for (const t of targets.filter((k) => k.endsWith(':coopains')))
    for (const v of VIEWERS) links.push([v.key, t]);
  // Viewers are coopains of some other viewers too (seeded members are viewers as well).
  links.push(
    ['sympathisant', 'mjs'],
    ['self', 'adherent_same_section'],
    ['admin', 'secretary_other_section'],
  );
  for (const [a, b] of links) coopainPairs.add(pair(a, b));
  // A Nantes member at `all` blocks the Nantes secretary (who still opens the profile, unlisted),
  // another blocks the sympathisant.
  specs.push(
    {
      key: 'blocks-secretary',
      ...names(),
      membership: 'adherent',
      confirmed: true,
      section: 'nantes',
      visibility: 'all',
    },
    {
      key: 'blocks-sympathisant',
      ...names(),
      membership: 'mjs',
      confirmed: true,
      section: 'nantes',
      visibility: 'all',
    },
  );
  // Members of another section at `all`, so that a sympathisant's search spans pages too.
  for (let i = 0; i < 8; i++) {
    const [, membership, confirmed] = MEMBERSHIPS[i % MEMBERSHIPS.length] as [string, Membership, boolean];
    specs.push({
      key: `marseille:all:${i}`,
      ...names(),
      membership,
      confirmed,
      section: 'marseille',
      visibility: 'all',
    });
  }
  personas = await seedPersonas(specs, {
    coopains: links,
    blocks: [
      ['blocks-secretary', 'secretary_same_section'],
      ['blocks-sympathisant', 'sympathisant'],
    ],
  });
}, 120_000);

/** Why `viewer` may open `member` without the directory listing them, or null. */
function relationOf(viewer: Persona, member: Persona): string | null {
  if (viewer.id === member.id) return 'self';
  if (member.sectionId && (viewer.roles?.secretaryOf ?? []).includes(member.sectionId)) return 'secretary';
  if (
    coopainPairs.has(pair(viewer.key, member.key)) &&
    viewer.visibility !== 'section' &&
    member.visibility !== 'section'
  )
    return 'coopain';
  return null;
}

describe('directory / profile consistency, for every viewer role', () => {
  it.each(VIEWERS.map((v) => v.key))('%s', async (viewerKey) => {
    const viewer = persona(personas, viewerKey);
    const token = tokenOf(viewer);
    const seeded = [...personas.values()];

    // Which seeded members open for this viewer (one GET each).
    const opens = new Map<string, boolean>();
    await Promise.all(
      seeded.map(async (m) => {
        const res = await api(`/api/members/${m.id}`, { token });
        expect([200, 404], `GET /api/members/${m.key}`).toContain(res.status);
        opens.set(m.id, res.status === 200);
      }),
    );
    const byId = new Map(seeded.map((m) => [m.id, m]));

    const searches: { label: string; params: { q?: string; section?: string }; scope: Persona[] }[] = [
      { label: 'last-name prefix', params: { q: `zy${lastToken}` }, scope: seeded },
      { label: 'first-name prefix', params: { q: `ZY${firstToken.toUpperCase()}` }, scope: seeded },
      {
        label: 'Nantes Erdre + last-name prefix',
        params: { q: `Zy${lastToken}`, section: SECTIONS.nantes },
        scope: seeded.filter((m) => m.sectionId === SECTIONS.nantes),
      },
      {
        label: 'Lille Centre + first-name prefix',
        params: { q: `zy${firstToken}`, section: SECTIONS.lille },
        scope: seeded.filter((m) => m.sectionId === SECTIONS.lille),
      },
    ];
    let listedSomewhere = 0;
    let maxPages = 0;
    for (const search of searches) {
      const stats = { pages: 0 };
      const cards = await directoryAll(token, search.params, stats);
      maxPages = Math.max(maxPages, stats.pages);
      const listed = new Set(cards.map((c) => c.id));
      expect(listed.size, `${search.label}: a member listed twice`).toBe(cards.length);
      // Every listed member is one of ours (the prefixes are unique to this file) and opens.
      for (const id of listed) {
        const m = byId.get(id);
        expect(m, `${search.label}: listed a member outside the query (${id})`).toBeDefined();
        expect(search.scope, `${search.label}: ${m?.key} is outside the query`).toContain(m);
        expect(opens.get(id), `${search.label}: LEAK — ${m?.key} is listed but does not open`).toBe(true);
      }
      // Every member of the scope that opens but is not listed is explained by a relation.
      for (const m of search.scope) {
        if (!opens.get(m.id) || listed.has(m.id)) continue;
        expect(
          relationOf(viewer, m),
          `${search.label}: HOLE — ${m.key} opens for ${viewer.key} but is not listed, and no relation explains it`,
        ).not.toBeNull();
      }
      listedSomewhere += listed.size;
    }
    // The check is not vacuous: every viewer lists the `all` members at least.
    expect(listedSomewhere).toBeGreaterThan(0);
    // …and the cursor is exercised: the name searches span more than one page of 20.
    expect(maxPages).toBeGreaterThan(1);
  });
});
