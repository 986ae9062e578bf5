import { stringify } from 'csv-stringify/sync';
import type { Actor } from '../../auth/actor.ts';
import { mayReadContactDetails } from '../../auth/policy.ts';
import { transact } from '../../data/client.ts';
import { type ContactDetails, getContactDetailsMany } from '../../data/contact-details.ts';
import { getMembers, type Member, membersBySection } from '../../data/members.ts';
import { getSection } from '../../data/sections.ts';
import { ForbiddenError, NotFoundError } from '../../errors.ts';
import { fold } from '../../text.ts';
import { auditOf } from '../audit.ts';
import { type Deps, defaultDeps } from '../deps.ts';

/** Roster entries read per Query (a 1,500-member section: 15 pages). */
const PAGE = 100;

const MEMBERSHIP: Record<Member['membershipClaim'], string> = {
  adherent: 'Adhérent·e PS',
  mjs: 'Membre du MJS',
  sympathisant: 'Sympathisant·e',
};
const VISIBILITY: Record<Member['visibility'], string> = {
  section: 'Section uniquement',
  adherents: 'Adhérent·es',
  all: 'Tous les membres',
};
const STATE: Record<Member['state'], string> = {
  pending: 'En attente',
  active: 'Actif',
  suspended: 'Suspendu',
  deleted: 'Supprimé',
};

const COLUMNS = [
  'Nom',
  'Prénom',
  'Adhésion',
  'Adhésion confirmée',
  'Visibilité',
  'État',
  'Mandats',
  'Inscription',
  'E-mail',
  'Téléphone',
  'Adresse postale',
];

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is
 * written with a leading apostrophe: an address typed as `=HYPERLINK(…)` stays text (CSV injection).
 */
export function inertCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The CSV text: UTF-8 with a BOM (Excel then reads the accents), `;` between cells (French Excel), CRLF. */
export function rosterCsv(members: readonly Member[], contacts: ReadonlyMap<string, ContactDetails>): string {
  const rows = members.map((m) => {
    const contact = contacts.get(m.id);
    return [
      m.lastName,
      m.firstName,
      MEMBERSHIP[m.membershipClaim],
      m.membershipClaim === 'sympathisant' ? '' : m.membershipConfirmed ? 'oui' : 'non',
      VISIBILITY[m.visibility],
      STATE[m.state],
      m.mandates.map((d) => `${d.office} (${d.territory})`).join(' ; '),
      m.createdAt.slice(0, 10),
      contact?.email ?? '',
      contact?.phone ?? '',
      contact?.postalAddress ?? '',
    ].map(inertCell);
  });
  return `\uFEFF${stringify([COLUMNS, ...rows], { delimiter: ';', record_delimiter: 'windows' })}`;
}

export interface RosterExport {
  filename: string;
  csv: string;
  members: number;
  contacts: number;
}

/**
 * Secrétariat → Exporter le fichier des adhérent·es (issue 11): the whole roster as CSV for
 * phoning and mailing. Only the section's own secretary, once they accepted the confidentiality
 * commitment (charter: "ils s'engagent à ne pas les divulguer"); contact details only where the
 * policy allows them — confirmed PS adherents of the section, hidden ones included (SPEC §2).
 * One audit entry per export, written before any contact detail leaves. Bulk route: the roster
 * pages (100 a Query), the base items again (BatchGet: the roster index may lag, a stale hit must
 * not leak), the contact items (BatchGet), one audit write.
 */
export async function exportRoster(
  actor: Actor,
  sectionId: string,
  deps: Deps = defaultDeps,
): Promise<RosterExport> {
  // The section's own secretary only (not an admin: the file is for the local party's work).
  if (!actor.member.roles.secretaryOf.includes(sectionId))
    throw new NotFoundError('section.not_found', 'Section introuvable.');
  if (!actor.member.confidentialityAcceptedAt)
    throw new ForbiddenError(
      'secretariat.commitment_required',
      'Acceptez d’abord l’engagement de confidentialité du secrétariat pour exporter le fichier.',
    );
  const section = await getSection(sectionId);
  if (!section) throw new NotFoundError('section.not_found', 'Section introuvable.');

  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await membersBySection(sectionId, { pendingOnly: false, limit: PAGE, startKey });
    ids.push(...page.items.map((m) => m.id));
    startKey = page.lastKey;
  } while (startKey);
  const fresh = await getMembers(ids);
  // Roster order (by name), from the base items: whoever left the section or was erased is out.
  const members = ids
    .map((id) => fresh.get(id))
    .filter((m): m is Member => m !== undefined && m.sectionId === sectionId && m.state !== 'deleted');
  const readable = members.filter((m) => m.id !== actor.memberId && mayReadContactDetails(actor.member, m));
  const contacts = await getContactDetailsMany(readable.map((m) => m.id));

  await transact([
    auditOf(actor, 'roster.export', sectionId, deps, {
      sectionId,
      members: String(members.length),
      // Counts only: an entry naming every exported member would outlive their erasure (D1 finds
      // audit entries by subject and actor, not by a list in their details).
      contacts: String(contacts.size),
    }),
  ]);
  const day = deps.now().toISOString().slice(0, 10);
  const slug =
    fold(section.name)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'section';
  return {
    filename: `adherents-${slug}-${day}.csv`,
    csv: rosterCsv(members, contacts),
    members: members.length,
    contacts: contacts.size,
  };
}
