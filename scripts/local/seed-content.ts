import { failedConditionIndex, type TxWrite, transact } from '../../shared/data/client.ts';
import { type AgendaEvent, newEventWrites, rsvpWrites } from '../../shared/data/events.ts';
import { type Group, membershipWrites, newGroupWrites } from '../../shared/data/groups.ts';
import {
  type Mission,
  type MissionAudience,
  newMissionWrites,
  type Slot,
  signUpWrites,
} from '../../shared/data/missions.ts';
import {
  type Audience,
  type Comment,
  newCommentWrites,
  newPostWrites,
  type Post,
} from '../../shared/data/posts.ts';
import { queueTaskWrite } from '../../shared/data/tasks.ts';
import { EVENT_FANOUT_TASK } from '../../shared/domain/events/fan-out.ts';
import { MISSION_NEW_TASK } from '../../shared/domain/missions/fan-out.ts';
import { POST_FANOUT_TASK } from '../../shared/domain/posts/fan-out.ts';
import { renderMarkdown } from '../../shared/domain/posts/markdown.ts';
import { parisToUtc, utcToParis } from '../../shared/time.ts';

/**
 * Demo content for `npm start`: a few posts on every kind of page, a comment and a group, events
 * and missions (dated from the day of the first seed), so that le fil, the section pages, the
 * groups, the agenda and the missions are not empty. Idempotent: each item has a fixed id
 * and is written only if absent; the fan-out of a new post runs through the task job, as in use.
 */

const id = (kind: string, n: number) => `01KC0${kind}${String(n).padStart(18, '0')}`;
const member = (n: number) => `01KC0DEM0${String(n).padStart(17, '0')}`;
const PARIS = `01KC0SEC0${String(1).padStart(17, '0')}`;
const GROUP = id('GRP', 1);

interface DemoPost {
  n: number;
  author: number;
  audience: Audience;
  placeName: string | null;
  title?: string;
  body: string;
  pinned?: boolean;
  minutesAgo: number;
}

const POSTS: DemoPost[] = [
  {
    n: 1,
    author: 2,
    audience: { kind: 'section-public', sectionId: PARIS },
    placeName: 'Paris 11e',
    title: 'Bienvenue sur la page de la section',
    body: 'Bienvenue à toutes et à tous ! Ici, les rendez-vous de la section **Paris 11e** : réunions, tractages, débats.\n\nPermanence chaque samedi matin au marché de la Bastille.',
    pinned: true,
    minutesAgo: 60 * 24 * 3,
  },
  {
    n: 2,
    author: 2,
    audience: { kind: 'section-private', sectionId: PARIS },
    placeName: 'Paris 11e',
    title: 'Assemblée générale jeudi',
    body: 'Assemblée générale de la section jeudi à 19 h, au local.\n\nOrdre du jour :\n- bilan de la rentrée\n- préparation des municipales\n- questions diverses',
    minutesAgo: 60 * 5,
  },
  {
    n: 3,
    author: 3,
    audience: { kind: 'all' },
    placeName: null,
    body: 'Les Jeunes Socialistes lancent leur campagne sur le logement étudiant. Rejoignez-nous, toutes les infos sur [le site du MJS](https://www.jeunes-socialistes.fr).',
    minutesAgo: 60 * 2,
  },
  {
    n: 4,
    author: 1,
    audience: { kind: 'adherents' },
    placeName: null,
    title: 'Retour sur le conseil fédéral',
    body: 'Quelques notes du conseil fédéral de samedi : la fédération prépare une convention sur la santé. Vos contributions sont bienvenues.',
    minutesAgo: 90,
  },
  {
    n: 5,
    author: 1,
    audience: { kind: 'coopains' },
    placeName: null,
    body: 'Léo, on se retrouve samedi pour le tractage ?',
    minutesAgo: 30,
  },
  {
    n: 6,
    author: 3,
    audience: { kind: 'group', groupId: GROUP },
    placeName: 'Transition écologique',
    body: 'Premier atelier du groupe mardi prochain : comment rendre la transition juste ? Venez avec vos idées.',
    minutesAgo: 45,
  },
];

/** Writes the transaction unless its first item exists already (a re-seed). */
async function once(writes: TxWrite[]): Promise<boolean> {
  try {
    await transact(writes);
    return true;
  } catch (error) {
    if (failedConditionIndex(error) === 0) return false;
    throw error;
  }
}

