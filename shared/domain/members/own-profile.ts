import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { CHARTER_VERSION } from '../../charter.ts';
import { putConsent } from '../../data/accounts.ts';
import { type AuditEntry, auditBySubject } from '../../data/audit.ts';
import { type ContactDetails, getContactDetails, updateContactDetails } from '../../data/contact-details.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import { type Mandate, type Member, saveMember, VISIBILITIES } from '../../data/members.ts';
import { getSection } from '../../data/sections.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { freeText, Id, PersonName } from '../schemas.ts';
import { newcomerMoveWrites } from '../secretariat/newcomers.ts';
import { mirrorGroups } from './groups.ts';

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
  mandates: PublicMandate[];
  confidentialityAcceptedAt: string | null;
  createdAt: string;
}

export type PublicMandate = Pick<
  Mandate,
  'id' | 'office' | 'territory' | 'startDate' | 'endDate' | 'verified'
>;

export function publicMandate(m: Mandate): PublicMandate {
  return {
    id: m.id,
    office: m.office,
    territory: m.territory,
    startDate: m.startDate,
    endDate: m.endDate,
    verified: m.verified,
  };
}

function present(member: Member): OwnProfile {
  return {
    id: member.id,
    firstName: member.firstName,
    lastName: member.lastName,
    bio: member.bio,
    membership: { claimed: member.membershipClaim, confirmed: member.membershipConfirmed },
    section: member.sectionId ? { id: member.sectionId, name: member.sectionName ?? '' } : null,
    visibility: member.visibility,
    state: member.state,
    suspendedUntil: member.suspendedUntil ?? null,
    roles: member.roles,
    mandates: member.mandates.map(publicMandate),
    confidentialityAcceptedAt: member.confidentialityAcceptedAt ?? null,
    createdAt: member.createdAt,
  };
}

/** My profile: the member item already read for the state check — no further read. */
export function getOwnProfile(actor: Actor): OwnProfile {
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
 * with the change in one transaction; leaving `all` records the withdrawal (GDPR art. 9). The
 * directory entries change in the same transaction, so lowering visibility applies at once.
 */
export async function updateOwnProfile(
  actor: Actor,
  input: z.infer<typeof UpdateProfileInput>,
  deps: Deps = defaultDeps,
): Promise<OwnProfile> {
  const current = actor.member;
  const becomingAll = input.visibility === 'all' && current.visibility !== 'all';
  if (becomingAll && input.consentVisibilityAll !== true) {
    throw new ValidationError(
      'member.consent_required',
      'Cochez la case de consentement pour être visible de tous les membres.',
      'consentVisibilityAll',
    );
  }
  const now = deps.now().toISOString();
  const consents = [];
  if (becomingAll)
    consents.push(
      putConsent(current.id, { kind: 'visibility_all', version: CHARTER_VERSION, given: true, at: now }),
    );
  if (current.visibility === 'all' && input.visibility !== 'all') {
    consents.push(
      putConsent(current.id, { kind: 'visibility_all', version: CHARTER_VERSION, given: false, at: now }),
    );
  }
  const saved = await saveMember(
    current,
    {
      ...current,
      firstName: input.firstName,
      lastName: input.lastName,
      bio: input.bio ?? '',
      visibility: input.visibility,
      updatedAt: now,
    },
    consents,
  );
  return present(saved);
}

export const ChangeSectionInput = z.strictObject({ sectionId: z.nullable(Id) });

/**
 * Moves me to another section. An adherent or MJS claim goes back to pending: the new section's
 * secretary confirms it (and only then sees my contact details). Only a sympathisant may have none.
 */
export async function changeOwnSection(
  actor: Actor,
  input: z.infer<typeof ChangeSectionInput>,
  deps: Deps = defaultDeps,
): Promise<OwnProfile> {
  const current = actor.member;
  if (input.sectionId === current.sectionId) return present(current);
  if (input.sectionId === null && current.membershipClaim !== 'sympathisant') {
    throw new ValidationError(
      'member.section_required',
      'Un·e adhérent·e appartient à une section : choisissez-en une.',
      'sectionId',
    );
  }
  const section = input.sectionId ? await getSection(input.sectionId) : undefined;
  if (input.sectionId && !section)
    throw new ValidationError('member.unknown_section', 'Section inconnue.', 'sectionId');
  const saved = await saveMember(
    current,
    {
      ...current,
      sectionId: section?.id ?? null,
      sectionName: section?.name ?? null,
      membershipConfirmed: current.membershipClaim === 'sympathisant' ? current.membershipConfirmed : false,
      updatedAt: deps.now().toISOString(),
    },
    // A newcomer to welcome follows to the new section's list.
    newcomerMoveWrites(current, deps),
  );
  await mirrorGroups(saved);
  return present(saved);
}

/** My contact details (M2). */
export async function getOwnContact(actor: Actor): Promise<ContactDetails> {
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

const IsoDate = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, 'Date attendue au format AAAA-MM-JJ.'),
  z.refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'Date invalide.',
  ),
);

