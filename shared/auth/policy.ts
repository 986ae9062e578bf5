import type { Tier } from '../data/directory.ts';
import type { GroupMembership, GroupVisibility } from '../data/groups.ts';
import type { BlockLists, Member, Membership } from '../data/members.ts';
import type { Audience } from '../data/posts.ts';
import type { CognitoGroup } from '../identity/cognito.ts';

/**
 * The one policy module (architecture rule 2): every "may V do X to M" question is answered here,
 * as pure functions over facts the use case loaded (the member items, read on each request —
 * token groups are only a mirror). Handlers and use cases never test roles themselves.
 * The authorization matrix tests drive it from test/fixtures/*.json, through the real API too.
 */

type Facts = Pick<
  Member,
  'id' | 'membershipClaim' | 'membershipConfirmed' | 'sectionId' | 'visibility' | 'state' | 'roles'
>;

/** What the viewer and the member are to each other, loaded by the use case. */
export interface Relation {
  /** A coopain link exists between them (G1). */
  coopains: boolean;
  /** Either blocked the other (G4). */
  blocked: boolean;
}

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

/** Blocks hide both ways (SPEC §3), from the viewer's block lists loaded with their item. */
export function blockedEitherWay(viewerBlocks: BlockLists, otherId: string): boolean {
  return viewerBlocks.blocks.has(otherId) || viewerBlocks.blockedBy.has(otherId);
}

/** Is the viewer the secretary of the section the member belongs to? */
export function isSecretaryOf(viewer: Pick<Member, 'roles'>, member: Pick<Member, 'sectionId'>): boolean {
  return member.sectionId !== null && viewer.roles.secretaryOf.includes(member.sectionId);
}

/** A member shown to others: active (or in a suspension that has ended) and not being erased. */
function isShown(member: Pick<Member, 'state' | 'suspendedUntil'>, now: Date): boolean {
  return member.state === 'active' || (member.state === 'suspended' && !isSuspended(member, now));
}

/**
 * Coopain links count only while both sides are above `section`: a member at `section` "has no
 * coopains" — links made before are kept but have no effect (SPEC §2).
 */
function coopainsInEffect(viewer: Facts, member: Facts, relation: Relation): boolean {
  return relation.coopains && viewer.visibility !== 'section' && member.visibility !== 'section';
}

export type ProfileAccess = 'self' | 'secretary' | 'coopain' | 'visibility' | null;

/**
 * May V see M's profile, and why (SPEC §2): always themself and the secretary of M's section;
 * otherwise only with no block either way, M shown, and M's visibility — `all`: any signed-in
 * member; `adherents`: the adherents circle or a coopain; `section`: nobody else.
 * `null` = not visible, which callers answer with 404 (never 403: existence is not revealed).
 */
export function profileAccess(
  viewer: Facts,
  member: Facts & Pick<Member, 'suspendedUntil'>,
  relation: Relation,
  now: Date,
): ProfileAccess {
  if (member.state === 'deleted' || viewer.state === 'deleted') return null;
  if (viewer.id === member.id) return 'self';
  if (isSecretaryOf(viewer, member)) return 'secretary';
  if (relation.blocked || !isShown(member, now)) return null;
  if (member.visibility === 'all')
    return coopainsInEffect(viewer, member, relation) ? 'coopain' : 'visibility';
  if (member.visibility === 'adherents') {
    if (coopainsInEffect(viewer, member, relation)) return 'coopain';
    return inAdherentsCircle(viewer) ? 'visibility' : null;
  }
  return null;
}

/**
 * The directory lists exactly the members V may see by the visibility rule alone — not through
 * a coopain link or a secretary role — never V themself, never a `section`-level member (SPEC §2).
 */
export function mayListInDirectory(
  viewer: Facts,
  member: Facts & Pick<Member, 'suspendedUntil'>,
  relation: Pick<Relation, 'blocked'>,
  now: Date,
): boolean {
  if (viewer.id === member.id || relation.blocked || !isShown(member, now)) return false;
  if (member.visibility === 'all') return true;
  return member.visibility === 'adherents' && inAdherentsCircle(viewer);
}

