import { describe, expect, it } from 'vitest';
import { mayListNewcomers, maySeeNewcomer } from '../../shared/auth/policy.ts';
import type { Member } from '../../shared/data/members.ts';

/**
 * The newcomers list's policy cells (issue 11): who lists newcomers, and which newcomer each
 * viewer sees. Expected values derived by hand from the issue (« hidden newcomers appear only to
 * their own secretary ») and SPEC §2–3.
 */

const NOW = new Date('2027-03-01T12:00:00.000Z');
const S = '01KC0SEC0000000000000000S1';
const T = '01KC0SEC0000000000000000T1';

function member(id: string, facts: Partial<Member>): Member {
  return {
    id,
    cognitoSub: id,
    firstName: 'Camille',
    lastName: id,
    bio: '',
    membershipClaim: 'adherent',
    membershipConfirmed: true,
    sectionId: S,
    sectionName: 'S',
    visibility: 'adherents',
    state: 'active',
    roles: { secretaryOf: [], coopilote: false, admin: false },
    mandates: [],
    createdAt: '2027-02-20T00:00:00.000Z',
    updatedAt: '2027-02-20T00:00:00.000Z',
    version: 1,
    ...facts,
  };
}

const coopilote = member('coopilote', {
  sectionId: T,
  roles: { secretaryOf: [], coopilote: true, admin: false },
});
const sympathisantCoopilote = member('sympcoop', {
  sectionId: T,
  membershipClaim: 'sympathisant',
  membershipConfirmed: false,
  roles: { secretaryOf: [], coopilote: true, admin: false },
});
const secretaryS = member('secS', { roles: { secretaryOf: [S], coopilote: false, admin: false } });
const secretaryT = member('secT', {
  sectionId: T,
  roles: { secretaryOf: [T], coopilote: false, admin: false },
});
const coopiloteSecretaryS = member('coopsecS', {
  sectionId: T,
  roles: { secretaryOf: [S], coopilote: true, admin: false },
});
const admin = member('admin', { roles: { secretaryOf: [], coopilote: false, admin: true } });
const plain = member('plain', {});

describe('mayListNewcomers', () => {
  it.each([
    ['a coopilote, party-wide', coopilote, null, true],
    ['a coopilote, any section', coopilote, S, true],
    ['a secretary, their section', secretaryS, S, true],
    ['a secretary, party-wide', secretaryS, null, false],
    ['a secretary, another section', secretaryT, S, false],
    ['an admin (no role here)', admin, S, false],
    ['a plain member', plain, null, false],
    ['a suspended coopilote', { ...coopilote, state: 'suspended' as const }, null, false],
  ])('%s → %s', (_why, viewer, sectionId, expected) => {
    expect(mayListNewcomers(viewer, sectionId)).toBe(expected);
  });
});

describe('maySeeNewcomer', () => {
  const visibleToAll = member('all', { visibility: 'all' });
  const adherentsOnly = member('adh', { visibility: 'adherents' });
  const hidden = member('hid', { visibility: 'section' });
  const open = { blocked: false };
  it.each([
    ['a coopilote sees an `all` newcomer', coopilote, visibleToAll, open, true],
    ['a coopilote in the circle sees an `adherents` newcomer', coopilote, adherentsOnly, open, true],
    [
      'a sympathisant coopilote does not see an `adherents` one',
      sympathisantCoopilote,
      adherentsOnly,
      open,
      false,
    ],
    ['a coopilote never sees a hidden newcomer of another section', coopilote, hidden, open, false],
    ['the secretary of their section sees a hidden newcomer', secretaryS, hidden, open, true],
    ['a coopilote who is their secretary sees a hidden newcomer', coopiloteSecretaryS, hidden, open, true],
    ['another section’s secretary does not', secretaryT, hidden, open, false],
    [
      'a block either way hides them, even from their secretary',
      secretaryS,
      visibleToAll,
      { blocked: true },
      false,
    ],
    ['a block hides them from a coopilote', coopilote, visibleToAll, { blocked: true }, false],
    [
      'a suspended newcomer is not shown',
      secretaryS,
      { ...visibleToAll, state: 'suspended' as const },
      open,
      false,
    ],
    [
      'an unconfirmed account is not shown',
      secretaryS,
      { ...visibleToAll, state: 'pending' as const },
      open,
      false,
    ],
    [
      'an erased account is not shown',
      secretaryS,
      { ...visibleToAll, state: 'deleted' as const },
      open,
      false,
    ],
    ['never the viewer themself', secretaryS, secretaryS, open, false],
    ['a plain member sees nobody here', plain, visibleToAll, open, false],
  ])('%s', (_why, viewer, newcomer, relation, expected) => {
    expect(maySeeNewcomer(viewer, newcomer, relation, NOW)).toBe(expected);
  });
});
