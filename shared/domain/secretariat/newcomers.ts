import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import {
  blockedEitherWay,
  effectiveMembership,
  mayListNewcomers,
  maySeeNewcomer,
} from '../../auth/policy.ts';
import type { TxWrite } from '../../data/client.ts';
import { getMember, getMembers, type Member, type Membership } from '../../data/members.ts';
import { moveNewcomer, NEWCOMER_DAYS, newcomersSince } from '../../data/newcomers.ts';
import { queueTaskWrite, type Task } from '../../data/tasks.ts';
import { NotFoundError } from '../../errors.ts';
import { fold } from '../../text.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { Id } from '../schemas.ts';

export const NewcomersQuery = z.strictObject({
  section: z.optional(Id),
});

/** A newcomer as the list shows them: never contact details, never their visibility. */
export interface NewcomerCard {
  id: string;
  firstName: string;
  lastName: string;
  /** The circle they are in (a claim counts once confirmed). */
  membership: Membership;
  joinedAt: string;
}

export interface NewcomerGroup {
  section: { id: string; name: string } | null;
  members: NewcomerCard[];
}

export interface NewcomersView {
  /** The section listed, or null for the whole party (a coopilote's default). */
  sectionId: string | null;
  /** Members who joined from this time on are listed. */
  since: string;
  /** By section name (members without a section last), each newest first. */
  groups: NewcomerGroup[];
  /** More newcomers than one answer holds (the newest `LIMIT` are read): narrow by section. */
  more: boolean;
}

/** Index entries read per answer (one Query, one BatchGet of as many profiles). */
const LIMIT = 100;
const DAY_MS = 24 * 3600 * 1000;

const PAGE_NOT_FOUND = () => new NotFoundError('moderation.not_found', 'Page introuvable.');
const SECTION_NOT_FOUND = () => new NotFoundError('section.not_found', 'Section introuvable.');

/**
 * « Nouveaux membres à accueillir » (issue 11, charter §4): members who joined in the last 30 days
 * and have not yet made a coopain, posted, answered an event or signed up to a mission — by
 * section, for the coopilotes (party-wide, or one section) and for a secretary (their own
 * section; another one is 404, as everywhere in the secretariat). Anyone else: 404.
 * 3 round trips: the actor, one Query of the newcomers index, one BatchGet of the profiles —
 * re-read because the index may lag, and re-checked by the policy: a hidden (`section`-level)
 * newcomer shows to their own secretary only; blocks either way, suspended, unconfirmed and
 * erased accounts never show.
 */
export async function listNewcomers(
  actor: Actor,
  query: z.infer<typeof NewcomersQuery>,
  deps: Deps = defaultDeps,
): Promise<NewcomersView> {
  const me = actor.member;
  // Party-wide for a coopilote; a secretary lists one of their sections: the one asked for, or their first.
  const sectionId = query.section ?? (mayListNewcomers(me, null) ? null : (me.roles.secretaryOf[0] ?? null));
  if (!mayListNewcomers(me, sectionId)) throw query.section ? SECTION_NOT_FOUND() : PAGE_NOT_FOUND();

  const now = deps.now();
  const since = new Date(now.getTime() - NEWCOMER_DAYS * DAY_MS).toISOString();
  const { entries, more } = await newcomersSince(since, {
    ...(sectionId ? { sectionId } : {}),
    limit: LIMIT,
  });
  const members = await getMembers(entries.map((e) => e.memberId));

  const groups = new Map<string, NewcomerGroup>();
  for (const entry of entries) {
    const member = members.get(entry.memberId);
    if (!member || !stillNew(member, since, sectionId)) continue;
    if (!maySeeNewcomer(me, member, { blocked: blockedEitherWay(actor.blocks, member.id) }, now)) continue;
    const groupKey = member.sectionId ?? '';
    let group = groups.get(groupKey);
    if (!group) {
      group = {
        section: member.sectionId ? { id: member.sectionId, name: member.sectionName ?? '' } : null,
        members: [],
      };
      groups.set(groupKey, group);
    }
    group.members.push({
      id: member.id,
      firstName: member.firstName,
      lastName: member.lastName,
      membership: effectiveMembership(member),
      joinedAt: member.createdAt,
    });
  }
  return {
    sectionId,
    since,
    groups: [...groups.values()].sort(bySectionName),
    more,
  };
}

/** The base item still says so: joined within the window and, for a section's list, still in it. */
function stillNew(member: Member, since: string, sectionId: string | null): boolean {
  if (member.createdAt < since) return false;
  return sectionId === null || member.sectionId === sectionId;
}

function bySectionName(a: NewcomerGroup, b: NewcomerGroup): number {
  if (!a.section || !b.section) return a.section ? -1 : b.section ? 1 : 0;
  return fold(a.section.name).localeCompare(fold(b.section.name), 'fr');
}

/**
 * A member who joined less than 30 days ago changed section: a task queued with the change moves
 * their marker, if they still have one, to the new section's list (NC2). A task rather than a
 * write in the change itself, which cannot know without a read whether the marker is still there
 * (the route stays at 3 round trips); meanwhile the old section's list already leaves them out
 * (it re-reads the member).
 */
export const NEWCOMER_MOVE_TASK = 'newcomer.move';

export function newcomerMoveWrites(member: Pick<Member, 'id' | 'createdAt'>, deps: Deps): TxWrite[] {
  const now = deps.now();
  if (Date.parse(member.createdAt) <= now.getTime() - NEWCOMER_DAYS * DAY_MS) return [];
  return [
    queueTaskWrite({ id: deps.newId(), kind: NEWCOMER_MOVE_TASK, payload: { memberId: member.id } }, now),
  ];
}

/** The task's step: the marker follows the member's section as it is now (a later move included). */
export async function moveNewcomerStep(task: Task): Promise<{ done: boolean }> {
  const member = await getMember(String(task.payload.memberId));
  if (member) await moveNewcomer(member);
  return { done: true };
}