/** The directory tier a viewer reads: the adherents circle sees `adherents` and `all` members. */
export function directoryTierFor(viewer: Pick<Member, 'membershipClaim' | 'membershipConfirmed'>): Tier {
  return inAdherentsCircle(viewer) ? 'DIR' : 'DIRALL';
}

/** The tiers a member's directory entries go to (none when not listed by the rule above). */
export function directoryTiers(member: Pick<Member, 'visibility' | 'state'>): Tier[] {
  if (member.state !== 'active') return [];
  if (member.visibility === 'all') return ['DIR', 'DIRALL'];
  return member.visibility === 'adherents' ? ['DIR'] : [];
}

/**
 * Contact details (email, phone, postal address) reach only the member themself and — for a
 * confirmed PS adherent — the secretary of their own section (charter §1, SPEC §2). The
 * secretary's read is audited by the caller, after the confidentiality commitment.
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

/** The section's secretary or a platform admin runs the section's roster (SPEC §9). */
export function mayManageSection(viewer: Pick<Member, 'roles'>, sectionId: string): boolean {
  return viewer.roles.admin || viewer.roles.secretaryOf.includes(sectionId);
}

/** Confirming a membership claim or verifying a mandate: the member's secretary or an admin (SPEC §1). */
export function mayVouchFor(
  viewer: Pick<Member, 'id' | 'roles'>,
  member: Pick<Member, 'id' | 'sectionId'>,
): boolean {
  if (viewer.id === member.id && !viewer.roles.admin) return false;
  return viewer.roles.admin || isSecretaryOf(viewer, member);
}

/** Only platform admins change roles (secretaries, coopilotes, admins). */
export function maySetRoles(viewer: Pick<Member, 'roles'>): boolean {
  return viewer.roles.admin;
}

/** The Cognito groups that mirror a member's circle and roles (the table is the truth). */
export function cognitoGroupsFor(
  member: Pick<Member, 'membershipClaim' | 'membershipConfirmed' | 'roles'>,
): CognitoGroup[] {
  const groups: CognitoGroup[] = [inAdherentsCircle(member) ? 'adherents' : 'sympathisants'];
  if (member.roles.secretaryOf.length > 0) groups.push('secretaires');
  if (member.roles.coopilote) groups.push('coopilotes');
  if (member.roles.admin) groups.push('admins');
  return groups;
}

/**
 * May V send M a private message (SPEC §3)? Never across a block, never to a member who is not
 * shown (suspended, deleted, unconfirmed address); a `section`-level member writes only to their
 * own secretary; otherwise: coopains (while both are above `section`), or M's profile visible to
 * V by the visibility rule (« passer par son profil public »), or V the secretary of M's section.
 */
export function maySendMessage(
  viewer: Facts,
  member: Facts & Pick<Member, 'suspendedUntil'>,
  relation: Relation,
  now: Date,
): boolean {
  if (viewer.id === member.id || relation.blocked || !isShown(member, now)) return false;
  if (isSecretaryOf(viewer, member)) return true;
  if (viewer.visibility === 'section') return isSecretaryOf(member, viewer);
  const access = profileAccess(viewer, member, relation, now);
  return access === 'coopain' || access === 'visibility';
}

// ————— Content: posts, comments, groups (SPEC §4) —————

/** The section circle: confirmed adherents/MJS of the section and its secretaries (SPEC §1). */
export function inSectionCircle(
  member: Pick<Member, 'sectionId' | 'membershipClaim' | 'membershipConfirmed' | 'roles'>,
  sectionId: string,
): boolean {
  return (
    member.roles.secretaryOf.includes(sectionId) ||
    (member.sectionId === sectionId && inAdherentsCircle(member))
  );
}