export async function seedDemoContent(now = new Date()): Promise<void> {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  const group: Group = {
    id: GROUP,
    name: 'Transition écologique',
    description: 'Échanger et agir pour une transition écologique juste.',
    joinPolicy: 'open',
    visibility: 'all',
    createdBy: member(3),
    createdAt: at(60 * 24),
    memberCount: 1,
    adminCount: 1,
  };
  if (await once(newGroupWrites(group)))
    await transact(
      membershipWrites(
        { groupId: GROUP, memberId: member(1), role: 'member', status: 'active', at: at(60 * 20) },
        { mustBeNew: true, members: 1 },
      ),
    );

  for (const d of POSTS) {
    const post: Post = {
      id: id('PST', d.n),
      authorId: member(d.author),
      audience: d.audience,
      placeName: d.placeName,
      title: d.title ?? null,
      body: d.body,
      html: renderMarkdown(d.body),
      createdAt: at(d.minutesAgo),
      editedAt: null,
      pinnedAt: d.pinned ? at(d.minutesAgo) : null,
      commentCount: 0,
      deleted: false,
      images: [],
    };
    const fansOut = d.audience.kind !== 'all' && d.audience.kind !== 'adherents';
    await once([
      ...newPostWrites(post),
      ...(fansOut
        ? [queueTaskWrite({ id: post.id, kind: POST_FANOUT_TASK, payload: { postId: post.id } }, now)]
        : []),
    ]);
  }

  const body = 'Merci Sophie ! Je serai au marché samedi.';
  const comment: Comment = {
    id: id('CMT', 1),
    postId: id('PST', 1),
    postAuthorId: member(2),
    audience: { kind: 'section-public', sectionId: PARIS },
    parentId: null,
    authorId: member(1),
    body,
    html: renderMarkdown(body),
    createdAt: at(60 * 24 * 2),
    editedAt: null,
    deleted: false,
  };
  await once(newCommentWrites(comment));
  await seedDemoAgenda(now);
}

// ————— Agenda and missions (issue 6) —————

/** A Paris wall-clock time `days` days after `now`, at `time`, in UTC (the demo's dates follow the seed). */
function parisDay(now: Date, days: number, time: string): string {
  const day = utcToParis(new Date(now.getTime() + days * 24 * 3600_000).toISOString()).slice(0, 10);
  const utc = parisToUtc(`${day}T${time}`);
  if (!utc) throw new Error(`no such Paris time: ${day}T${time}`);
  return utc;
}

/** Days from `now` to the next Saturday in Paris (at least 2: the slots must not have begun). */
function daysToSaturday(now: Date): number {
  const weekday = new Date(`${utcToParis(now.toISOString()).slice(0, 10)}T12:00:00Z`).getUTCDay();
  const days = (6 - weekday + 7) % 7;
  return days < 2 ? days + 7 : days;
}

interface DemoEvent {
  n: number;
  organiser: number;
  audience: AgendaEvent['audience'];
  placeName: string | null;
  title: string;
  description: string;
  days: number;
  start: string;
  end: string;
  location: string | null;
  onlineUrl: string | null;
  capacity: number | null;
  /** Members who answered (demo ids) and how. */
  answers: Array<[number, 'yes' | 'maybe']>;
}

function demoEvents(): DemoEvent[] {
  return [
    {
      n: 1,
      organiser: 2,
      audience: { kind: 'section-private', sectionId: PARIS },
      placeName: 'Paris 11e',
      title: 'Assemblée générale de la section',
      description:
        'Bilan de la rentrée, préparation des municipales, questions diverses. Apéritif offert après la réunion.',
      days: 7,
      start: '19:00',
      end: '21:30',
      location: 'Local de la section, 12 rue Oberkampf, Paris 11e',
      onlineUrl: null,
      capacity: 30,
      answers: [
        [1, 'yes'],
        [8, 'maybe'],
      ],
    },
    {
      n: 2,
      organiser: 3,
      audience: { kind: 'group', groupId: GROUP },
      placeName: 'Transition écologique',
      title: 'Débat : une transition écologique juste',
      description:
        'Avec un élu local et une chercheuse : comment financer la rénovation des logements sans laisser personne de côté ?',
      days: 10,
      start: '18:30',
      end: '20:30',
      location: 'Maison des associations, 8 rue du Général-Renault, Paris 11e',
      onlineUrl: 'https://visio.coopol.example/transition',
      capacity: null,
      answers: [[1, 'yes']],
    },
    {
      n: 3,
      organiser: 2,
      audience: { kind: 'all' },
      placeName: null,
      title: 'Université de rentrée des socialistes',
      description: 'Deux jours de débats, d’ateliers et de formation. Ouvert à toutes et à tous.',
      days: 24,
      start: '09:30',
      end: '18:00',
      location: 'Cité des congrès, Nantes',
      onlineUrl: null,
      capacity: 400,
      answers: [[3, 'yes']],
    },
    // Held already: the section has a past (its agenda's « passés », the dashboard's trend).
    ...[
      { n: 4, days: -26, title: 'Réunion de section : bilan de l’été' },
      { n: 5, days: -75, title: 'Assemblée générale de rentrée' },
      { n: 6, days: -160, title: 'Soirée de débat : les services publics' },
      { n: 7, days: -230, title: 'Réunion de section : le programme municipal' },
    ].map(
      (past): DemoEvent => ({
        ...past,
        organiser: 2,
        audience: { kind: 'section-private', sectionId: PARIS },
        placeName: 'Paris 11e',
        description: 'Réunion des adhérent·es de la section.',
        start: '19:00',
        end: '21:00',
        location: 'Local de la section, 12 rue Oberkampf, Paris 11e',
        onlineUrl: null,
        capacity: null,
        answers: [[1, 'yes']],
      }),
    ),
  ];
}

