import type { Member, Membership } from '../data/members.ts';

/**
 * The one policy module (architecture rule 2): every "may V do X to M" question is answered here,
 * as pure functions over facts the use case loaded (the member items, read on each request —
 * token groups are only a mirror). Handlers and use cases never test roles themselves.
 * The authorization matrix test (test/unit/policy-matrix.test.ts) drives it from a data file.
 */

/** Membership that counts: a claim is worth nothing until confirmed (SPEC §1). */
export function effectiveMembership(
  member: Pick<Member, 'membershipClaim' | 'membershipConfirmed'>,
): Membership {
  return member.membershipConfirmed ? member.membershipClaim : 'sympathisant';
}

/** The adherents circle = confirmed PS adherents and MJS members (SPEC §1). */
export function inAdherentsCircle(member: Pick<Member, 'membershipClaim' | 'membershipConfirmed'>): boolean {
  return effectiveMembership(member) !== 'sympathisant';
}

/** A suspension is in force unless its end date has passed (checked at request time, Q3). */
export function isSuspended(member: Pick<Member, 'state' | 'suspendedUntil'>, now: Date): boolean {
  if (member.state !== 'suspended') return false;
  return member.suspendedUntil === undefined || Date.parse(member.suspendedUntil) > now.getTime();
}

export type Admission = 'allowed' | 'suspended' | 'gone';

/**
 * May this member call a member route at all? `gone` (deleted or missing) reads as unauthenticated;
 * a suspended member only reaches the routes flagged `allowSuspended` (SPEC §1).
 */
export function admitMember(
  member: Pick<Member, 'state' | 'suspendedUntil'> | undefined,
  route: { allowSuspended?: boolean },
  now: Date,
): Admission {
  if (!member || member.state === 'deleted') return 'gone';
  if (isSuspended(member, now) && !route.allowSuspended) return 'suspended';
  return 'allowed';
}

/** Is the viewer the secretary of the section the member belongs to? */
export function isSecretaryOf(viewer: Pick<Member, 'roles'>, member: Pick<Member, 'sectionId'>): boolean {
  return member.sectionId !== null && viewer.roles.secretaryOf.includes(member.sectionId);
}

/**
 * Contact details (email, phone, postal address) reach only the member themself and — for a
 * confirmed PS adherent — the secretary of their own section (charter §1, SPEC §2). The
 * secretary's read is audited by the caller.
 */
export function mayReadContactDetails(
  viewer: Pick<Member, 'id' | 'roles' | 'state'>,
  member: Pick<Member, 'id' | 'sectionId' | 'membershipClaim' | 'membershipConfirmed' | 'state'>,
): boolean {
  if (viewer.id === member.id) return true;
  if (member.state === 'deleted' || viewer.state === 'deleted') return false;
  return isSecretaryOf(viewer, member) && effectiveMembership(member) === 'adherent';
}

/** Only the member edits their own profile and contact details. */
export function mayEditProfile(viewer: Pick<Member, 'id'>, member: Pick<Member, 'id'>): boolean {
  return viewer.id === member.id;
}