/** What a reader is to a piece of content's author and place, loaded by the use case. */
export interface ContentRelation extends Relation {
  /** The reader's membership of the content's group (group audience only). */
  group?: GroupMembership | undefined;
}

/**
 * May V read a post (or its comments) written by A for this audience (SPEC §4)? Never across a
 * block; never when V may not see A's profile (a post must not reveal a member V may not see —
 * an `adherents`-level author to a sympathisant, a member now at `section`, a suspended one);
 * then the audience: `all` and a section's public page — every member; `adherents` — the
 * adherents circle; a section's private page — its circle (hidden members included); a group —
 * its active members; `coopains` — A's coopains.
 */
export function mayReadContent(
  viewer: Facts,
  author: (Facts & Pick<Member, 'suspendedUntil'>) | undefined,
  audience: Audience,
  relation: ContentRelation,
  now: Date,
): boolean {
  if (!author || viewer.state === 'deleted') return false;
  if (viewer.id === author.id) return true;
  if (relation.blocked || profileAccess(viewer, author, relation, now) === null) return false;
  switch (audience.kind) {
    case 'all':
    case 'section-public':
      return true;
    case 'adherents':
      return inAdherentsCircle(viewer);
    case 'section-private':
      return inSectionCircle(viewer, audience.sectionId);
    case 'group':
      return relation.group?.status === 'active';
    case 'coopains':
      return coopainsInEffect(viewer, author, relation);
  }
}

/**
 * The author facts under which V may see A's profile, as `profileAccess` decides it, for a check
 * made by DynamoDB when the write commits (a comment costs no read of the post's author): A
 * active, and A's visibility among `visibilities` — or A in a section V is secretary of.
 */
export function authorSeenWhen(
  viewer: Facts,
  relation: { coopains: boolean },
): { visibilities: Member['visibility'][]; orSectionIn: string[] } {
  const widened = inAdherentsCircle(viewer) || (relation.coopains && viewer.visibility !== 'section');
  return {
    visibilities: widened ? ['all', 'adherents'] : ['all'],
    orSectionIn: viewer.roles.secretaryOf,
  };
}

/**
 * `mayReadContent` for a write that cannot afford to read the author first (a comment, 3 round
 * trips): what the viewer's own facts decide is decided here (null = refused); what depends on
 * the author and the group is returned as conditions the transaction checks when it commits.
 */
export function contentReadConditions(
  viewer: Facts,
  post: { authorId: string; audience: Audience },
  relation: Relation,
): { author: ReturnType<typeof authorSeenWhen> | null; activeInGroup: string | null } | null {
  if (viewer.id === post.authorId) return { author: null, activeInGroup: null };
  if (relation.blocked || viewer.state === 'deleted') return null;
  const author = authorSeenWhen(viewer, relation);
  const a = post.audience;
  switch (a.kind) {
    case 'all':
    case 'section-public':
      return { author, activeInGroup: null };
    case 'adherents':
      return inAdherentsCircle(viewer) ? { author, activeInGroup: null } : null;
    case 'section-private':
      return inSectionCircle(viewer, a.sectionId) ? { author, activeInGroup: null } : null;
    case 'group':
      return { author, activeInGroup: a.groupId };
    case 'coopains':
      // Coopains only while both are above `section`: never through a secretary role.
      return relation.coopains && viewer.visibility !== 'section'
        ? { author: { visibilities: ['all', 'adherents'], orSectionIn: [] }, activeInGroup: null }
        : null;
  }
}

export type PublishRefusal = 'visibility_too_low' | 'audience_wider_than_profile' | 'not_in_audience';

/**
 * May A publish to this audience (SPEC §2, §4)? A member at `section` reads but does not post
 * or comment. A post must not reach readers who may not see A's profile: `all` and a section's
 * public page (read by sympathisants) need A visible to all. `adherents` needs A in the circle;
 * a section's private page its circle; a group an active membership. `null` = allowed.
 */
