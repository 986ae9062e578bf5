import { describe, expect, it } from 'vitest';
import {
  mayManageEvent,
  mayOrganiseEvent,
  mayReadContent,
  mayRsvp,
  maySeeAttendee,
} from '../../shared/auth/policy.ts';
import type { GroupMembership } from '../../shared/data/groups.ts';
import type { Member } from '../../shared/data/members.ts';
import type { Audience } from '../../shared/data/posts.ts';

/**
 * Policy cells for events (issue 6), data-driven: viewer kind × audience × relation → may see the
 * event / may answer it; viewer × attendee → may see the answer; organiser × audience → may
 * organise; who manages an event. Pure: no network.
 */

const NOW = new Date('2026-12-04T12:00:00Z');
const P = '01KC0SEC00000000000000000P';
const L = '01KC0SEC00000000000000000L';
const G = '01KC0GRP00000000000000000G';

function member(id: string, over: Partial<Member>): Member {
  return {
    id,
    cognitoSub: id,
    firstName: 'Prénom',
    lastName: id,
    bio: '',
    membershipClaim: 'adherent',
    membershipConfirmed: true,
    sectionId: P,
    sectionName: 'Paris',
    visibility: 'adherents',
    state: 'active',
    roles: { secretaryOf: [], coopilote: false, admin: false },
    mandates: [],
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    version: 1,
    ...over,
  };
}

const people = {
  organiser: member('organiser', { visibility: 'all' }),
  adherentP: member('adherentP', {}),
  hiddenP: member('hiddenP', { visibility: 'section' }),
  sympathisant: member('sympathisant', {
    membershipClaim: 'sympathisant',
    membershipConfirmed: false,
    visibility: 'all',
  }),
  unconfirmedP: member('unconfirmedP', { membershipConfirmed: false }),
  adherentL: member('adherentL', { sectionId: L, sectionName: 'Lille' }),
  secretaryP: member('secretaryP', {
    sectionId: L,
    roles: { secretaryOf: [P], coopilote: false, admin: false },
  }),
  suspendedOrganiser: member('suspendedOrganiser', { visibility: 'all', state: 'suspended' }),
  hiddenL: member('hiddenL', { sectionId: L, visibility: 'section' }),
} as const;
type Who = keyof typeof people;

const AUD: Record<string, Audience> = {
  all: { kind: 'all' },
  adherents: { kind: 'adherents' },
  coopains: { kind: 'coopains' },
  sectionPublic: { kind: 'section-public', sectionId: P },
  sectionPrivate: { kind: 'section-private', sectionId: P },
  group: { kind: 'group', groupId: G },
};
type Aud = keyof typeof AUD;

const membership = (
  memberId: string,
  status: GroupMembership['status'],
  role: GroupMembership['role'] = 'member',
) => ({
  groupId: G,
  memberId,
  role,
  status,
  at: '2026-01-01T00:00:00Z',
});

type Rel = 'none' | 'coopains' | 'blocked' | 'group-active' | 'group-pending';
function relation(viewer: Who, rel: Rel) {
  return {
    coopains: rel === 'coopains',
    blocked: rel === 'blocked',
    group:
      rel === 'group-active'
        ? membership(viewer, 'active')
        : rel === 'group-pending'
          ? membership(viewer, 'pending')
          : undefined,
  };
}

/** [viewer, audience, relation to the organiser, may see the event, may answer it, why]. */
const READ: [Who, Aud, Rel, boolean, boolean, string][] = [
  ['adherentP', 'all', 'none', true, true, 'every member reads an event to all'],
  ['sympathisant', 'all', 'none', true, true, 'a sympathisant too'],
  ['hiddenP', 'all', 'none', true, true, 'a hidden member reads and answers (SPEC §2)'],
  ['adherentP', 'all', 'blocked', false, false, 'never across a block'],
  ['adherentL', 'adherents', 'none', true, true, 'the adherents circle, any section'],
  ['sympathisant', 'adherents', 'none', false, false, 'not a sympathisant'],
  ['unconfirmedP', 'adherents', 'none', false, false, 'an unconfirmed claim counts as sympathisant'],
  ['sympathisant', 'sectionPublic', 'none', true, true, 'a section’s public agenda: every member'],
  ['adherentL', 'sectionPublic', 'none', true, true, 'from another section too'],
  ['adherentP', 'sectionPrivate', 'none', true, true, 'the section’s circle'],
  ['hiddenP', 'sectionPrivate', 'none', true, true, 'hidden members of the section included'],
  ['secretaryP', 'sectionPrivate', 'none', true, true, 'its secretary, living elsewhere'],
  ['adherentL', 'sectionPrivate', 'none', false, false, 'not another section’s adherent'],
  ['unconfirmedP', 'sectionPrivate', 'none', false, false, 'not an unconfirmed claim'],
  ['sympathisant', 'sectionPrivate', 'none', false, false, 'not a sympathisant of the section'],
  ['adherentL', 'group', 'group-active', true, true, 'an active group member'],
  ['adherentL', 'group', 'group-pending', false, false, 'not a pending request'],
  ['adherentP', 'group', 'none', false, false, 'not a non-member'],
  ['adherentP', 'coopains', 'coopains', true, true, 'the organiser’s coopains'],
  ['adherentP', 'coopains', 'none', false, false, 'not others'],
  ['hiddenP', 'coopains', 'coopains', false, false, 'a link has no effect at `section` visibility'],
  ['adherentP', 'coopains', 'blocked', false, false, 'a block ends it'],
];

