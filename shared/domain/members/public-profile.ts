import type { Actor } from '../../auth/actor.ts';
import {
  blockedEitherWay,
  effectiveMembership,
  mayReadContactDetails,
  profileAccess,
} from '../../auth/policy.ts';
import { transact } from '../../data/client.ts';
import type { ContactDetails } from '../../data/contact-details.ts';
import { getMemberSeenBy, getMemberWithContact, type Member, type Membership } from '../../data/members.ts';
import { ForbiddenError, NotFoundError } from '../../errors.ts';
import { auditOf } from '../audit.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { avatarView, type ImageView } from '../media/media.ts';
import { type PublicMandate, publicMandate } from './own-profile.ts';

/** What another member may see of a profile: never contact details, never the visibility setting. */
export interface PublicProfile {
  id: string;
  firstName: string;
  lastName: string;
  bio: string;
  membership: Membership;
  section: { id: string; name: string } | null;
  mandates: PublicMandate[];
  relation: 'self' | 'coopain' | 'secretary' | null;
  /** The profile picture as short-lived signed URLs, issued only after the policy let the actor see the profile. */
  avatar: ImageView | null;
}

const NOT_FOUND = () =>
  new NotFoundError('member.not_found', 'Ce profil n’existe pas ou ne vous est pas visible.');

/** Verified mandates still running (expired ones are hidden, SPEC §1 élus). */
function currentMandates(member: Member, now: Date): PublicMandate[] {
  const today = now.toISOString().slice(0, 10);
  return member.mandates
    .filter((m) => m.verified && (m.endDate === null || m.endDate >= today))
    .map(publicMandate);
}

/**
 * Another member's profile, if the policy lets the actor see it; otherwise the same 404 as for an
 * id that does not exist — a hidden, blocked or suspended member is never revealed.
 */
export async function getPublicProfile(
  actor: Actor,
  memberId: string,
  deps: Deps = defaultDeps,
): Promise<PublicProfile> {
  const now = deps.now();
  const seen = await getMemberSeenBy(actor.memberId, memberId);
  if (!seen) throw NOT_FOUND();
  const access = profileAccess(
    actor.member,
    seen.member,
    { coopains: seen.coopains, blocked: blockedEitherWay(actor.blocks, memberId) },
    now,
  );
  if (access === null) throw NOT_FOUND();
  const m = seen.member;
  // After the policy: a hidden, blocked or suspended member's picture is never signed for the actor.
  const avatar = await avatarView(m.id);
  return {
    id: m.id,
    firstName: m.firstName,
    lastName: m.lastName,
    bio: m.bio,
    membership: effectiveMembership(m),
    section: m.sectionId ? { id: m.sectionId, name: m.sectionName ?? '' } : null,
    mandates: currentMandates(m, now),
    relation: access === 'visibility' ? null : access,
    avatar,
  };
}

/**
 * A member's contact details: the member themself, or the secretary of their section for a
 * confirmed PS adherent — after the confidentiality commitment, and audited (the audit entry is
 * written before anything is shown). Anyone else gets the profile's 404.
 */
export async function getMemberContact(
  actor: Actor,
  memberId: string,
  deps: Deps = defaultDeps,
): Promise<ContactDetails> {
  const found = await getMemberWithContact(memberId);
  if (!found || !mayReadContactDetails(actor.member, found.member)) throw NOT_FOUND();
  const { contact } = found;
  if (!contact) throw NOT_FOUND();
  if (memberId !== actor.memberId) {
    if (!actor.member.confidentialityAcceptedAt) {
      throw new ForbiddenError(
        'secretariat.commitment_required',
        'Acceptez d’abord l’engagement de confidentialité du secrétariat pour consulter les coordonnées.',
      );
    }
    await transact([auditOf(actor, 'contact.read', memberId, deps)]);
  }
  return contact;
}