export function mayPublish(
  author: Facts,
  audience: Audience,
  relation: { group?: GroupMembership | undefined },
): PublishRefusal | null {
  if (author.visibility === 'section') return 'visibility_too_low';
  switch (audience.kind) {
    case 'all':
      return author.visibility === 'all' ? null : 'audience_wider_than_profile';
    case 'section-public':
      if (author.sectionId !== audience.sectionId && !author.roles.secretaryOf.includes(audience.sectionId))
        return 'not_in_audience';
      return author.visibility === 'all' ? null : 'audience_wider_than_profile';
    case 'adherents':
      return inAdherentsCircle(author) ? null : 'not_in_audience';
    case 'section-private':
      return inSectionCircle(author, audience.sectionId) ? null : 'not_in_audience';
    case 'group':
      return relation.group?.status === 'active' ? null : 'not_in_audience';
    case 'coopains':
      return null;
  }
}

/** May V comment on a post they may read? Not at `section` visibility (SPEC §2). */
export function mayComment(viewer: Facts): boolean {
  return viewer.visibility !== 'section' && viewer.state === 'active';
}

/**
 * May V remove someone else's post or comment at this place: the section's secretary on its pages,
 * a group's admins in the group (SPEC §4; coopilotes come with moderation).
 */
export function mayModerateAt(
  viewer: Pick<Member, 'roles'>,
  audience: Audience,
  relation: { group?: GroupMembership | undefined },
): boolean {
  switch (audience.kind) {
    case 'section-public':
    case 'section-private':
      return viewer.roles.secretaryOf.includes(audience.sectionId);
    case 'group':
      return relation.group?.status === 'active' && relation.group.role === 'admin';
    default:
      return false;
  }
}

/** May V see that a group exists: an `adherents` group is for the adherents circle (and its members). */
export function maySeeGroup(
  viewer: Pick<Member, 'membershipClaim' | 'membershipConfirmed'>,
  group: { visibility: GroupVisibility },
  membership: GroupMembership | undefined,
): boolean {
  return group.visibility === 'all' || inAdherentsCircle(viewer) || membership !== undefined;
}

/** May V join (or ask to join) a group they may see? Not at `section` visibility; `adherents` groups for the circle. */
export function mayJoinGroup(viewer: Facts, group: { visibility: GroupVisibility }): boolean {
  if (viewer.visibility === 'section') return false;
  return group.visibility === 'all' || inAdherentsCircle(viewer);
}

// ————— Moderation (SPEC §6) —————

/** The coopilotes act on the queue of reports, on suspensions and on appeals (charter §4). */
export function mayModerate(viewer: Pick<Member, 'roles' | 'state'>): boolean {
  return viewer.roles.coopilote && viewer.state === 'active';
}

/** The audit log is read by the coopilotes and the admins; nobody writes it but the actions themselves. */
export function mayReadAuditLog(viewer: Pick<Member, 'roles' | 'state'>): boolean {
  return (viewer.roles.coopilote || viewer.roles.admin) && viewer.state === 'active';
}

// ————— Newcomers to welcome (issue 11, charter §4) —————

/**
 * Who lists the newcomers: the coopilotes party-wide (« ils orientent les nouveaux membres ») and a
 * secretary their own sections. `sectionId` is the section asked for (null: party-wide).
 */
export function mayListNewcomers(viewer: Pick<Member, 'roles' | 'state'>, sectionId: string | null): boolean {
  if (viewer.state !== 'active') return false;
  if (viewer.roles.coopilote) return true;
  return sectionId !== null && viewer.roles.secretaryOf.includes(sectionId);
}

/**
 * May V see M on the newcomers list: M active, never across a block (either way), never V
 * themself; the secretary of M's section sees all of their newcomers, hidden ones included; a
 * coopilote sees those the visibility rule shows them (`mayListInDirectory`: never a
 * `section`-level member of another section).
 */