export const AddMandateInput = z.strictObject({
  office: z.string().check(z.trim(), z.minLength(2, 'Indiquez la fonction.'), z.maxLength(80)),
  territory: z.string().check(z.trim(), z.minLength(2, 'Indiquez le territoire.'), z.maxLength(80)),
  startDate: IsoDate,
  endDate: z.optional(z.nullable(IsoDate)),
});

const MAX_MANDATES = 10;

/** Declares a mandate (élu·e); shown on my profile once my secretary or an admin verifies it. */
export async function addMandate(
  actor: Actor,
  input: z.infer<typeof AddMandateInput>,
  deps: Deps = defaultDeps,
): Promise<PublicMandate> {
  const current = actor.member;
  if (input.endDate && input.endDate < input.startDate) {
    throw new ValidationError('mandate.invalid_dates', 'La fin du mandat précède son début.', 'endDate');
  }
  if (current.mandates.length >= MAX_MANDATES) {
    throw new ValidationError('mandate.too_many', `${MAX_MANDATES} mandats au plus.`, 'office');
  }
  const mandate: Mandate = {
    id: deps.newId(),
    office: input.office,
    territory: input.territory,
    startDate: input.startDate,
    endDate: input.endDate ?? null,
    verified: false,
  };
  await saveMember(current, {
    ...current,
    mandates: [...current.mandates, mandate],
    updatedAt: deps.now().toISOString(),
  });
  return publicMandate(mandate);
}

export async function deleteMandate(
  actor: Actor,
  mandateId: string,
  deps: Deps = defaultDeps,
): Promise<void> {
  const current = actor.member;
  if (!current.mandates.some((m) => m.id === mandateId))
    throw new NotFoundError('mandate.not_found', 'Mandat introuvable.');
  await saveMember(current, {
    ...current,
    mandates: current.mandates.filter((m) => m.id !== mandateId),
    updatedAt: deps.now().toISOString(),
  });
}

export const AcceptCommitmentInput = z.strictObject({
  accepted: z.literal(true, 'Cochez la case pour prendre cet engagement.'),
});

/**
 * A secretary accepts the charter's confidentiality commitment (§1: « ils s'engagent à ne pas
 * les divulguer ») before first seeing contact details; recorded as a consent, once.
 */
export async function acceptCommitment(
  actor: Actor,
  deps: Deps = defaultDeps,
): Promise<{ acceptedAt: string }> {
  const current = actor.member;
  if (current.roles.secretaryOf.length === 0) {
    throw new ForbiddenError(
      'secretariat.not_secretary',
      'Cet engagement concerne les secrétaires de section.',
    );
  }
  if (current.confidentialityAcceptedAt) return { acceptedAt: current.confidentialityAcceptedAt };
  const at = deps.now().toISOString();
  await saveMember(current, { ...current, confidentialityAcceptedAt: at, updatedAt: at }, [
    putConsent(current.id, { kind: 'secretary_confidentiality', version: CHARTER_VERSION, given: true, at }),
  ]);
  return { acceptedAt: at };
}

export const PageQuery = z.strictObject({ cursor: z.optional(z.string().check(z.maxLength(1024))) });

export interface ContactRead {
  at: string;
  by: { id: string; name: string; role: 'secretary' };
}

/** Who read my contact details, when — newest first (SPEC §6: every secretary read is audited). */
export async function contactReads(
  actor: Actor,
  query: z.infer<typeof PageQuery>,
): Promise<{ items: ContactRead[]; cursor: string | null }> {
  const startKey = startKeyOf(query.cursor);
  const page = await auditBySubject(actor.memberId, { action: 'contact.read', limit: 50, startKey });
  return {
    items: page.items.map((e: AuditEntry) => ({
      at: e.at,
      by: { id: e.actorId, name: e.actorName, role: 'secretary' },
    })),
    cursor: encodeCursor(page.lastKey),
  };
}
