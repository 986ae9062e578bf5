import { effectiveMembership } from '../../auth/policy.ts';
import type { Member, Membership } from '../../data/members.ts';

/** A member as shown in lists (coopains, invitations, blocks): the card, nothing more. */
export interface MemberCard {
  id: string;
  firstName: string;
  lastName: string;
  membership: Membership;
  section: { id: string; name: string } | null;
}

export function cardOf(m: Member): MemberCard {
  return {
    id: m.id,
    firstName: m.firstName,
    lastName: m.lastName,
    membership: effectiveMembership(m),
    section: m.sectionId ? { id: m.sectionId, name: m.sectionName ?? '' } : null,
  };
}