describe('events: who sees and answers an event (organiser = author, ADR 008)', () => {
  const event = (audience: Aud) => ({
    audience: AUD[audience] as Audience,
    cancelled: false,
    endAt: '2027-01-10T20:00:00Z',
  });

  it.each(
    READ.map((r) => [`${r[0]} × ${r[1]} (${r[2]}) → see ${r[3]}, answer ${r[4]} — ${r[5]}`, r] as const),
  )('%s', (_t, [viewer, audience, rel, sees, answers]) => {
    const v = people[viewer];
    const r = relation(viewer, rel);
    expect(mayReadContent(v, people.organiser, AUD[audience] as Audience, r, NOW)).toBe(sees);
    expect(mayRsvp(v, people.organiser, event(audience), r, NOW)).toBe(answers);
  });

  it('nobody else sees or answers the event of a suspended organiser; the organiser themself still does', () => {
    const e = { audience: AUD.all as Audience, cancelled: false, endAt: '2027-01-10T20:00:00Z' };
    const o = people.suspendedOrganiser;
    expect(mayReadContent(people.adherentP, o, e.audience, relation('adherentP', 'none'), NOW)).toBe(false);
    expect(mayRsvp(people.adherentP, o, e, relation('adherentP', 'none'), NOW)).toBe(false);
  });

  it.each([
    ['a cancelled event', { cancelled: true, endAt: '2027-01-10T20:00:00Z' }],
    ['an event that is over', { cancelled: false, endAt: '2026-12-04T11:59:00Z' }],
  ])('is read but not answered: %s', (_t, state) => {
    const e = { audience: AUD.all as Audience, ...state };
    const r = relation('adherentP', 'none');
    expect(mayReadContent(people.adherentP, people.organiser, e.audience, r, NOW)).toBe(true);
    expect(mayRsvp(people.adherentP, people.organiser, e, r, NOW)).toBe(false);
  });

  it('a suspended member does not answer', () => {
    const v = member('suspendedViewer', { state: 'suspended' });
    const e = { audience: AUD.all as Audience, cancelled: false, endAt: '2027-01-10T20:00:00Z' };
    expect(mayRsvp(v, people.organiser, e, relation('adherentP', 'none'), NOW)).toBe(false);
  });
});

/** [viewer, attendee, event audience, relation viewer↔attendee, may see the answer, why]. */
const ATTENDEE: [Who, Who, Aud, Rel, boolean, string][] = [
  ['hiddenP', 'hiddenP', 'all', 'none', true, 'a member sees their own answer'],
  ['organiser', 'hiddenP', 'all', 'none', true, 'the organiser sees a hidden member’s answer'],
  ['secretaryP', 'hiddenP', 'all', 'none', true, 'the secretary of the member’s section too'],
  ['adherentP', 'hiddenP', 'all', 'none', false, 'nobody else: a hidden member appears nowhere (SPEC §2)'],
  ['adherentP', 'hiddenP', 'all', 'coopains', false, 'not even a coopain (no effect at `section`)'],
  ['secretaryP', 'hiddenL', 'sectionPublic', 'none', true, 'the secretary of the event’s section'],
  ['adherentL', 'hiddenL', 'sectionPublic', 'none', false, 'not a member of the hidden member’s section'],
  ['organiser', 'hiddenP', 'all', 'blocked', false, 'never across a block'],
  ['adherentL', 'adherentP', 'all', 'none', true, 'an adherent at `adherents`: the adherents circle'],
  ['sympathisant', 'adherentP', 'all', 'none', false, '…not a sympathisant'],
  ['sympathisant', 'adherentP', 'all', 'coopains', true, '…unless coopains'],
  ['adherentL', 'adherentP', 'all', 'blocked', false, 'a block hides the answer'],
  ['adherentL', 'sympathisant', 'all', 'none', true, 'a member at `all`: everyone'],
];

