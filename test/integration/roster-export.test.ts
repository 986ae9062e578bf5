import { describe, expect, inject, it } from 'vitest';
import { auditBySubject } from '../../shared/data/audit.ts';
import { api } from '../support/api.ts';
import {
  acceptCommitment,
  letterCode,
  letters,
  type PersonaSpec,
  persona,
  sectionWithSecretary,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/**
 * Roster export (issue 11): the section's own committed secretary downloads the roster as CSV;
 * contact details only for its confirmed PS adherents (SPEC §2), hidden ones included; one audit
 * entry per export; anyone else learns nothing (404).
 */

const tag = letters(5);
let serial = 0;

/** The section of the test: one member of each kind the charter tells apart. */
async function seededSection() {
  const { section, secretary } = await sectionWithSecretary();
  const spec = (key: string, extra: Partial<PersonaSpec>): PersonaSpec => ({
    key,
    firstName: 'Camille',
    lastName: `Zy${tag}${letterCode(serial++)}`,
    membership: 'adherent',
    confirmed: true,
    section: null,
    ownSection: section.id,
    visibility: 'adherents',
    phone: `06 12 34 56 ${String(10 + serial).padStart(2, '0')}`,
    postalAddress: `${serial} rue ${key}, 75011 Paris`,
    ...extra,
  });
  const seeded = await seedPersonas([
    spec('confirmed', {}),
    spec('hidden', { visibility: 'section' }),
    spec('mjs', { membership: 'mjs' }),
    spec('sympathisant', { membership: 'sympathisant', confirmed: false, visibility: 'all' }),
    spec('unconfirmed', { confirmed: false }),
    // A spreadsheet formula in a free field stays text, a `;` and a quote are escaped.
    spec('tricky', { postalAddress: '=HYPERLINK("http://x.example";"clic") ; "bât. B"' }),
  ]);
  return { section, secretary, seeded };
}

async function download(path: string, token: string) {
  const res = await fetch(`${inject('baseUrl')}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return {
    status: res.status,
    headers: res.headers,
    bytes,
    text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes),
  };
}

/** The CSV's rows as cells (a small reader for what csv-stringify writes: `;`, quotes doubled, CRLF). */
function rows(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    i++;
    if (quoted && c === '"' && next === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted) {
      cell += c;
    } else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && next === '\n') {
      i++;
      row.push(cell);
      out.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell || row.length > 0) out.push([...row, cell]);
  return out;
}

describe('roster export', () => {
  it('gives the committed secretary every member, with contact details for confirmed PS adherents only, and audits it once', async () => {
    const { section, secretary, seeded } = await seededSection();
    await acceptCommitment(secretary);
    const before = (await auditBySubject(section.id, { limit: 50 })).items;
    expect(before).toEqual([]);

    const file = await download(`/api/sections/${section.id}/roster-export`, tokenOf(secretary));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toMatch(
      /^attachment; filename="adherents-section-de-test-[a-z]+-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect([...file.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table = rows(file.text.slice(1));
    expect(table[0]).toEqual([
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
    ]);
    const byName = new Map(table.slice(1).map((r) => [r[0], r]));
    // Six members and the secretary; every row has all its cells.
    expect(byName.size).toBe(7);
    for (const r of table.slice(1)) expect(r).toHaveLength(11);

    const contactOf = (key: string) => byName.get(persona(seeded, key).lastName)?.slice(8);
    for (const key of ['confirmed', 'hidden', 'tricky']) {
      const p = persona(seeded, key);
      expect(contactOf(key)?.slice(0, 2), key).toEqual([p.email, p.phone]);
    }
    expect(contactOf('tricky')?.[2]).toBe(`'=HYPERLINK("http://x.example";"clic") ; "bât. B"`);
    expect(contactOf('hidden')?.[2]).toBe(persona(seeded, 'hidden').postalAddress);
    expect(byName.get(persona(seeded, 'hidden').lastName)?.[4]).toBe('Section uniquement');
    for (const key of ['mjs', 'sympathisant', 'unconfirmed'])
      expect(contactOf(key), key).toEqual(['', '', '']);
    expect(byName.get(persona(seeded, 'mjs').lastName)?.slice(2, 4)).toEqual(['Membre du MJS', 'oui']);
    expect(byName.get(persona(seeded, 'unconfirmed').lastName)?.slice(2, 4)).toEqual([
      'Adhérent·e PS',
      'non',
    ]);
    expect(byName.get(persona(seeded, 'sympathisant').lastName)?.slice(2, 4)).toEqual(['Sympathisant·e', '']);
    // No value of a member without the right leaks anywhere in the file.
    for (const key of ['mjs', 'sympathisant', 'unconfirmed']) {
      const p = persona(seeded, key);
      expect(file.text).not.toContain(p.email);
      expect(file.text).not.toContain(String(p.postalAddress));
    }

    const audit = (await auditBySubject(section.id, { limit: 50 })).items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'roster.export',
      actorId: secretary.id,
      subjectId: section.id,
      details: { sectionId: section.id, members: '7', contacts: '3' },
    });
    // Counts only: no member id in the entry, so that an erased member leaves no trace in it (D1).
    expect(JSON.stringify(audit[0])).not.toContain(persona(seeded, 'confirmed').id);
  });

  it('answers 404 to a secretary of another section and to an admin, 403 before the commitment, and audits nothing', async () => {
    const { section, secretary } = await seededSection();
    const other = await sectionWithSecretary();
    await acceptCommitment(other.secretary);
    const admins = await seedPersonas([
      {
        key: 'admin',
        firstName: 'Alix',
        lastName: `Zv${letters(8)}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        visibility: 'adherents',
        roles: { admin: true },
        signsIn: true,
      },
    ]);
    const path = `/api/sections/${section.id}/roster-export`;
    for (const token of [tokenOf(other.secretary), tokenOf(persona(admins, 'admin'))]) {
      const res = await api<{ error: { code: string } }>(path, { token });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('section.not_found');
    }
    const uncommitted = await api<{ error: { code: string } }>(path, { token: tokenOf(secretary) });
    expect(uncommitted.status).toBe(403);
    expect(uncommitted.body.error.code).toBe('secretariat.commitment_required');
    // Bad input: an id that is no ULID, a query the route does not take.
    expect((await api(`/api/sections/pas-un-id/roster-export`, { token: tokenOf(secretary) })).status).toBe(
      400,
    );
    expect((await api(`${path}?contacts=false`, { token: tokenOf(secretary) })).status).toBe(400);
    expect((await auditBySubject(section.id, { limit: 50 })).items).toEqual([]);
  });
});
