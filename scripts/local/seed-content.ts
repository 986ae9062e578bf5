import { failedConditionIndex, type TxWrite, transact } from '../../shared/data/client.ts';
import { type Group, membershipWrites, newGroupWrites } from '../../shared/data/groups.ts';
import {
  type Audience,
  type Comment,
  newCommentWrites,
  newPostWrites,
  type Post,
} from '../../shared/data/posts.ts';
import { queueTaskWrite } from '../../shared/data/tasks.ts';
import { POST_FANOUT_TASK } from '../../shared/domain/posts/fan-out.ts';
import { renderMarkdown } from '../../shared/domain/posts/markdown.ts';

/**
 * Demo content for `npm start`: a few posts on every kind of page, a comment and a group, so that
 * le fil, the section pages and the groups are not empty. Idempotent: each item has a fixed id
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
}
