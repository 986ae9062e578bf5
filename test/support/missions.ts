import { utcToParis } from '../../shared/time.ts';
import { api } from './api.ts';
import { freshSection, letters, type Persona, persona, seedPersonas } from './personas.ts';

/** Test helpers for missions (issue 6): a section's people, a mission, sign-ups — setup calls that must succeed. */

/** The Paris date `days` from now, `YYYY-MM-DD`. */
export function parisDay(days: number): string {
  return utcToParis(new Date(Date.now() + days * 24 * 3600_000).toISOString()).slice(0, 10);
}

/** A slot `days` from now in Paris time, from `from` to `to` (`HH:mm`). */
export function slot(days: number, from: string, to: string, needed: number) {
  const day = parisDay(days);
  return { start: `${day}T${from}`, end: `${day}T${to}`, needed };
}

export interface MissionDetail {
  id: string;
  title: string;
  status: string;
  audience: { kind: string };
  organiser: { id: string; firstName: string; lastName: string } | null;
  needed: number;
  signedUp: number;
  slots: {
    id: string;
    start: string;
    end: string;
    startsAt: string;
    endsAt: string;
    needed: number;
    signedUp: number;
    mine: boolean;
    open: boolean;
    volunteers: { id: string; firstName: string; lastName: string; attended?: boolean | null }[];
  }[];
  can: { manage: boolean; signUp: boolean };
}

/** Creates a mission (it must succeed); its detail. */
export async function newMission(
  organiser: Pick<Persona, 'token' | 'key'>,
  body: Record<string, unknown>,
): Promise<MissionDetail> {
  const res = await api<MissionDetail>('/api/missions', {
    token: organiser.token,
    body: {
      title: `Tractage ${letters(6)}`,
      description: 'Distribution du journal de section.',
      kind: 'tractage',
      place: 'Marché de la place',
      slots: [slot(7, '09:00', '12:00', 4), slot(8, '10:00', '12:00', 2)],
      ...body,
    },
  });
  if (res.status !== 201)
    throw new Error(`mission by ${organiser.key} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Signs a member up to a slot (it must succeed). */
export async function signUpTo(who: Pick<Persona, 'token' | 'key'>, missionId: string, slotId: string) {
  const res = await api(`/api/missions/${missionId}/slots/${slotId}/sign-up`, {
    method: 'POST',
    token: who.token,
  });
  if (res.status !== 201)
    throw new Error(`sign-up of ${who.key} failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * A fresh section with its secretary (the organiser, at `adherents`), a confirmed adherent at
 * `adherents` (a volunteer), and a section-private mission of two slots (4 and 2 volunteers).
 */
export async function sectionMission(): Promise<{
  section: { id: string; name: string };
  secretary: Persona;
  volunteer: Persona;
  mission: MissionDetail;
}> {
  const section = await freshSection();
  const member = {
    membership: 'adherent',
    confirmed: true,
    section: null,
    ownSection: section.id,
    signsIn: true,
    visibility: 'adherents',
  } as const;
  const seeded = await seedPersonas([
    {
      key: 'secretary',
      firstName: 'Solène',
      lastName: `Zz${letters(8)}`,
      roles: { secretaryOf: [section.id] },
      ...member,
    },
    { key: 'volunteer', firstName: 'Rémi', lastName: `Zz${letters(8)}`, ...member },
  ]);
  const secretary = persona(seeded, 'secretary');
  const mission = await newMission(secretary, {
    audience: { kind: 'section-private', sectionId: section.id },
  });
  return { section, secretary, volunteer: persona(seeded, 'volunteer'), mission };
}

/** The first slot's id (missions made here always have one). */
export function firstSlot(m: MissionDetail): string {
  const id = m.slots[0]?.id;
  if (!id) throw new Error(`mission ${m.id} has no slot`);
  return id;
}