export function maySeeNewcomer(
  viewer: Facts,
  member: Facts & Pick<Member, 'suspendedUntil'>,
  relation: Pick<Relation, 'blocked'>,
  now: Date,
): boolean {
  if (viewer.state !== 'active' || member.state !== 'active') return false;
  if (viewer.id === member.id || relation.blocked) return false;
  if (isSecretaryOf(viewer, member)) return true;
  return viewer.roles.coopilote && mayListInDirectory(viewer, member, relation, now);
}

/**
 * May V report something? Anyone who may see it, except their own words (a report is about
 * someone else) — and a member reports a member only while they may see that member's profile.
 */
export function mayReport(viewer: Pick<Member, 'id' | 'state'>, authorId: string): boolean {
  return viewer.state === 'active' && viewer.id !== authorId;
}

// ————— Events and the agenda (SPEC §2, §4 — issue 6) —————

/** Why a member may not organise an event for an audience (the reasons of `mayPublish`). */
export type OrganiseRefusal = PublishRefusal;

/**
 * May M organise an event for this audience? As publishing a post with the organiser as the
 * author (`mayPublish`: an event must not show its organiser to readers who may not see them),
 * and on a section's agenda only as a confirmed member of its circle or its secretary — « tout
 * adhérent confirmé peut créer des évènements dans sa section » (SPEC §4).
 */
export function mayOrganiseEvent(
  organiser: Facts,
  audience: Audience,
  relation: { group?: GroupMembership | undefined },
): OrganiseRefusal | null {
  const refusal = mayPublish(organiser, audience, relation);
  if (refusal) return refusal;
  if (
    (audience.kind === 'section-public' || audience.kind === 'section-private') &&
    !inSectionCircle(organiser, audience.sectionId)
  )
    return 'not_in_audience';
  return null;
}

/**
 * May V answer an event they may read (`mayReadContent`, the organiser as the author)? Only while
 * active, and only while the event is neither cancelled nor over. A member at `section`
 * visibility answers too (SPEC §2): their answer is shown only to the organiser and secretaries.
 */
export function mayRsvp(
  viewer: Facts,
  organiser: (Facts & Pick<Member, 'suspendedUntil'>) | undefined,
  event: { audience: Audience; cancelled: boolean; endAt: string },
  relation: ContentRelation,
  now: Date,
): boolean {
  if (viewer.state !== 'active' || event.cancelled || Date.parse(event.endAt) <= now.getTime()) return false;
  return mayReadContent(viewer, organiser, event.audience, relation, now);
}

/**
 * May V edit or cancel an event: its organiser, the secretary of the section whose agenda it is
 * on, the admins of its group (SPEC §4: « le secrétaire modère »).
 */
export function mayManageEvent(
  viewer: Pick<Member, 'id' | 'roles'>,
  event: { organiserId: string; audience: Audience },
  relation: { group?: GroupMembership | undefined },
): boolean {
  return viewer.id === event.organiserId || mayModerateAt(viewer, event.audience, relation);
}

/**
 * May V see that A answered an event (SPEC §2)? Themself; the secretary of A's section; across
 * no block and while A is shown: the organiser and the secretary of the event's section (a
 * `section`-level member's answer is seen by them only); anyone else only when V may see A's
 * profile by the visibility rule or as a coopain. The counts are shown to every reader.
 */
export function maySeeAttendee(
  viewer: Facts,
  attendee: Facts & Pick<Member, 'suspendedUntil'>,
  event: { organiserId: string; audience: Audience },
  relation: Relation,
  now: Date,
): boolean {
  if (attendee.state === 'deleted' || viewer.state === 'deleted') return false;
  if (viewer.id === attendee.id || isSecretaryOf(viewer, attendee)) return true;
  if (relation.blocked || !isShown(attendee, now)) return false;
  const a = event.audience;
  const eventSection = a.kind === 'section-public' || a.kind === 'section-private' ? a.sectionId : null;
  if (viewer.id === event.organiserId) return true;
  if (eventSection && viewer.roles.secretaryOf.includes(eventSection)) return true;
  const access = profileAccess(viewer, attendee, relation, now);
  return access === 'visibility' || access === 'coopain';
}

