import { describe, expect, it } from 'vitest';
import {
  mayManageMission,
  mayOrganiseMission,
  mayReadMission,
  maySeeVolunteer,
  mayVolunteer,
} from '../../shared/auth/policy.ts';
import type { GroupMembership } from '../../shared/data/groups.ts';
import type { Member } from '../../shared/data/members.ts';
import type { Audience } from '../../shared/data/posts.ts';

/**
 * The missions' policy cells (issue 6), pure and data-driven: each row is one decision, with the
 * rule it checks in words. Expected values derived by hand from SPEC §1–§4 and the issue.
 */

const NOW = new Date('2027-03-01T12:00:00.000Z');
const S = '01KC0SEC0000000000000000S1';
const T = '01KC0SEC0000000000000000T1';
const G = '01KC0GRP0000000000000000G1';

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
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...facts,
  };
}

const P = {
  secretary: member('secretary', { roles: { secretaryOf: [S], coopilote: false, admin: false } }),
  visibleSecretary: member('visibleSecretary', {
    visibility: 'all',
    roles: { secretaryOf: [S], coopilote: false, admin: false },
  }),
  hiddenSecretary: member('hiddenSecretary', {
    visibility: 'section',
    roles: { secretaryOf: [S], coopilote: false, admin: false },
  }),
  otherSecretary: member('otherSecretary', {
    sectionId: T,
    roles: { secretaryOf: [T], coopilote: false, admin: false },
  }),
  circle: member('circle', {}),
  hidden: member('hidden', { visibility: 'section' }),
  sympathisantS: member('sympathisantS', { membershipClaim: 'sympathisant', visibility: 'all' }),
  unconfirmedS: member('unconfirmedS', { membershipConfirmed: false }),
  outsider: member('outsider', { sectionId: T }),
  farSympathisant: member('farSympathisant', {
    membershipClaim: 'sympathisant',
    sectionId: null,
    visibility: 'all',
  }),
  admin: member('admin', { sectionId: T, roles: { secretaryOf: [], coopilote: false, admin: true } }),
  suspended: member('suspended', { state: 'suspended' }),
  groupie: member('groupie', { sectionId: T }),
} as const;
type Key = keyof typeof P;

const privateS: Audience = { kind: 'section-private', sectionId: S };
const publicS: Audience = { kind: 'section-public', sectionId: S };
const group: Audience = { kind: 'group', groupId: G };
const active = (memberId: string, role: 'member' | 'admin' = 'member'): GroupMembership => ({
  groupId: G,
  memberId,
  role,
  status: 'active',
  at: '2026-01-01T00:00:00.000Z',
});
const pending = (memberId: string): GroupMembership => ({ ...active(memberId), status: 'pending' });

describe('mayOrganiseMission — a section’s secretary for the section, a group’s admin for the group', () => {
  it.each([
    ['the secretary, for the section’s circle', 'secretary', privateS, undefined, null],
    [
      'a secretary at `adherents`, for the public (sympathisants would not see them)',
      'secretary',
      publicS,
      undefined,
      'audience_wider_than_profile',
    ],
    ['a secretary visible to all, for the public', 'visibleSecretary', publicS, undefined, null],
    [
      'a hidden secretary (raise your visibility first)',
      'hiddenSecretary',
      privateS,
      undefined,
      'visibility_too_low',
    ],
    ['another section’s secretary', 'otherSecretary', privateS, undefined, 'not_organiser'],
    ['a member of the circle', 'circle', privateS, undefined, 'not_organiser'],
    ['a platform admin, for a section', 'admin', privateS, undefined, 'not_organiser'],
    ['a group’s admin, for the group', 'groupie', group, active('groupie', 'admin'), null],
    ['a group’s member', 'groupie', group, active('groupie'), 'not_organiser'],
    ['a pending admin-to-be', 'groupie', group, pending('groupie'), 'not_organiser'],
    [
      'a secretary, for every member (no such mission)',
      'visibleSecretary',
      { kind: 'all' },
      undefined,
      'not_in_audience',
    ],
    [
      'a secretary, for the adherents (no such mission)',
      'secretary',
      { kind: 'adherents' },
      undefined,
      'not_in_audience',
    ],
  ] as const)('%s', (_rule, who, audience, membership, expected) => {
    expect(mayOrganiseMission(P[who as Key], audience as Audience, { group: membership })).toBe(expected);
  });
});

