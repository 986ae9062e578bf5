import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Membership, Visibility } from '../../shared/data/members.ts';
import { api } from '../support/api.ts';
import {
  acceptCommitment,
  directoryAll,
  letterCode,
  letters,
  type Persona,
  type PersonaSpec,
  persona,
  type SectionKey,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/**
 * The authorization matrix (issue 3, item 8) run through the real API on the emulators: every cell
 * of test/fixtures/visibility-matrix.json — viewer role × target visibility × target membership ×
 * relationship — with the expected answers of the profile, the contact details and the directory,
 * derived by hand from SPEC §2 (never from shared/auth/policy.ts).
 */

type Relationship = 'none' | 'coopains' | 'viewer_blocks' | 'blocks_viewer' | 'coopains_blocks_viewer';

interface Cell {
  viewer: string;
  visibility: Visibility;
  membership: string;
  relationship: Relationship;
  profile: 200 | 404;
  contact: 200 | 403 | 404;
  directory: boolean;
  rule: string;
}

interface ViewerDef {
  description: string;
  membership?: Membership;
  confirmed?: boolean;
  section?: SectionKey;
  visibility?: Visibility;
  roles?: { secretaryOf?: SectionKey[]; coopilote?: boolean; admin?: boolean };
  /** A secretary who accepts the confidentiality commitment (through the API) before the run. */
  commitment?: boolean;
}

interface Matrix {
  sections: Record<SectionKey, string>;
  targetSection: SectionKey;
  viewers: Record<string, ViewerDef>;
  memberships: Record<string, { membership: Membership; confirmed: boolean; shownAs: Membership }>;
  cells: Cell[];
}

const matrix = JSON.parse(
  readFileSync(new URL('../fixtures/visibility-matrix.json', import.meta.url), 'utf8'),
) as Matrix;

/** Last names are `Zz` + a run token + a fixed-width code: unique and prefix-free. */
const token = letters(5);
let serial = 0;
const lastName = () => `Zz${token}${letterCode(serial++)}`;

function membershipOf(key: string): { membership: Membership; confirmed: boolean; shownAs: Membership } {
  const m = matrix.memberships[key];
  if (!m) throw new Error(`unknown membership ${key} in the matrix`);
  return m;
}

const sharedTargetKey = (c: Pick<Cell, 'visibility' | 'membership' | 'relationship'>) =>
  `target:${c.visibility}:${c.membership}:${c.relationship}`;
const selfKey = (c: Pick<Cell, 'visibility' | 'membership'>) => `self:${c.visibility}:${c.membership}`;
const blockTargetKey = (index: number) => `block-target:${index}`;
const isBlock = (r: Relationship) =>
  r === 'viewer_blocks' || r === 'blocks_viewer' || r === 'coopains_blocks_viewer';

/** Which persona views and which is viewed, for a cell. */
function actorsOf(cell: Cell, index: number): { viewer: string; target: string } {
  if (cell.viewer === 'self') return { viewer: selfKey(cell), target: selfKey(cell) };
  if (isBlock(cell.relationship)) return { viewer: `viewer:${cell.viewer}`, target: blockTargetKey(index) };
  return { viewer: `viewer:${cell.viewer}`, target: sharedTargetKey(cell) };
}

function targetSpec(key: string, cell: Cell, signsIn: boolean): PersonaSpec {
  return {
    key,
    firstName: 'Cible',
    lastName: lastName(),
    membership: membershipOf(cell.membership).membership,
    confirmed: membershipOf(cell.membership).confirmed,
    section: matrix.targetSection,
    visibility: cell.visibility,
    signsIn,
  };
}

let personas: Map<string, Persona>;

beforeAll(async () => {
  const specs: PersonaSpec[] = [];
  const viewerKeys = Object.keys(matrix.viewers).filter((v) => v !== 'self');
  for (const v of viewerKeys) {
    const def = matrix.viewers[v] as ViewerDef;
    specs.push({
      key: `viewer:${v}`,
      firstName: 'Lectrice',
      lastName: lastName(),
      membership: def.membership ?? 'sympathisant',
      confirmed: def.confirmed ?? false,
      section: def.section ?? null,
      visibility: def.visibility ?? 'adherents',
      roles: {
        secretaryOf: (def.roles?.secretaryOf ?? []).map((s) => matrix.sections[s]),
        coopilote: def.roles?.coopilote ?? false,
        admin: def.roles?.admin ?? false,
      },
      signsIn: true,
    });
  }
  const coopains: [string, string][] = [];
  const blocks: [string, string][] = [];
  const seen = new Set<string>();
  matrix.cells.forEach((cell, index) => {
    const { viewer, target } = actorsOf(cell, index);
    if (seen.has(target)) return;
    seen.add(target);
    specs.push(targetSpec(target, cell, cell.viewer === 'self'));
    if (cell.relationship === 'coopains') for (const v of viewerKeys) coopains.push([`viewer:${v}`, target]);
    if (cell.relationship === 'coopains_blocks_viewer') coopains.push([viewer, target]);
    if (cell.relationship === 'viewer_blocks') blocks.push([viewer, target]);
    if (cell.relationship === 'blocks_viewer' || cell.relationship === 'coopains_blocks_viewer')
      blocks.push([target, viewer]);
  });
  personas = await seedPersonas(specs, { coopains, blocks });
  for (const v of viewerKeys)
    if (matrix.viewers[v]?.commitment) await acceptCommitment(persona(personas, `viewer:${v}`));
}, 120_000);

describe('authorization matrix through the real API (test/fixtures/visibility-matrix.json)', () => {
  it('has at least 150 cells covering every viewer role, visibility, membership and relationship', () => {
    expect(matrix.cells.length).toBeGreaterThanOrEqual(150);
    const distinct = (f: (c: Cell) => string) => new Set(matrix.cells.map(f));
    expect(distinct((c) => c.viewer)).toEqual(
      new Set([
        'self',
        'sympathisant',
        'adherent_same_section',
        'adherent_other_section',
        'mjs',
        'secretary_same_section',
        'secretary_same_section_uncommitted',
        'secretary_other_section',
        'coopilote',
        'admin',
        'adherent_unconfirmed_viewer',
        'sympathisant_hidden',
      ]),
    );
    expect(distinct((c) => c.visibility)).toEqual(new Set(['section', 'adherents', 'all']));
    expect(distinct((c) => c.membership)).toEqual(new Set(Object.keys(matrix.memberships)));
    expect(distinct((c) => c.relationship)).toEqual(
      new Set(['none', 'coopains', 'viewer_blocks', 'blocks_viewer', 'coopains_blocks_viewer']),
    );
    for (const cell of matrix.cells) expect(cell.rule, JSON.stringify(cell)).toBeTruthy();
  });

  it.each(
    matrix.cells.map(
      (cell, index) =>
        [
          `${cell.viewer} → ${cell.visibility}/${cell.membership}/${cell.relationship}: profile ${cell.profile}, contact ${cell.contact}, ${cell.directory ? 'listed' : 'not listed'}`,
          cell,
          index,
        ] as const,
    ),
  )('%s', async (_title, cell, index) => {
    const actors = actorsOf(cell, index);
    const viewer = persona(personas, actors.viewer);
    const target = persona(personas, actors.target);
    const token = tokenOf(viewer);
    const why = `${cell.rule} (viewer ${viewer.key}, target ${target.key})`;

    const shownAs = membershipOf(cell.membership).shownAs;

    // The three questions are independent: ask them at once.
    const [profile, contact, cards] = await Promise.all([
      api<{ member: Record<string, unknown> }>(`/api/members/${target.id}`, { token }),
      api<{ contact: { email: string } }>(`/api/members/${target.id}/contact`, { token }),
      directoryAll(token, { q: target.lastName }),
    ]);

    expect(profile.status, `profile — ${why}`).toBe(cell.profile);
    if (profile.status === 200) {
      expect(profile.body.member).toMatchObject({ id: target.id, membership: shownAs });
      // A public profile: never the member's visibility setting, never contact details.
      expect(
        Object.keys(profile.body.member).filter((k) =>
          /^(visibility|email|phone|postalAddress|contact)$/.test(k),
        ),
      ).toEqual([]);
      expect(JSON.stringify(profile.body)).not.toContain(target.email);
    } else {
      expect(profile.body).toMatchObject({ error: { code: 'member.not_found' } });
    }

    expect(contact.status, `contact — ${why}`).toBe(cell.contact);
    if (contact.status === 200) expect(contact.body.contact.email).toBe(target.email);
    else {
      expect(JSON.stringify(contact.body)).not.toContain(target.email);
      expect(contact.body).toMatchObject({
        error: { code: contact.status === 403 ? 'secretariat.commitment_required' : 'member.not_found' },
      });
    }

    const listed = cards.map((c) => c.id);
    expect(listed.includes(target.id), `directory — ${why}`).toBe(cell.directory);
    for (const card of cards) expect(card).toMatchObject({ membership: shownAs });
    // The query is the target's full, prefix-free last name: nobody else may come back.
    expect(listed.filter((id) => id !== target.id)).toEqual([]);
  });
});