interface DemoMission {
  n: number;
  title: string;
  description: string;
  kind: Mission['kind'];
  place: string;
  audience: MissionAudience;
  slots: Array<{ n: number; days: number; start: string; end: string; needed: number; volunteers: number[] }>;
}

function demoMissions(now: Date): DemoMission[] {
  const saturday = daysToSaturday(now);
  return [
    {
      n: 1,
      title: 'Tractage au marché de la Bastille',
      description:
        'Distribution du tract sur le logement. Rendez-vous au stand, côté boulevard Richard-Lenoir.',
      kind: 'tractage',
      place: 'Marché de la Bastille, boulevard Richard-Lenoir',
      audience: { kind: 'section-public', sectionId: PARIS },
      slots: [
        { n: 1, days: saturday, start: '09:00', end: '11:00', needed: 4, volunteers: [1, 8] },
        { n: 2, days: saturday, start: '11:00', end: '13:00', needed: 3, volunteers: [] },
      ],
    },
    {
      n: 2,
      title: 'Phoning : rappeler les adhérent·es',
      description:
        'Appeler les adhérent·es de la section pour l’assemblée générale. Liste et argumentaire fournis.',
      kind: 'phoning',
      place: 'Local de la section, 12 rue Oberkampf (ou de chez vous)',
      audience: { kind: 'section-private', sectionId: PARIS },
      slots: [{ n: 3, days: 3, start: '18:30', end: '20:30', needed: 5, volunteers: [1] }],
    },
  ];
}

/** The demo's events (with a few answers) and missions (with a few sign-ups); each written once. */
export async function seedDemoAgenda(now = new Date()): Promise<void> {
  const at = now.toISOString();
  for (const d of demoEvents()) {
    const event: AgendaEvent = {
      id: id('EVT', d.n),
      organiserId: member(d.organiser),
      audience: d.audience,
      placeName: d.placeName,
      title: d.title,
      description: d.description,
      startAt: parisDay(now, d.days, d.start),
      endAt: parisDay(now, d.days + (d.n === 3 ? 1 : 0), d.end),
      location: d.location,
      onlineUrl: d.onlineUrl,
      capacity: d.capacity,
      going: 0,
      maybe: 0,
      waiting: 0,
      cancelled: false,
      cancelledAt: null,
      createdAt: at,
      updatedAt: at,
      rev: 0,
    };
    const fanOut = queueTaskWrite(
      {
        id: event.id,
        kind: EVENT_FANOUT_TASK,
        payload: { eventId: event.id, reason: 'new', rev: 0, actorId: event.organiserId },
      },
      now,
    );
    // A past event is not announced.
    if (!(await once([...newEventWrites(event), ...(d.days >= 0 ? [fanOut] : [])]))) continue;
    for (const [who, answer] of d.answers)
      await transact(
        rsvpWrites(event, undefined, {
          eventId: event.id,
          memberId: member(who),
          status: answer,
          at,
          organiserId: event.organiserId,
          audience: event.audience,
          notifiedRev: 0,
        }),
      );
  }

  for (const d of demoMissions(now)) {
    const slots: Slot[] = d.slots.map((s) => ({
      missionId: id('MSN', d.n),
      id: id('CRN', s.n),
      startsAt: parisDay(now, s.days, s.start),
      endsAt: parisDay(now, s.days, s.end),
      needed: s.needed,
      signedUp: 0,
    }));
    const mission: Mission = {
      id: id('MSN', d.n),
      title: d.title,
      description: d.description,
      kind: d.kind,
      place: d.place,
      audience: d.audience,
      placeName: 'Paris 11e',
      department: '75',
      organiserId: member(2),
      status: 'open',
      startsAt: slots[0]?.startsAt ?? at,
      endsAt: slots.at(-1)?.endsAt ?? at,
      needed: slots.reduce((sum, s) => sum + s.needed, 0),
      signedUp: 0,
      createdAt: at,
      closedAt: null,
      cancelReason: null,
    };
    const task = queueTaskWrite(
      { id: mission.id, kind: MISSION_NEW_TASK, payload: { missionId: mission.id } },
      now,
    );
    if (!(await once([...newMissionWrites(mission, slots), task]))) continue;
    for (const [i, s] of d.slots.entries()) {
      const slot = slots[i];
      if (!slot) continue;
      for (const who of s.volunteers)
        await transact(
          signUpWrites({
            missionId: mission.id,
            slotId: slot.id,
            memberId: member(who),
            at,
            attended: null,
            slotStartsAt: slot.startsAt,
            slotEndsAt: slot.endsAt,
            organiserId: mission.organiserId,
            audience: mission.audience,
          }),
        );
    }
  }
}