describe('mayReadMission — its audience by its organiser (mayReadContent), and those who run it', () => {
  const bySecretary = { organiserId: 'secretary', audience: privateS };
  const publicBySecretary = { organiserId: 'visibleSecretary', audience: publicS };
  const ofGroup = { organiserId: 'groupie', audience: group };
  const none = { coopains: false, blocked: false };
  it.each([
    ['the circle reads the section’s mission', 'circle', 'secretary', bySecretary, none, true],
    ['a hidden member reads their section’s mission', 'hidden', 'secretary', bySecretary, none, true],
    ['an unconfirmed claim is not in the circle', 'unconfirmedS', 'secretary', bySecretary, none, false],
    [
      'a sympathisant of the section is not in its circle',
      'sympathisantS',
      'secretary',
      bySecretary,
      none,
      false,
    ],
    ['a member of another section is not in the circle', 'outsider', 'secretary', bySecretary, none, false],
    [
      'the circle across a block (either way) reads nothing',
      'circle',
      'secretary',
      bySecretary,
      { coopains: false, blocked: true },
      false,
    ],
    ['the organiser reads their own', 'secretary', 'secretary', bySecretary, none, true],
    [
      'a co-secretary runs it, even across a block',
      'visibleSecretary',
      'secretary',
      bySecretary,
      { coopains: false, blocked: true },
      true,
    ],
    [
      'the public of the section: a sympathisant from elsewhere',
      'farSympathisant',
      'visibleSecretary',
      publicBySecretary,
      none,
      true,
    ],
    [
      'the public of the section: another section’s adherent',
      'outsider',
      'visibleSecretary',
      publicBySecretary,
      none,
      true,
    ],
    [
      'the public, across a block',
      'outsider',
      'visibleSecretary',
      publicBySecretary,
      { coopains: false, blocked: true },
      false,
    ],
    ['a group’s active member', 'outsider', 'groupie', ofGroup, { ...none, group: active('outsider') }, true],
    [
      'a group’s pending member',
      'outsider',
      'groupie',
      ofGroup,
      { ...none, group: pending('outsider') },
      false,
    ],
    ['not in the group', 'circle', 'groupie', ofGroup, none, false],
    [
      'a group’s admin runs it',
      'circle',
      'groupie',
      ofGroup,
      { ...none, group: active('circle', 'admin') },
      true,
    ],
  ] as const)('%s', (_rule, viewer, organiser, mission, relation, expected) => {
    expect(mayReadMission(P[viewer as Key], P[organiser as Key], mission, relation as never, NOW)).toBe(
      expected,
    );
  });

  it('hides a mission whose organiser the reader may no longer see (now hidden, or suspended)', () => {
    const m = { organiserId: 'visibleSecretary', audience: publicS };
    const nowHidden = { ...P.visibleSecretary, visibility: 'section' as const };
    const suspended = { ...P.visibleSecretary, state: 'suspended' as const };
    const none = { coopains: false, blocked: false };
    expect(mayReadMission(P.farSympathisant, nowHidden, m, none, NOW)).toBe(false);
    expect(mayReadMission(P.farSympathisant, suspended, m, none, NOW)).toBe(false);
    expect(mayReadMission(P.farSympathisant, undefined, m, none, NOW)).toBe(false);
  });
});

describe('mayVolunteer — an active reader, the mission open, the slot not begun', () => {
  const m = (status: string) => ({ organiserId: 'secretary', audience: privateS, status });
  const later = { startsAt: '2027-03-02T09:00:00.000Z' };
  const begun = { startsAt: '2027-03-01T11:00:00.000Z' };
  const none = { coopains: false, blocked: false };
  it.each([
    ['a member of the circle, open, later', 'circle', m('open'), later, true],
    ['a hidden member signs up too (SPEC §2)', 'hidden', m('open'), later, true],
    ['the slot has begun', 'circle', m('open'), begun, false],
    ['the mission is done', 'circle', m('done'), later, false],
    ['the mission is cancelled', 'circle', m('cancelled'), later, false],
    ['a suspended member', 'suspended', m('open'), later, false],
    ['outside the circle', 'outsider', m('open'), later, false],
  ] as const)('%s', (_rule, viewer, mission, slot, expected) => {
    expect(mayVolunteer(P[viewer as Key], P.secretary, mission, slot, none, NOW)).toBe(expected);
  });
});

describe('maySeeVolunteer — names only for whom the viewer may see; hidden ones for those who run it', () => {
  const none = { coopains: false, blocked: false };
  it.each([
    ['themself', 'hidden', 'hidden', false, none, true],
    ['the organiser sees a hidden volunteer', 'secretary', 'hidden', true, none, true],
    ['the secretary of the volunteer’s section sees them anywhere', 'secretary', 'hidden', false, none, true],
    ['a member of the circle does not see a hidden volunteer', 'circle', 'hidden', false, none, false],
    ['a member of the circle sees an `adherents` volunteer', 'circle', 'outsider', false, none, true],
    ['a sympathisant does not see an `adherents` volunteer', 'farSympathisant', 'circle', false, none, false],
    ['a sympathisant sees a volunteer visible to all', 'farSympathisant', 'sympathisantS', false, none, true],
    [
      'a coopain sees an `adherents` volunteer',
      'farSympathisant',
      'circle',
      false,
      { coopains: true, blocked: false },
      true,
    ],
    ['never across a block', 'outsider', 'circle', false, { coopains: false, blocked: true }, false],
    [
      'those who run it, not across a block',
      'groupie',
      'outsider',
      true,
      { coopains: false, blocked: true },
      false,
    ],
    [
      'the volunteer’s own secretary, even across a block',
      'secretary',
      'circle',
      true,
      { coopains: false, blocked: true },
      true,
    ],
    ['a suspended volunteer is not shown to members', 'circle', 'suspended', false, none, false],
  ] as const)('%s', (_rule, viewer, volunteer, runs, relation, expected) => {
    expect(maySeeVolunteer(P[viewer as Key], P[volunteer as Key], runs, relation, NOW)).toBe(expected);
  });
});

describe('mayManageMission — its organiser, its section’s secretaries, its group’s admins', () => {
  it.each([
    ['the organiser', 'circle', { organiserId: 'circle', audience: group }, undefined, true],
    [
      'a secretary of the section',
      'visibleSecretary',
      { organiserId: 'secretary', audience: privateS },
      undefined,
      true,
    ],
    [
      'another section’s secretary',
      'otherSecretary',
      { organiserId: 'secretary', audience: privateS },
      undefined,
      false,
    ],
    ['a platform admin', 'admin', { organiserId: 'secretary', audience: publicS }, undefined, false],
    [
      'a group’s admin',
      'outsider',
      { organiserId: 'groupie', audience: group },
      active('outsider', 'admin'),
      true,
    ],
    ['a group’s member', 'outsider', { organiserId: 'groupie', audience: group }, active('outsider'), false],
  ] as const)('%s', (_rule, viewer, mission, membership, expected) => {
    expect(mayManageMission(P[viewer as Key], mission, { group: membership })).toBe(expected);
  });
});
