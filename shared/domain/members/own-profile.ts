import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { mayEditProfile, mayReadContactDetails } from '../../auth/policy.ts';
import { CHARTER_VERSION } from '../../charter.ts';
import { putConsent } from '../../data/accounts.ts';
import { transact } from '../../data/client.ts';
import { type ContactDetails, getContactDetails, updateContactDetails } from '../../data/contact-details.ts';
import { type Member, profileUpdate, VISIBILITIES } from '../../data/members.ts';
import { getSection } from '../../data/sections.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { freeText, PersonName } from '../schemas.ts';

/** The profile as its owner sees it. Never carries contact details (those have their own route). */
export interface OwnProfile {
  id: string;
  firstName: string;
  lastName: string;
  bio: string;
  membership: { claimed: Member['membershipClaim']; confirmed: boolean };
  section: { id: string; name: string } | null;
  visibility: Member['visibility'];
  state: Member['state'];
  suspendedUntil: string | null;
  roles: Member['roles'];
  createdAt: string;
}

async function present(member: Member): Promise<OwnProfile> {
  const section = member.sectionId ? await getSection(member.sectionId) : undefined;
  return {
    id: member.id,
    firstName: member.firstName,
    lastName: member.lastName,
    bio: member.bio,
    membership: { claimed: member.membershipClaim, confirmed: member.membershipConfirmed },
    section: section ? { id: section.id, name: section.name } : null,
    visibility: member.visibility,
    state: member.state,
    suspendedUntil: member.suspendedUntil ?? null,
    roles: member.roles,
    createdAt: member.createdAt,
  };
}

/** My profile: the member item already read for the state check, plus the section's name. */
export function getOwnProfile(actor: Actor): Promise<OwnProfile> {
  return present(actor.member);
}

export const UpdateProfileInput = z.strictObject({
  firstName: PersonName,
  lastName: PersonName,
  bio: z.optional(freeText(1000)),
  visibility: z.enum(VISIBILITIES, 'Choisissez qui peut voir votre profil.'),
  consentVisibilityAll: z.optional(z.boolean()),
});

/**
 * Updates my display fields and visibility. Moving to `all` needs the explicit consent, recorded
 * with the change in one transaction; leaving `all` records the withdrawal (GDPR art. 9).
 */
export async function updateOwnProfile(
  actor: Actor,
  input: z.infer<typeof UpdateProfileInput>,
  deps: Deps = defaultDeps,
): Promise<OwnProfile> {
  const current = actor.member;
  if (!mayEditProfile(actor.member, current))
    throw new ForbiddenError('member.not_allowed', 'Action non autorisée.');
  const becomingAll = input.visibility === 'all' && current.visibility !== 'all';
  if (becomingAll && input.consentVisibilityAll !== true) {
    throw new ValidationError(
      'member.consent_required',
      'Cochez la case de consentement pour être visible de tous les membres.',
      'consentVisibilityAll',
    );
  }
  const now = deps.now().toISOString();
  const patch = {
    firstName: input.firstName,
    lastName: input.lastName,
    bio: input.bio ?? '',
    visibility: input.visibility,
  };
  const writes = [profileUpdate(current, patch, now)];
  if (becomingAll)
    writes.push(
      putConsent(current.id, { kind: 'visibility_all', version: CHARTER_VERSION, given: true, at: now }),
    );
  if (current.visibility === 'all' && input.visibility !== 'all') {
    writes.push(
      putConsent(current.id, { kind: 'visibility_all', version: CHARTER_VERSION, given: false, at: now }),
    );
  }
  await transact(writes);
  return present({ ...current, ...patch, updatedAt: now });
}

/** My contact details (M2). */
export async function getOwnContact(actor: Actor): Promise<ContactDetails> {
  if (!mayReadContactDetails(actor.member, actor.member))
    throw new ForbiddenError('member.not_allowed', 'Action non autorisée.');
  const contact = await getContactDetails(actor.memberId);
  if (!contact) throw new NotFoundError('member.not_found', 'Coordonnées introuvables.');
  return contact;
}

const Phone = z.nullable(
  z
    .string()
    .check(
      z.trim(),
      z.maxLength(25, 'Numéro trop long.'),
      z.regex(
        /^\+?[0-9][0-9 .()-]{5,23}$/,
        'Numéro de téléphone invalide (chiffres, espaces, points, tirets ; + pour l’international).',
      ),
    ),
);

export const UpdateContactInput = z.strictObject({
  phone: Phone,
  postalAddress: z.nullable(freeText(300)),
});

/** Sets my phone and postal address (empty strings become null). */
export async function updateOwnContact(
  actor: Actor,
  input: z.infer<typeof UpdateContactInput>,
  deps: Deps = defaultDeps,
): Promise<ContactDetails> {
  return updateContactDetails(
    actor.memberId,
    { phone: input.phone || null, postalAddress: input.postalAddress || null },
    deps.now().toISOString(),
  );
}
