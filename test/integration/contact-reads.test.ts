import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import {
  acceptCommitment,
  letters,
  type Persona,
  persona,
  SECTIONS,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/**
 * « Qui a consulté mes coordonnées » (issue 3, item 5): a secretary reading the roster of their
 * section with contact details writes one audit entry per member shown, and each member sees
 * it — with the secretary's name — in GET /api/me/contact-reads. Only confirmed PS adherents'
 * details are shown (so audited); an admin's roster and an uncommitted secretary's show none.
 */

interface RosterEntry {
  id: string;
  contact: { email: string; phone: string | null; postalAddress: string | null } | null;
}
interface RosterPage {
  items: RosterEntry[];
  cursor: string | null;
  commitmentRequired: boolean;
}
interface ContactReads {
  items: { at: string; by: { id: string; name: string; role: string } }[];
  cursor: string | null;
}

const tok = letters(6);
let personas: Map<string, Persona>;

/** Every page of the Rennes roster, as this member (with contact details when asked). */
async function rennesRoster(token: string, contacts = true): Promise<RosterPage[]> {
  const pages: RosterPage[] = [];
  let cursor: string | null = null;
  do {
    const qs = new URLSearchParams(contacts ? { contacts: 'true' } : {});
    if (cursor) qs.set('cursor', cursor);
    const res: { status: number; body: RosterPage } = await api<RosterPage>(
      `/api/sections/${SECTIONS.rennes}/members?${qs}`,
      { token },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    pages.push(res.body);
    cursor = res.body.cursor;
  } while (cursor && pages.length < 50);
  return pages;
}

const entryOf = (pages: RosterPage[], id: string) => pages.flatMap((p) => p.items).find((e) => e.id === id);

async function readsOf(p: Persona): Promise<ContactReads['items']> {
  const res = await api<ContactReads>('/api/me/contact-reads', { token: tokenOf(p) });
  expect(res.status).toBe(200);
  return res.body.items;
}

beforeAll(async () => {
  const member = {
    membership: 'adherent' as const,
    confirmed: true,
    section: 'rennes' as const,
    signsIn: true,
  };
  personas = await seedPersonas([
    {
      key: 'secretary',
      ...member,
      firstName: 'Maëlle',
      lastName: `Zv${tok}secretaire`,
      visibility: 'adherents',
      roles: { secretaryOf: [SECTIONS.rennes] },
    },
    {
      key: 'adherent',
      ...member,
      firstName: 'Yann',
      lastName: `Zv${tok}adherent`,
      visibility: 'section',
      phone: '02 99 00 00 01',
      postalAddress: '1 quai Émile Zola, 35000 Rennes',
    },
    {
      key: 'mjs',
      ...member,
      membership: 'mjs',
      firstName: 'Nolwenn',
      lastName: `Zv${tok}mjs`,
      visibility: 'all',
    },
    {
      key: 'pending',
      ...member,
      confirmed: false,
      firstName: 'Erwan',
      lastName: `Zv${tok}attente`,
      visibility: 'adherents',
    },
    {
      key: 'admin',
      ...member,
      section: 'toulouse',
      firstName: 'Admin',
      lastName: `Zv${tok}admin`,
      visibility: 'adherents',
      roles: { admin: true },
    },
  ]);
}, 120_000);

describe('who read my contact details', () => {
  it('records each roster read by the secretary, and the member sees it with the secretary’s name', async () => {
    const secretary = persona(personas, 'secretary');
    const adherent = persona(personas, 'adherent');
    const mjs = persona(personas, 'mjs');
    const pending = persona(personas, 'pending');

    // Before the confidentiality commitment: the roster lists everyone, with no contact details.
    const before = await rennesRoster(tokenOf(secretary));
    expect(before[0]?.commitmentRequired).toBe(true);
    expect(entryOf(before, adherent.id)).toMatchObject({ contact: null });
    expect(await readsOf(adherent)).toEqual([]);

    // An admin runs the roster without contact details: nothing to audit either.
    const byAdmin = await rennesRoster(tokenOf(persona(personas, 'admin')));
    expect(byAdmin[0]?.commitmentRequired).toBe(false);
    expect(entryOf(byAdmin, adherent.id)).toMatchObject({ contact: null });
    expect(await readsOf(adherent)).toEqual([]);

    await acceptCommitment(secretary);
    // Committed, but the roster without `contacts=true` shows (and so audits) no contact details.
    const plain = await rennesRoster(tokenOf(secretary), false);
    expect(plain[0]?.commitmentRequired).toBe(false);
    expect(entryOf(plain, adherent.id)).toMatchObject({ contact: null });
    expect(await readsOf(adherent)).toEqual([]);

    const started = Date.now();
    const after = await rennesRoster(tokenOf(secretary));
    expect(after[0]?.commitmentRequired).toBe(false);
    expect(entryOf(after, adherent.id)?.contact).toEqual({
      email: adherent.email,
      phone: '02 99 00 00 01',
      postalAddress: '1 quai Émile Zola, 35000 Rennes',
    });
    // MJS and unconfirmed claims: listed, never with contact details.
    expect(entryOf(after, mjs.id)).toMatchObject({ contact: null });
    expect(entryOf(after, pending.id)).toMatchObject({ contact: null });

    const reads = await readsOf(adherent);
    expect(reads).toHaveLength(1);
    expect(reads[0]?.by).toEqual({ id: secretary.id, name: `Maëlle Zv${tok}secretaire`, role: 'secretary' });
    expect(Date.parse(reads[0]?.at ?? '')).toBeGreaterThanOrEqual(started - 5_000);
    // Nothing was shown of the others, so nothing is recorded for them.
    expect(await readsOf(mjs)).toEqual([]);
    expect(await readsOf(pending)).toEqual([]);
    // The secretary's own entry is not read through the roster.
    expect((await readsOf(secretary)).filter((r) => r.by.id === secretary.id)).toEqual([]);
  });

  it('records a single read of the contact details too, newest first', async () => {
    const secretary = persona(personas, 'secretary');
    const adherent = persona(personas, 'adherent');
    await acceptCommitment(secretary);
    const count = (await readsOf(adherent)).length;
    const read = await api(`/api/members/${adherent.id}/contact`, { token: tokenOf(secretary) });
    expect(read.status).toBe(200);
    const reads = await readsOf(adherent);
    expect(reads).toHaveLength(count + 1);
    expect(reads[0]?.by).toMatchObject({ id: secretary.id, name: `Maëlle Zv${tok}secretaire` });
    const times = reads.map((r) => Date.parse(r.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // The member reading their own details is not an audited read.
    expect((await api(`/api/members/${adherent.id}/contact`, { token: tokenOf(adherent) })).status).toBe(200);
    expect(await readsOf(adherent)).toHaveLength(count + 1);
  });
});