describe('events: whose answer a viewer sees (the counts are for every reader)', () => {
  it.each(ATTENDEE.map((r) => [`${r[0]} sees ${r[1]} (${r[2]}, ${r[3]}) → ${r[4]} — ${r[5]}`, r] as const))(
    '%s',
    (_t, [viewer, attendee, audience, rel, expected]) => {
      const e = { organiserId: 'organiser', audience: AUD[audience] as Audience };
      expect(maySeeAttendee(people[viewer], people[attendee], e, relation(viewer, rel), NOW)).toBe(expected);
    },
  );

  it('a suspended attendee’s answer is shown only to themself and their secretary', () => {
    const s = member('suspendedAttendee', { state: 'suspended' });
    const e = { organiserId: 'organiser', audience: AUD.all as Audience };
    expect(maySeeAttendee(people.organiser, s, e, relation('organiser', 'none'), NOW)).toBe(false);
    expect(maySeeAttendee(people.secretaryP, s, e, relation('secretaryP', 'none'), NOW)).toBe(true);
  });
});

/** [organiser, audience, relation, refusal (null = allowed), why]. */
const ORGANISE: [Who, Aud, Rel, string | null, string][] = [
  ['organiser', 'sectionPublic', 'none', null, 'a confirmed adherent of the section, visible to all'],
  [
    'adherentP',
    'sectionPublic',
    'none',
    'audience_wider_than_profile',
    'the public agenda is read by sympathisants',
  ],
  ['adherentP', 'sectionPrivate', 'none', null, '« créer des évènements dans sa section »'],
  ['secretaryP', 'sectionPrivate', 'none', null, 'its secretary'],
  ['adherentL', 'sectionPrivate', 'none', 'not_in_audience', 'not another section’s'],
  ['unconfirmedP', 'sectionPrivate', 'none', 'not_in_audience', 'not before the membership is confirmed'],
  [
    'sympathisant',
    'sectionPublic',
    'none',
    'not_in_audience',
    'a sympathisant follows the section, does not organise',
  ],
  [
    'hiddenP',
    'sectionPrivate',
    'none',
    'visibility_too_low',
    'a hidden member first raises their visibility',
  ],
  ['adherentP', 'group', 'group-active', null, 'a group’s members'],
  ['adherentP', 'group', 'group-pending', 'not_in_audience', 'not a pending request'],
  ['sympathisant', 'all', 'none', null, 'a member visible to all, to all'],
  ['adherentP', 'all', 'none', 'audience_wider_than_profile', 'not wider than their profile'],
  ['sympathisant', 'adherents', 'none', 'not_in_audience', 'not to a circle they are not in'],
  ['adherentP', 'coopains', 'none', null, 'their coopains'],
];

describe('events: who organises where', () => {
  it.each(ORGANISE.map((r) => [`${r[0]} → ${r[1]} (${r[2]}): ${r[3] ?? 'allowed'} — ${r[4]}`, r] as const))(
    '%s',
    (_t, [who, audience, rel, expected]) => {
      expect(mayOrganiseEvent(people[who], AUD[audience] as Audience, relation(who, rel))).toBe(expected);
    },
  );

  it.each([
    ['organiser', 'sectionPublic', 'none', true, 'the organiser'],
    ['secretaryP', 'sectionPrivate', 'none', true, 'the secretary of the event’s section'],
    ['adherentP', 'sectionPublic', 'none', false, 'not another member of the section'],
    ['adherentL', 'group', 'group-active', false, 'not a group member'],
    ['adherentL', 'group', 'group-admin', true, 'a group admin'],
  ] as const)('manages: %s on %s (%s) → %s — %s', (who, audience, rel, expected, _why) => {
    const group = rel === 'group-admin' ? membership(who, 'active', 'admin') : relation(who, rel).group;
    expect(
      mayManageEvent(
        people[who],
        { organiserId: 'organiser', audience: AUD[audience] as Audience },
        { group },
      ),
    ).toBe(expected);
  });
});
