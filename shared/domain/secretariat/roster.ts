import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import {
  blockedEitherWay,
  mayManageSection,
  mayReadContactDetails,
  maySendMessage,
  mayVouchFor,
} from '../../auth/policy.ts';
import { failedConditionIndex, putAll, type TxWrite } from '../../data/client.ts';
import { type ContactDetails, getContactDetailsMany } from '../../data/contact-details.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import { getMember, type Member, membersBySection, saveMember } from '../../data/members.ts';
import { confirmationFacts } from '../../data/welcome-templates.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { auditOf } from '../audit.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { mirrorGroups } from '../members/groups.ts';
import { type PublicMandate, publicMandate } from '../members/own-profile.ts';
import { welcomeWrites } from './welcome.ts';

export interface RosterEntry {
  id: string;
  firstName: string;
  lastName: string;
  membership: { claimed: Member['membershipClaim']; confirmed: boolean };
  visibility: Member['visibility'];
  state: Member['state'];
  mandates: PublicMandate[];
  createdAt: string;
  contact: ContactDetails | null;
}

export const RosterQuery = z.strictObject({
  cursor: z.optional(z.string().check(z.maxLength(1024))),
  pending: z.optional(z.enum(['true', 'false'])),
  /** Contact details only on request: each one shown is an audited read the member sees. */
  contacts: z.optional(z.enum(['true', 'false'])),
});

const PAGE = 50;
const SECTION_NOT_FOUND = () => new NotFoundError('section.not_found', 'Section introuvable.');

function entry(member: Member, contact: ContactDetails | null): RosterEntry {
  return {
    id: member.id,
    firstName: member.firstName,
    lastName: member.lastName,
    membership: { claimed: member.membershipClaim, confirmed: member.membershipConfirmed },
    visibility: member.visibility,
    state: member.state,
    mandates: member.mandates.map(publicMandate),
    createdAt: member.createdAt,
    contact,
  };
}

/**
 * Secrétariat → Membres de la section (M4/M5): every member of the section, hidden ones included,
 * by name, 50 a page. Contact details of confirmed PS adherents go only to the section's own
 * secretary, once they accepted the confidentiality commitment — and every one shown is audited
 * first (the member sees it on their page). Bulk route: ~4 round trips a page for 50 members.
 */
export async function roster(
  actor: Actor,
  sectionId: string,
  query: z.infer<typeof RosterQuery>,
  deps: Deps = defaultDeps,
): Promise<{ items: RosterEntry[]; cursor: string | null; commitmentRequired: boolean }> {
  if (!mayManageSection(actor.member, sectionId)) throw SECTION_NOT_FOUND();
  const startKey = startKeyOf(query.cursor);
  const page = await membersBySection(sectionId, {
    pendingOnly: query.pending === 'true',
    limit: PAGE,
    startKey,
  });
  const members = page.items.filter((m) => m.state !== 'deleted');

  const isSecretary = actor.member.roles.secretaryOf.includes(sectionId);
  const commitmentRequired = isSecretary && !actor.member.confidentialityAcceptedAt;
  const readable =
    isSecretary && !commitmentRequired && query.contacts === 'true'
      ? members.filter((m) => m.id !== actor.memberId && mayReadContactDetails(actor.member, m))
      : [];
  const contacts = await getContactDetailsMany(readable.map((m) => m.id));
  // The audit entries are written before any contact detail leaves: no read goes unrecorded.
  await putAll(
    [...contacts.keys()].map((subjectId) =>
      auditOf(actor, 'contact.read', subjectId, deps, { via: 'roster' }),
    ),
  );
  return {
    items: members.map((m) => entry(m, contacts.get(m.id) ?? null)),
    cursor: encodeCursor(page.lastKey),
    commitmentRequired,
  };
}

/** The member, if they are of the section and the actor may vouch for them; else 404. */
function inSection(actor: Actor, member: Member | undefined, sectionId: string): Member {
  if (
    !member ||
    member.sectionId !== sectionId ||
    member.state === 'deleted' ||
    !mayVouchFor(actor.member, member)
  ) {
    throw new NotFoundError('member.not_found', 'Membre introuvable dans cette section.');
  }
  return member;
}

async function memberOfSection(actor: Actor, sectionId: string, memberId: string): Promise<Member> {
  if (!mayManageSection(actor.member, sectionId)) throw SECTION_NOT_FOUND();
  return inSection(actor, await getMember(memberId), sectionId);
}