// ————— Missions (SPEC §2, §4 — issue 6) —————

/** Why a member may not organise a mission: the reasons of `mayPublish`, or not its organiser. */
export type MissionRefusal = PublishRefusal | 'not_organiser';

/**
 * May M organise a mission for this audience? A section's mission by its secretary, a group's by
 * one of its admins (« créée par le secrétaire pour la section, un admin pour un groupe ») —
 * and, as publishing with the organiser as the author (`mayPublish`), never for readers who may
 * not see the organiser: a mission open to a section's public needs an organiser visible to all.
 */
export function mayOrganiseMission(
  organiser: Facts,
  audience: Audience,
  relation: { group?: GroupMembership | undefined },
): MissionRefusal | null {
  if (audience.kind !== 'section-public' && audience.kind !== 'section-private' && audience.kind !== 'group')
    return 'not_in_audience';
  if (!mayModerateAt(organiser, audience, relation)) return 'not_organiser';
  return mayPublish(organiser, audience, relation);
}

/**
 * May V run a mission — see every volunteer, mark attendance, close or cancel it: its organiser,
 * the secretaries of its section, the admins of its group.
 */
export function mayManageMission(
  viewer: Pick<Member, 'id' | 'roles'>,
  mission: { organiserId: string; audience: Audience },
  relation: { group?: GroupMembership | undefined },
): boolean {
  return viewer.id === mission.organiserId || mayModerateAt(viewer, mission.audience, relation);
}

/**
 * May V see a mission (its page, its place in a list): those who run it, and whoever may read
 * content of its audience by its organiser (`mayReadContent`: the section's circle — hidden
 * members included — or every member for its public, a group's active members; never across a
 * block, never when V may not see the organiser's profile).
 */
export function mayReadMission(
  viewer: Facts,
  organiser: (Facts & Pick<Member, 'suspendedUntil'>) | undefined,
  mission: { organiserId: string; audience: Audience },
  relation: ContentRelation,
  now: Date,
): boolean {
  if (viewer.state === 'deleted') return false;
  if (mayManageMission(viewer, mission, relation)) return true;
  return mayReadContent(viewer, organiser, mission.audience, relation, now);
}

/**
 * May V sign up to this slot? An active member who may see the mission (a `section`-level member
 * too: SPEC §2 « s'inscrit aux missions »), while it is open and the slot has not begun.
 */
export function mayVolunteer(
  viewer: Facts,
  organiser: (Facts & Pick<Member, 'suspendedUntil'>) | undefined,
  mission: { organiserId: string; audience: Audience; status: string },
  slot: { startsAt: string },
  relation: ContentRelation,
  now: Date,
): boolean {
  if (viewer.state !== 'active' || mission.status !== 'open') return false;
  if (Date.parse(slot.startsAt) <= now.getTime()) return false;
  return mayReadMission(viewer, organiser, mission, relation, now);
}

/**
 * May V see that M signed up (SPEC §2)? Themself; those who run the mission (a `section`-level
 * member's sign-up is seen by them and by the secretary of M's section only) — never across a
 * block but by M's own secretary; anyone else exactly when V may see M's profile. The counts are
 * shown to every reader.
 */
export function maySeeVolunteer(
  viewer: Facts,
  volunteer: Facts & Pick<Member, 'suspendedUntil'>,
  runsMission: boolean,
  relation: Relation,
  now: Date,
): boolean {
  if (volunteer.state === 'deleted' || viewer.state === 'deleted') return false;
  if (viewer.id === volunteer.id || isSecretaryOf(viewer, volunteer)) return true;
  if (relation.blocked) return false;
  if (runsMission) return true;
  return profileAccess(viewer, volunteer, relation, now) !== null;
}