/**
 * The secretary (or an admin) confirms an adherent/MJS claim: the member joins the adherents
 * circle. When the section's own secretary confirms, the member is welcomed in the same
 * transaction (issue 11): the section's welcome text in their conversation with the secretary,
 * with its notification. One BatchGet gathers the member, the section, its template and the
 * conversation: 3 round trips in all, the member-state check included.
 */
export async function confirmMembership(
  actor: Actor,
  sectionId: string,
  memberId: string,
  deps: Deps = defaultDeps,
): Promise<RosterEntry> {
  if (!mayManageSection(actor.member, sectionId)) throw SECTION_NOT_FOUND();
  const facts = await confirmationFacts(actor.memberId, sectionId, memberId);
  const member = inSection(actor, facts.member, sectionId);
  if (member.membershipClaim === 'sympathisant') {
    throw new ConflictError(
      'membership.nothing_to_confirm',
      'Ce membre est sympathisant·e : il n’y a pas d’adhésion à confirmer.',
    );
  }
  if (member.membershipConfirmed) return entry(member, null);
  // From their secretary only (an admin who confirms is no secretary), never across a block,
  // never to a member who may not receive the secretary's messages (a suspended one).
  const welcomed =
    facts.section !== undefined &&
    actor.member.roles.secretaryOf.includes(sectionId) &&
    maySendMessage(
      actor.member,
      member,
      { coopains: false, blocked: blockedEitherWay(actor.blocks, member.id) },
      deps.now(),
    );
  const welcome =
    welcomed && facts.section
      ? welcomeWrites(actor, member, facts.section, facts.template, facts.conversationId, deps)
      : [];
  try {
    return await settleClaim(
      actor,
      member,
      { membershipConfirmed: true },
      'membership.confirm',
      deps,
      welcome,
    );
  } catch (error) {
    // The member wrote to the secretary a moment ago: their conversation exists now, nothing was saved.
    if (welcome.length > 0 && failedConditionIndex(error) > 0)
      throw new ConflictError(
        'membership.retry',
        'Une conversation vient de commencer avec ce membre : confirmez à nouveau.',
      );
    throw error;
  }
}

/** The claim is refused: the member stays in the section as a sympathisant. */
export async function declineMembership(
  actor: Actor,
  sectionId: string,
  memberId: string,
  deps: Deps = defaultDeps,
): Promise<RosterEntry> {
  const member = await memberOfSection(actor, sectionId, memberId);
  if (member.membershipConfirmed || member.membershipClaim === 'sympathisant') {
    throw new ConflictError(
      'membership.nothing_to_decline',
      'Aucune demande d’adhésion en attente pour ce membre.',
    );
  }
  return settleClaim(actor, member, { membershipClaim: 'sympathisant' }, 'membership.decline', deps);
}

/** Saves the claim's outcome with its audit entry, then brings the Cognito groups in step. */
async function settleClaim(
  actor: Actor,
  member: Member,
  change: Partial<Pick<Member, 'membershipConfirmed' | 'membershipClaim'>>,
  action: 'membership.confirm' | 'membership.decline',
  deps: Deps,
  withIt: TxWrite[] = [],
): Promise<RosterEntry> {
  const saved = await saveMember(member, { ...member, ...change, updatedAt: deps.now().toISOString() }, [
    auditOf(actor, action, member.id, deps),
    ...withIt,
  ]);
  await mirrorGroups(saved);
  return entry(saved, null);
}

/** The member's secretary or an admin verifies a declared mandate; it then shows on the profile. */
export async function verifyMandate(
  actor: Actor,
  memberId: string,
  mandateId: string,
  deps: Deps = defaultDeps,
): Promise<PublicMandate> {
  const member = await getMember(memberId);
  if (!member || member.state === 'deleted' || !mayVouchFor(actor.member, member))
    throw new NotFoundError('member.not_found', 'Membre introuvable.');
  const mandate = member.mandates.find((m) => m.id === mandateId);
  if (!mandate) throw new NotFoundError('mandate.not_found', 'Mandat introuvable.');
  if (mandate.verified) return publicMandate(mandate);
  const at = deps.now().toISOString();
  const verified = { ...mandate, verified: true, verifiedBy: actor.memberId, verifiedAt: at };
  await saveMember(
    member,
    { ...member, mandates: member.mandates.map((m) => (m.id === mandateId ? verified : m)), updatedAt: at },
    [auditOf(actor, 'mandate.verify', member.id, deps, { mandateId })],
  );
  return publicMandate(verified);
}
